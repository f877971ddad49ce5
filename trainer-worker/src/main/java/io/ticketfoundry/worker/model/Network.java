package io.ticketfoundry.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** A DJL block plus the map from reference parameter names to its DJL parameters. */
public final class Network {

    private final ModelDefinition definition;
    private final Block block;
    private final Map<String, Parameter> parameters;

    public Network(ModelDefinition definition, Block block, Map<String, Parameter> parameters) {
        if (!parameters.keySet().equals(definition.parameters().stream().map(ParameterSpec::name)
                .collect(Collectors.toSet()))) {
            throw new IllegalArgumentException("parameter names " + parameters.keySet()
                    + " do not match the definition of " + definition.name());
        }
        this.definition = definition;
        this.block = block;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public ModelDefinition definition() {
        return definition;
    }

    public Block block() {
        return block;
    }

    public Parameter parameter(String name) {
        Parameter parameter = parameters.get(name);
        if (parameter == null) {
            throw new IllegalArgumentException("no parameter " + name + " in " + definition.name());
        }
        return parameter;
    }

    /**
     * Makes the block's initialisation produce exactly {@code weights}. Call before the block (or
     * the trainer that owns it) is initialised; a later initializer set by a training config would
     * win, so call it after creating the trainer.
     */
    public void initializeWith(Weights weights) {
        weights.requireMatches(definition);
        for (ParameterSpec spec : definition.parameters()) {
            parameter(spec.name()).setInitializer(new FixedValues(spec.name(), weights.values(spec.name())));
        }
    }

    /** Copies the current parameter values out of the engine. */
    public Weights currentWeights() {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (ParameterSpec spec : definition.parameters()) {
            values.put(spec.name(), parameter(spec.name()).getArray().toFloatArray());
        }
        return Weights.of(definition, values);
    }

    public NDArray array(String name) {
        return parameter(name).getArray();
    }

    /** An initializer that yields given values (checked against the requested shape). */
    private record FixedValues(String name, float[] values) implements Initializer {
        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            if (shape.size() != values.length || dataType != DataType.FLOAT32) {
                throw new IllegalStateException(name + ": block asks for " + dataType + " " + shape
                        + " but " + values.length + " float32 values are given");
            }
            return manager.create(values, shape);
        }

        @Override
        public String toString() {
            return "FixedValues[" + name + ", " + values.length + " values, hash " + Arrays.hashCode(values) + "]";
        }
    }
}
