package io.ticketfoundry.worker.train;

import io.ticketfoundry.worker.model.Weights;
import java.util.Objects;

/**
 * A training run between two steps: the global step reached (counted from the initialisation),
 * every parameter's value, and the optimizer's state. Together with the run's inputs (spec, seed,
 * level, mask, data) this fixes every later step, since the data order and any other randomness
 * derive from (seed, level, epoch) and not from engine state.
 */
public record TrainingState(long step, Weights weights, OptimizerState optimizer) {

    public TrainingState {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(optimizer, "optimizer");
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, is " + step);
        }
    }
}
