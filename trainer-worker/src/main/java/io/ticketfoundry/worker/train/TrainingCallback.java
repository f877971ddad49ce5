package io.ticketfoundry.worker.train;

import io.ticketfoundry.worker.model.Weights;
import java.util.function.Supplier;

/** Hooks into a training run. Both methods run on the training thread; keep them quick. */
public interface TrainingCallback {

    /**
     * Called once at the start step before any update, then after every optimizer step (with the
     * mask already re-applied). {@code step} counts optimizer steps since the initialisation, so
     * the first call of a run from scratch has step 0. {@code weights} copies the current values
     * out of the engine when called, and only then.
     */
    default void afterStep(long step, Supplier<Weights> weights) {
    }

    /**
     * Called every few steps and at the end of every epoch. {@code epoch} is 1-based;
     * {@code meanLoss} is the mean training loss over the steps of this epoch so far.
     */
    default void progress(int epoch, long step, double meanLoss) {
    }

    /**
     * Called at the end of every epoch ({@code epoch} is 1-based, {@code step} the global step
     * reached). {@code state} copies weights and optimizer state out of the engine when called,
     * and only then; a run resumed from that state continues exactly as this one does.
     */
    default void afterEpoch(int epoch, long step, Supplier<TrainingState> state) {
    }
}
