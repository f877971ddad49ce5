package io.ticketfoundry.worker.train;

import ai.djl.training.tracker.Tracker;
import io.ticketfoundry.common.spec.TrainingSpec;

/**
 * Optimizers for a training spec, at a constant learning rate: {@link StatefulOptimizer}, which
 * makes DJL's SGD and Adam updates but keeps its state where a checkpoint can reach it. Weight decay is L2 added to the
 * gradient (as {@code torch.optim.SGD/Adam(weight_decay=...)}); Adam uses β = (0.9, 0.999),
 * ε = 1e-8 and ignores {@code momentum}.
 */
public final class OptimizerFactory {

    private OptimizerFactory() {
    }

    public static StatefulOptimizer create(TrainingSpec training) {
        TrainingSpec spec = training.withDefaults();
        float lr = spec.learningRate().floatValue();
        float weightDecay = spec.weightDecay().floatValue();
        if (!(lr > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("learningRate must be > 0 and weightDecay >= 0, got "
                    + spec.learningRate() + " and " + spec.weightDecay());
        }
        Tracker constant = Tracker.fixed(lr);
        return switch (spec.optimizer()) {
            case TrainingSpec.SGD -> StatefulOptimizer.sgd(spec.momentum().floatValue())
                    .setLearningRateTracker(constant)
                    .optWeightDecays(weightDecay)
                    .build();
            case TrainingSpec.ADAM -> StatefulOptimizer.adam(0.9f, 0.999f, 1e-8f)
                    .setLearningRateTracker(constant)
                    .optWeightDecays(weightDecay)
                    .build();
            default -> throw new IllegalArgumentException("unknown optimizer \"" + spec.optimizer() + "\"; expected "
                    + TrainingSpec.SGD + " or " + TrainingSpec.ADAM);
        };
    }
}
