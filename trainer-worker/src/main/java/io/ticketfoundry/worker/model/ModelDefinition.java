package io.ticketfoundry.worker.model;

import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * An architecture the worker can train, with its parameters named and shaped exactly as in its
 * PyTorch reference definition, so checkpoints and masks load into a stock PyTorch model.
 */
public interface ModelDefinition {

    /** The registry name, e.g. {@code lenet-300-100}. */
    String name();

    /** The shape of one input sample, without the batch axis. */
    Shape sampleShape();

    int numClasses();

    /** All parameters in the reference's {@code state_dict} order. */
    List<ParameterSpec> parameters();

    default List<ParameterSpec> prunableParameters() {
        return parameters().stream().filter(ParameterSpec::prunable).toList();
    }

    default ParameterSpec parameter(String name) {
        return parameters().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("model " + name() + " has no parameter " + name
                        + "; parameters: " + parameters().stream().map(ParameterSpec::name).toList()));
    }

    default long totalParameterCount() {
        return parameters().stream().mapToLong(ParameterSpec::size).sum();
    }

    /** A fresh, uninitialised DJL block whose parameters are addressable by reference name. */
    Network newNetwork();

    /** Seeded initial values, bit-identical for the same seed. */
    Weights initialWeights(long seed);
}
