package io.ticketfoundry.worker.train;

import io.ticketfoundry.common.spec.LearningRateSchedule;
import io.ticketfoundry.common.spec.TrainingSpec;

/**
 * Optimizers for a training spec: {@link StatefulOptimizer}, which makes DJL's SGD, NAG, Adam and
 * AdamW updates but keeps its state where a checkpoint can reach it. Weight decay is L2 added to
 * the gradient for {@code sgd} and {@code adam} (as {@code torch.optim.SGD/Adam(weight_decay=...)})
 * and decoupled for {@code adamw}; Adam and AdamW use β = (0.9, 0.999), ε = 1e-8 and ignore
 * {@code momentum}. The learning rate follows the spec's schedule ({@link ScheduledLearningRate}).
 */
public final class OptimizerFactory {

    private OptimizerFactory() {
    }

    /** A constant-rate optimizer (the schedule's steps are unknown without a dataset). */
    public static StatefulOptimizer create(TrainingSpec training) {
        return create(training, 1, 1, 0);
    }

    /**
     * @param iterationsPerEpoch steps of one epoch (for schedules in epochs)
     * @param totalSteps         steps of the whole run from the initialisation (for cosine)
     * @param startStep          the step the run starts at; its first update is that step's
     */
    public static StatefulOptimizer create(TrainingSpec training, long iterationsPerEpoch, long totalSteps, long startStep) {
        TrainingSpec spec = training.withDefaults();
        float weightDecay = spec.weightDecay().floatValue();
        if (!(spec.learningRate() > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("learningRate must be > 0 and weightDecay >= 0, got "
                    + spec.learningRate() + " and " + spec.weightDecay());
        }
        LearningRateSchedule schedule = spec.schedule();
        ScheduledLearningRate rate = new ScheduledLearningRate(spec.learningRate(), schedule, iterationsPerEpoch,
                totalSteps, startStep);
        return switch (spec.optimizer()) {
            case TrainingSpec.SGD -> StatefulOptimizer.sgd(spec.nesterov() ? requireMomentum(spec) : spec.momentum().floatValue())
                    .optNesterov(spec.nesterov())
                    .setLearningRateTracker(rate)
                    .optWeightDecays(weightDecay)
                    .build();
            case TrainingSpec.ADAM -> StatefulOptimizer.adam(0.9f, 0.999f, 1e-8f)
                    .setLearningRateTracker(rate)
                    .optWeightDecays(weightDecay)
                    .build();
            case TrainingSpec.ADAMW -> StatefulOptimizer.adamW(0.9f, 0.999f, 1e-8f)
                    .setLearningRateTracker(rate)
                    .optWeightDecays(weightDecay)
                    .build();
            default -> throw new IllegalArgumentException("unknown optimizer \"" + spec.optimizer() + "\"; expected "
                    + TrainingSpec.SGD + ", " + TrainingSpec.ADAM + " or " + TrainingSpec.ADAMW);
        };
    }

    private static float requireMomentum(TrainingSpec spec) {
        if (!(spec.momentum() > 0)) {
            throw new IllegalArgumentException("Nesterov momentum needs momentum > 0, is " + spec.momentum());
        }
        return spec.momentum().floatValue();
    }
}
