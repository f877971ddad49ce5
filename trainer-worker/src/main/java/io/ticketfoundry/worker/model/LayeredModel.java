package io.ticketfoundry.worker.model;

import ai.djl.ndarray.types.Shape;
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
            StateDictLayers listing = new StateDictLayers();
            define(listing);
            s = new State(List.copyOf(listing.parameters), List.copyOf(listing.buffers), List.copyOf(listing.order));
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
