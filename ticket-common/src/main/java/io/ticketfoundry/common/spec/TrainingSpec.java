package io.ticketfoundry.common.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Optimiser and budget of every training run of an experiment (each IMP level retrains with it). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingSpec(
        String optimizer,
        Double learningRate,
        Double momentum,
        Double weightDecay,
        Integer batchSize,
        Integer epochs) {

    public static final String SGD = "sgd";
    public static final String ADAM = "adam";

    public static TrainingSpec defaults() {
        return new TrainingSpec(SGD, 0.1, 0.0, 0.0, 128, 40);
    }

    public TrainingSpec withDefaults() {
        TrainingSpec d = defaults();
        return new TrainingSpec(
                optimizer != null ? optimizer : d.optimizer(),
                learningRate != null ? learningRate : d.learningRate(),
                momentum != null ? momentum : d.momentum(),
                weightDecay != null ? weightDecay : d.weightDecay(),
                batchSize != null ? batchSize : d.batchSize(),
                epochs != null ? epochs : d.epochs());
    }
}
