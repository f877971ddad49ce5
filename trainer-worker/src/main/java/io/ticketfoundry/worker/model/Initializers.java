package io.ticketfoundry.worker.model;

import io.ticketfoundry.common.spec.ExperimentSpec;

/** The spec's {@code initializer} names: seeded initial weights of a model. */
public final class Initializers {

    private Initializers() {
    }

    /**
     * {@code kaiming-normal} is the model's own seeded initialisation (the first schema's
     * behaviour); {@code xavier-normal} and {@code default} replace the prunable weights.
     */
    public static Weights create(String initializer, ModelDefinition model, long seed) {
        String name = initializer == null ? ExperimentSpec.KAIMING_NORMAL : initializer;
        return switch (name) {
            case ExperimentSpec.KAIMING_NORMAL -> model.initialWeights(seed);
            case ExperimentSpec.XAVIER_NORMAL -> Initialization.xavierNormal(model, seed);
            case ExperimentSpec.DEFAULT_INIT -> Initialization.pytorchDefault(model, seed);
            default -> throw new IllegalArgumentException("unknown initializer \"" + name + "\"; expected one of "
                    + ExperimentSpec.INITIALIZERS);
        };
    }

    /** What {@link #create} does, for provenance. */
    public static String describe(String initializer) {
        String name = initializer == null ? ExperimentSpec.KAIMING_NORMAL : initializer;
        return switch (name) {
            case ExperimentSpec.XAVIER_NORMAL -> "xavier-normal N(0, 2/(fan_in+fan_out)) for prunable weights; others as the model's default";
            case ExperimentSpec.DEFAULT_INIT -> "PyTorch default uniform(+-1/sqrt(fan_in)) for prunable weights; others as the model's default";
            default -> "kaiming-normal fan_in relu for weights; uniform(+-1/sqrt(fan_in)) for biases";
        };
    }
}
