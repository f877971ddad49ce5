package io.ticketfoundry.worker.train;

import ai.djl.training.optimizer.Optimizer;
import io.ticketfoundry.common.spec.LearningRateSchedule;
import io.ticketfoundry.common.spec.TrainingSpec;

/**
 * DJL optimizers for a training spec. Weight decay is L2 added to the gradient for {@code sgd} and
 * {@code adam} (as {@code torch.optim.SGD/Adam(weight_decay=...)}) and decoupled for {@code adamw};
 * Adam and AdamW use β = (0.9, 0.999), ε = 1e-8 and ignore {@code momentum}. SGD with
 * {@code nesterov} is DJL's NAG optimizer. The learning rate follows the spec's schedule
 * ({@link ScheduledLearningRate}).
 */
public final class OptimizerFactory {

    private OptimizerFactory() {
    }

    /** A constant-rate optimizer (the schedule's steps are unknown without a dataset). */
    public static Optimizer create(TrainingSpec training) {
        return create(training, 1, 1, 0);
    }

    /**
     * @param iterationsPerEpoch steps of one epoch (for schedules in epochs)
     * @param totalSteps         steps of the whole run from the initialisation (for cosine)
     * @param startStep          the step the run starts at
     */
    public static Optimizer create(TrainingSpec training, long iterationsPerEpoch, long totalSteps, long startStep) {
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
            case TrainingSpec.SGD -> spec.nesterov()
                    ? Optimizer.nag()
                            .setLearningRateTracker(rate)
                            .setMomentum(requireMomentum(spec))
                            .optWeightDecays(weightDecay)
                            .build()
                    : Optimizer.sgd()
                            .setLearningRateTracker(rate)
                            .optMomentum(spec.momentum().floatValue())
                            .optWeightDecays(weightDecay)
                            .build();
            case TrainingSpec.ADAM -> Optimizer.adam()
                    .optLearningRateTracker(rate)
                    .optBeta1(0.9f)
                    .optBeta2(0.999f)
                    .optEpsilon(1e-8f)
                    .optWeightDecays(weightDecay)
                    .build();
            case TrainingSpec.ADAMW -> Optimizer.adamW()
                    .optLearningRateTracker(rate)
                    .optBeta1(0.9f)
                    .optBeta2(0.999f)
                    .optEpsilon(1e-8f)
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
