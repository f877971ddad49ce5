package io.ticketfoundry.worker.model;

import ai.djl.ndarray.types.Shape;
import io.ticketfoundry.common.model.Layers;
import io.ticketfoundry.common.model.StateDictTable;
import java.util.ArrayList;
import java.util.List;

/**
 * A model whose architecture is written once in {@link #define(Layers)}; the state_dict listing
 * and the DJL block are both read from it, so they cannot drift apart.
 */
public abstract class LayeredModel implements ModelDefinition {

    private final String name;
    private final Shape sampleShape;
    private final int numClasses;
    private volatile State state;

    private record State(List<ParameterSpec> parameters, List<BufferSpec> buffers, List<String> order) {
    }

    protected LayeredModel(String name, Shape sampleShape, int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be positive");
        }
        this.name = name;
        this.sampleShape = sampleShape;
        this.numClasses = numClasses;
    }

    /** Declares the layers, in the reference's registration order. */
    protected abstract void define(Layers layers);

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Shape sampleShape() {
        return sampleShape;
    }

    @Override
    public final int numClasses() {
        return numClasses;
    }

    private State state() {
        State s = state;
        if (s == null) {
            StateDictTable table = StateDictTable.read(name, numClasses, this::define);
            List<ParameterSpec> parameters = new ArrayList<>();
            List<BufferSpec> buffers = new ArrayList<>();
            List<String> order = new ArrayList<>();
            for (StateDictTable.Entry entry : table.entries()) {
                order.add(entry.name());
                switch (entry.role()) {
                    case BUFFER -> buffers.add(new BufferSpec(entry.name(), entry.shape(), entry.dtype(),
                            entry.initialValue()));
                    case WEIGHT -> parameters.add(new ParameterSpec(entry.name(), entry.shape(), true, entry.fanIn(),
                            ParameterSpec.Kind.WEIGHT));
                    case BIAS -> parameters.add(new ParameterSpec(entry.name(), entry.shape(), false, entry.fanIn(),
                            ParameterSpec.Kind.BIAS));
                    case NORM_WEIGHT -> parameters.add(new ParameterSpec(entry.name(), entry.shape(), false,
                            entry.fanIn(), ParameterSpec.Kind.NORM_WEIGHT));
                    case NORM_BIAS -> parameters.add(new ParameterSpec(entry.name(), entry.shape(), false,
                            entry.fanIn(), ParameterSpec.Kind.NORM_BIAS));
                }
            }
            s = new State(List.copyOf(parameters), List.copyOf(buffers), List.copyOf(order));
            state = s;
        }
        return s;
    }

    @Override
    public final List<ParameterSpec> parameters() {
        return state().parameters();
    }

    @Override
    public final List<BufferSpec> buffers() {
        return state().buffers();
    }

    @Override
    public final List<String> stateDictOrder() {
        return state().order();
    }

    @Override
    public final Network newNetwork() {
        return newNetwork(HiddenDropout.NONE);
    }

    @Override
    public final Network newNetwork(HiddenDropout dropout) {
        BlockLayers layers = new BlockLayers(dropout);
        define(layers);
        return new Network(this, layers.block, layers.tensors, layers.norms);
    }

    @Override
    public Weights initialWeights(long seed) {
        return Initialization.initialize(this, Initializer.DEFAULT, seed);
    }

    @Override
    public String toString() {
        return name;
    }
}
