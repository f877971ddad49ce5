package io.ticketfoundry.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** What a {@link MaskDynamics} may touch during one step, by reference tensor name. */
public interface StepAccess {

    /** Freed at the end of the step: for temporary arrays. */
    NDManager manager();

    /** The live parameter array; changes in place reach the model. */
    NDArray parameter(String name);

    /** A copy of the parameter's values, flat, row-major. */
    float[] values(String name);

    /** A copy of the parameter's current gradient (after the backward pass), flat, row-major. */
    float[] gradient(String name);

    /** Multiplies the parameter's gradient by {@code factor} (same shape) in place, before the optimizer step. */
    void multiplyGradient(String name, NDArray factor);

    /**
     * Zeroes the optimizer's state (momentum; Adam's first and second moments) of the parameter's
     * elements where {@code positions} is 1, as if those weights had never been updated.
     */
    void resetOptimizerState(String name, byte[] positions);
}
