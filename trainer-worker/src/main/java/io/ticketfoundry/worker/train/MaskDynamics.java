package io.ticketfoundry.worker.train;

import io.ticketfoundry.worker.prune.Mask;

/**
 * A mask that changes while a run trains (dynamic sparse training). The loop applies
 * {@link #mask()} after every optimizer step, as it applies a fixed mask, and calls the two hooks
 * around each step; both run on the training thread with the engine's gradient recording off, so
 * parameters may be changed in place.
 *
 * <p>Step {@code step} is the 0-based index of the optimizer step being made: the first step of a
 * run from scratch is step 0, and after it {@code step + 1} steps have been taken.
 */
public interface MaskDynamics {

    /** The current mask: at the start of the run (a resumed run: the one it stopped with), then after each step. */
    Mask mask();

    /** Before the forward passes of step {@code step}: e.g. a random mask on the weights for this step only. */
    default void beforeForward(long step, StepAccess access) {
    }

    /**
     * After the backward pass of step {@code step}, before its optimizer step: the gradients (dense:
     * with respect to every weight, pruned ones included) are there to read and change. Returns true
     * when {@link #mask()} changed; the loop then applies the new mask after the optimizer step.
     */
    default boolean afterBackward(long step, StepAccess access) {
        return false;
    }
}
