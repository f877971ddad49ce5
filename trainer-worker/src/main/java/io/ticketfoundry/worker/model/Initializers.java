package io.ticketfoundry.worker.model;

/** The spec's {@code initializer} names ({@link Initializer}): seeded initial weights of a model. */
public final class Initializers {

    private Initializers() {
    }

    /** {@code default} is the model's own scheme (open_lth's per-model defaults); the others override the weights' rule. */
    public static Weights create(String initializer, ModelDefinition model, long seed) {
        return model.initialWeights(seed, Initializer.fromName(initializer == null ? "default" : initializer));
    }

    /** What {@link #create} does, for provenance. */
    public static String describe(String initializer, ModelDefinition model) {
        return Initialization.describe(model, Initializer.fromName(initializer == null ? "default" : initializer));
    }
}
