package io.ticketfoundry.worker.model;

import ai.djl.ndarray.types.Shape;
import io.ticketfoundry.common.model.Layers;
import java.util.ArrayList;
import java.util.List;

/**
 * An architecture the worker can train, with its tensors named and shaped exactly as in its
 * PyTorch reference definition, so checkpoints and masks load into a stock PyTorch model.
 *
 * <p>The reference's {@code state_dict} holds the trainable {@link #parameters()} and the
 * {@link #buffers()} (BatchNorm running statistics and batch counters); {@link #stateDictOrder()}
 * lists both in the reference's order.
 */
public interface ModelDefinition {

    /** The registry name, e.g. {@code lenet-300-100}. */
    String name();

    /** The shape of one input sample, without the batch axis: (C, H, W) for image models. */
    Shape sampleShape();

    int numClasses();

    /** All trainable parameters in the reference's {@code state_dict} order. */
    List<ParameterSpec> parameters();

    /** All buffers (non-trainable state) in the reference's {@code state_dict} order; none by default. */
    default List<BufferSpec> buffers() {
        return List.of();
    }

    /** Every name of the reference's {@code state_dict} (parameters and buffers), in its order. */
    default List<String> stateDictOrder() {
        List<String> names = new ArrayList<>();
        parameters().forEach(p -> names.add(p.name()));
        buffers().forEach(b -> names.add(b.name()));
        return names;
    }

    default List<ParameterSpec> prunableParameters() {
        return parameters().stream().filter(ParameterSpec::prunable).toList();
    }

    default ParameterSpec parameter(String name) {
        return parameters().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("model " + name() + " has no parameter " + name
                        + "; parameters: " + parameters().stream().map(ParameterSpec::name).toList()));
    }

    /** Trainable parameters (weights, biases, BatchNorm affine), excluding buffers. */
    default long totalParameterCount() {
        return parameters().stream().mapToLong(ParameterSpec::size).sum();
    }

    /** The output layer: a Linear layer's weight [K, d] and bias [K] producing the logits. */
    record OutputLayer(String weight, String bias) {
    }

    /**
     * The layer producing the logits: in every model here the last two parameters of the
     * state_dict, a Linear weight [numClasses, d] and its bias [numClasses]. Dividing both by T
     * divides the logits by T (temperature scaling folded into the weights).
     */
    default OutputLayer outputLayer() {
        List<ParameterSpec> all = parameters();
        if (all.size() >= 2) {
            ParameterSpec weight = all.get(all.size() - 2);
            ParameterSpec bias = all.get(all.size() - 1);
            long[] w = weight.shape();
            long[] b = bias.shape();
            if (weight.kind() == ParameterSpec.Kind.WEIGHT && bias.kind() == ParameterSpec.Kind.BIAS && w.length == 2
                    && w[0] == numClasses() && b.length == 1 && b[0] == numClasses()) {
                return new OutputLayer(weight.name(), bias.name());
            }
        }
        throw new IllegalStateException(name() + " does not end in a Linear layer with a bias of " + numClasses()
                + " outputs");
    }

    /** A fresh, uninitialised DJL block whose tensors are addressable by reference name. */
    Network newNetwork();

    /**
     * As {@link #newNetwork()}, with dropout of the given rate in the model's hidden dropout slots
     * (see {@link Layers#hiddenDropout()}) and, if {@link HiddenDropout#convBlocks()}, in its
     * convolutional ones ({@link Layers#convDropout()}); a model without slots of a kind has no
     * dropout there. No tensor is added: the state_dict stays the model's.
     */
    default Network newNetwork(HiddenDropout dropout) {
        if (dropout.rate() > 0) {
            throw new UnsupportedOperationException(name() + " has no dropout slots");
        }
        return newNetwork();
    }

    /** Seeded initial values by the model's default scheme, bit-identical for the same seed. */
    Weights initialWeights(long seed);

    /** Seeded initial values by the chosen scheme. */
    default Weights initialWeights(long seed, Initializer initializer) {
        return Initialization.initialize(this, initializer, seed);
    }

    /** The scheme {@link Initializer#DEFAULT} stands for on this model. */
    default InitScheme defaultInitScheme() {
        return InitScheme.OPEN_LTH_KAIMING_NORMAL;
    }
}
