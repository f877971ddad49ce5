package io.ticketfoundry.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import io.ticketfoundry.common.safetensors.DType;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A DJL block plus the map from reference names to its tensors: every parameter and F32 buffer is
 * a DJL {@link Parameter} (BatchNorm's running statistics are parameters without gradient), and
 * every {@code num_batches_tracked} is the counter of a {@link BatchNorm2d} block.
 */
public final class Network {

    private final ModelDefinition definition;
    private final Block block;
    private final Map<String, Parameter> parameters;
    private final Map<String, BatchNorm2d> counters;

    public Network(ModelDefinition definition, Block block, Map<String, Parameter> parameters) {
        this(definition, block, parameters, Map.of());
    }

    public Network(ModelDefinition definition, Block block, Map<String, Parameter> parameters,
            Map<String, BatchNorm2d> counters) {
        Set<String> floats = new LinkedHashSet<>();
        Set<String> longs = new LinkedHashSet<>();
        definition.parameters().forEach(p -> floats.add(p.name()));
        for (BufferSpec b : definition.buffers()) {
            (b.dtype() == DType.F32 ? floats : longs).add(b.name());
        }
        if (!parameters.keySet().equals(floats) || !counters.keySet().equals(longs)) {
            throw new IllegalArgumentException("tensor names " + parameters.keySet() + " " + counters.keySet()
                    + " do not match the definition of " + definition.name());
        }
        this.definition = definition;
        this.block = block;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
    }

    public ModelDefinition definition() {
        return definition;
    }

    public Block block() {
        return block;
    }

    /** The DJL parameter holding a parameter or F32 buffer. */
    public Parameter parameter(String name) {
        Parameter parameter = parameters.get(name);
        if (parameter == null) {
            throw new IllegalArgumentException("no parameter " + name + " in " + definition.name());
        }
        return parameter;
    }

    /**
     * Makes the block's initialisation produce exactly {@code weights} (buffers included). Call
     * before the block (or the trainer that owns it) is initialised; a later initializer set by a
     * training config would win, so call it after creating the trainer.
     */
    public void initializeWith(Weights weights) {
        weights.requireMatches(definition);
        for (ParameterSpec spec : definition.parameters()) {
            parameter(spec.name()).setInitializer(new FixedValues(spec.name(), spec.shape(), weights.values(spec.name())));
        }
        for (BufferSpec spec : definition.buffers()) {
            if (spec.dtype() == DType.F32) {
                parameter(spec.name()).setInitializer(new FixedValues(spec.name(), spec.shape(), weights.values(spec.name())));
            } else {
                counters.get(spec.name()).setNumBatchesTracked(weights.longValues(spec.name())[0]);
            }
        }
    }

    /** Copies the current values of every parameter and buffer out of the engine. */
    public Weights currentWeights() {
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> longs = new LinkedHashMap<>();
        for (ParameterSpec spec : definition.parameters()) {
            values.put(spec.name(), parameter(spec.name()).getArray().toFloatArray());
        }
        for (BufferSpec spec : definition.buffers()) {
            if (spec.dtype() == DType.F32) {
                values.put(spec.name(), parameter(spec.name()).getArray().toFloatArray());
            } else {
                longs.put(spec.name(), new long[] {counters.get(spec.name()).numBatchesTracked()});
            }
        }
        return Weights.of(definition, values, longs);
    }

    public NDArray array(String name) {
        return parameter(name).getArray();
    }

    /** The network's BatchNorm blocks (one per {@code num_batches_tracked} counter), in state_dict order. */
    public java.util.Collection<BatchNorm2d> batchNorms() {
        return counters.values();
    }

    /** An initializer that yields given values (checked against the requested shape). */
    private record FixedValues(String name, long[] shape, float[] values) implements Initializer {
        @Override
        public NDArray initialize(NDManager manager, Shape requested, DataType dataType) {
            if (!Arrays.equals(requested.getShape(), shape) || dataType != DataType.FLOAT32) {
                throw new IllegalStateException(name + ": block asks for " + dataType + " " + requested
                        + " but the reference shape is float32 " + Arrays.toString(shape));
            }
            return manager.create(values, requested);
        }

        @Override
        public String toString() {
            return "FixedValues[" + name + ", " + values.length + " values, hash " + Arrays.hashCode(values) + "]";
        }
    }
}
