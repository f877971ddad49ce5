package io.ticketfoundry.worker.train;

import io.ticketfoundry.worker.model.Weights;

/** The weights after the last step, the global step count reached, and the last epoch's mean loss. */
public record TrainingResult(Weights weights, long finalStep, double lastEpochMeanLoss) {
}
