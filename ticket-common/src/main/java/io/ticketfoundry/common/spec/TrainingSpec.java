package io.ticketfoundry.common.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Optimiser and budget of every training run of an experiment (each IMP level retrains with it).
 * {@code nesterov} (SGD with momentum only) and {@code schedule} default to today's behaviour:
 * plain momentum and a constant learning rate. {@code adamw} is Adam with decoupled weight decay
 * (Loshchilov &amp; Hutter); {@code adam} adds weight decay to the gradient, as torch.optim.Adam.
 * {@code objective} defaults to {@code basic}: softmax cross-entropy, as before the field existed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingSpec(
        String optimizer,
        Double learningRate,
        Double momentum,
        Double weightDecay,
        Integer batchSize,
        Integer epochs,
        Boolean nesterov,
        LearningRateSchedule schedule,
        ObjectiveSpec objective) {

    public static final String SGD = "sgd";
    public static final String ADAM = "adam";
    public static final String ADAMW = "adamw";

    /** The fields of the first schema; the new ones take their defaults. */
    public TrainingSpec(String optimizer, Double learningRate, Double momentum, Double weightDecay, Integer batchSize,
            Integer epochs) {
        this(optimizer, learningRate, momentum, weightDecay, batchSize, epochs, null, null, null);
    }

    /** The fields before the objective; it takes its default ({@code basic}). */
    public TrainingSpec(String optimizer, Double learningRate, Double momentum, Double weightDecay, Integer batchSize,
            Integer epochs, Boolean nesterov, LearningRateSchedule schedule) {
        this(optimizer, learningRate, momentum, weightDecay, batchSize, epochs, nesterov, schedule, null);
    }

    public static TrainingSpec defaults() {
        return new TrainingSpec(SGD, 0.1, 0.0, 0.0, 128, 40, false, LearningRateSchedule.defaults(),
                ObjectiveSpec.defaults());
    }

    public TrainingSpec withDefaults() {
        TrainingSpec d = defaults();
        return new TrainingSpec(
                optimizer != null ? optimizer : d.optimizer(),
                learningRate != null ? learningRate : d.learningRate(),
                momentum != null ? momentum : d.momentum(),
                weightDecay != null ? weightDecay : d.weightDecay(),
                batchSize != null ? batchSize : d.batchSize(),
                epochs != null ? epochs : d.epochs(),
                nesterov != null ? nesterov : d.nesterov(),
                schedule != null ? schedule.withDefaults() : d.schedule(),
                objective != null ? objective.withDefaults() : d.objective());
    }
}
