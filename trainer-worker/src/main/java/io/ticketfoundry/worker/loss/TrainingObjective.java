package io.ticketfoundry.worker.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * What the training loop minimises. Per step the loop asks {@link #prepare} for the batch to feed
 * (mixup mixes it; the others pass it through), runs {@link #passes()} forward passes of it (with
 * the network's hidden dropout active, and its convolutional dropout if {@link #convDropout()},
 * reseeded per pass, when {@link #dropout()} is above 0) and
 * hands all their logits to {@link #loss}, which returns the scalar mean loss of the batch.
 */
public interface TrainingObjective {

    /** The spec name of the objective ({@code basic}, {@code vwcc}, ...). */
    String kind();

    /** Forward passes per step; 1 unless the objective needs stochastic passes. */
    default int passes() {
        return 1;
    }

    /** Rate of the network's hidden dropout while training; 0 for none. */
    default double dropout() {
        return 0;
    }

    /**
     * Whether the convolutional dropout slots get dropout of rate {@link #dropout()} too
     * ({@code dropoutPlacement: hidden-and-conv}).
     */
    default boolean convDropout() {
        return false;
    }

    /**
     * The inputs and targets of one step. {@code labels} are int64 class indices [N];
     * {@code seed} is derived from (run seed, level, epoch, step).
     */
    default Batch prepare(NDArray x, NDArray labels, int numClasses, long seed) {
        return new Batch(x, labels);
    }

    /**
     * @param logits  one [N, K] array of logits per forward pass
     * @param targets the targets of {@link #prepare}
     * @return the scalar batch loss
     */
    NDArray loss(NDList logits, NDArray targets);

    /** A step's inputs and the targets {@link #loss} is given. */
    record Batch(NDArray x, NDArray targets) {
    }
}
