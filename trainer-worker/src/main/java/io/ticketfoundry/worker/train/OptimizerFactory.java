package io.ticketfoundry.worker.train;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.ticketfoundry.common.spec.TrainingSpec;

/**
 * DJL optimizers for a training spec, at a constant learning rate. Weight decay is L2 added to the
 * gradient (as {@code torch.optim.SGD/Adam(weight_decay=...)}); Adam uses β = (0.9, 0.999),
 * ε = 1e-8 and ignores {@code momentum}.
 */
public final class OptimizerFactory {

    private OptimizerFactory() {
    }

    public static Optimizer create(TrainingSpec training) {
        TrainingSpec spec = training.withDefaults();
        float lr = spec.learningRate().floatValue();
        float weightDecay = spec.weightDecay().floatValue();
        if (!(lr > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("learningRate must be > 0 and weightDecay >= 0, got "
                    + spec.learningRate() + " and " + spec.weightDecay());
        }
        Tracker constant = Tracker.fixed(lr);
        return switch (spec.optimizer()) {
            case TrainingSpec.SGD -> Optimizer.sgd()
                    .setLearningRateTracker(constant)
                    .optMomentum(spec.momentum().floatValue())
                    .optWeightDecays(weightDecay)
                    .build();
            case TrainingSpec.ADAM -> Optimizer.adam()
                    .optLearningRateTracker(constant)
                    .optBeta1(0.9f)
                    .optBeta2(0.999f)
                    .optEpsilon(1e-8f)
                    .optWeightDecays(weightDecay)
                    .build();
            default -> throw new IllegalArgumentException("unknown optimizer \"" + spec.optimizer() + "\"; expected "
                    + TrainingSpec.SGD + " or " + TrainingSpec.ADAM);
        };
    }
}
