package io.ticketfoundry.worker.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import io.ticketfoundry.common.safetensors.DType;
import io.ticketfoundry.worker.model.BufferSpec;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.Network;
import io.ticketfoundry.worker.model.ParameterSpec;
import io.ticketfoundry.worker.model.Weights;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A model's DJL network in float64 for scoring: built from {@link ModelDefinition#newNetwork()}
 * (so every zoo model works), every parameter and F32 buffer loaded from {@link Weights}, the
 * prunable weights multiplied by a mask. Gradients are kept for the prunable weights only (the
 * biases and BatchNorm tensors are constants here). Owns one engine manager; close it.
 *
 * <p>PyTorch keeps one grad mode per thread; it is off while the network exists (in-place
 * updates of the weights need that) and on only inside a {@link GradientCollector}, as in the
 * training loop, and restored on {@link #close()}.
 */
final class ScoringNetwork implements AutoCloseable {

    static final DataType DTYPE = DataType.FLOAT64;

    private final ModelDefinition model;
    private final NDManager manager;
    private final Network network;
    private final ParameterStore store;
    private final List<String> prunable;
    private final boolean gradModeBefore;

    /**
     * @param absolute take |x| of every parameter and F32 buffer (SynFlow's linearised network)
     */
    ScoringNetwork(ModelDefinition model, Weights weights, Mask mask, boolean absolute) {
        if (!weights.specs().equals(model.parameters())) {
            throw new IllegalArgumentException("the weights do not belong to model " + model.name());
        }
        this.model = model;
        this.prunable = model.prunableParameters().stream().map(ParameterSpec::name).toList();
        this.manager = NDManager.newBaseManager();
        if (!"PyTorch".equals(manager.getEngine().getEngineName())) {
            manager.close();
            throw new IllegalStateException("scoring needs the PyTorch engine, not " + manager.getEngine().getEngineName());
        }
        this.gradModeBefore = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            network = model.newNetwork();
            for (ParameterSpec spec : model.parameters()) {
                byte[] keep = spec.prunable() ? mask.raw(spec.name()) : null;
                setValues(spec.name(), spec.shape(), weights.values(spec.name()), keep, absolute);
            }
            for (BufferSpec spec : model.buffers()) {
                if (spec.dtype() == DType.F32) {
                    setValues(spec.name(), spec.shape(), weights.values(spec.name()), null, absolute);
                }
            }
            network.block().initialize(manager, DTYPE, new Shape(1).addAll(model.sampleShape()));
            for (ParameterSpec spec : model.parameters()) {
                network.array(spec.name()).setRequiresGradient(spec.prunable());
            }
            store = new ParameterStore(manager, false);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void setValues(String name, long[] shape, float[] values, byte[] keep, boolean absolute) {
        double[] v = new double[values.length];
        for (int i = 0; i < v.length; i++) {
            float x = values[i];
            if (!Float.isFinite(x)) {
                throw new IllegalArgumentException(name + " has " + x + " at flat index " + i + "; cannot score it");
            }
            v[i] = keep != null && keep[i] == 0 ? 0.0 : absolute ? Math.abs((double) x) : x;
        }
        network.parameter(name).setInitializer(new DoubleValues(name, shape, v));
    }

    ModelDefinition model() {
        return model;
    }

    NDManager manager() {
        return manager;
    }

    /** Every prunable tensor of the model (ignored ones included), in the model's order. */
    List<String> prunable() {
        return prunable;
    }

    /** The live float64 array of a parameter. */
    NDArray array(String name) {
        return network.array(name);
    }

    /** Multiplies the mask into the prunable weights (masks only shrink, so this is idempotent per mask). */
    void applyMask(Mask mask) {
        try (NDManager scratch = manager.newSubManager()) {
            for (String name : prunable) {
                if (!mask.isDense(name)) {
                    NDArray w = array(name);
                    w.muli(scratch.create(mask.asFloats(name), w.getShape()).toType(DTYPE, false));
                }
            }
        }
    }

    /** Copies of the prunable weights, attached to {@code into}. */
    Map<String, NDArray> weights(NDManager into) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String name : prunable) {
            NDArray copy = array(name).duplicate();
            copy.attach(into);
            out.put(name, copy);
        }
        return out;
    }

    /** Sets every prunable weight to {@code base + step × direction} (exactly {@code base} for step 0). */
    void setWeights(Map<String, NDArray> base, Map<String, NDArray> direction, double step) {
        try (NDManager scratch = manager.newSubManager()) {
            for (String name : prunable) {
                NDArray value = base.get(name).duplicate();
                value.attach(scratch);
                if (step != 0) {
                    NDArray delta = direction.get(name).mul(step);
                    delta.attach(scratch);
                    value.addi(delta);
                }
                NDArray w = array(name);
                w.subi(w).addi(value); // weights are finite (checked on load), so w - w is exactly 0
            }
        }
    }

    /** Logits of {@code input} (float64, attached to the pass's manager, as are all intermediates). */
    NDArray forward(NDArray input, boolean training) {
        return network.block().forward(store, new NDList(input), training).singletonOrThrow();
    }

    /**
     * ∂L/∂w of every prunable weight for L the mean cross-entropy of {@code logits / temperature}
     * on the batch, as copies attached to {@code into}.
     */
    Map<String, NDArray> lossGradients(NDManager into, ScoringBatch batch, double temperature, boolean training) {
        return gradients(into, pass -> {
            NDArray x = batch.features().toType(DTYPE, true);
            x.attach(pass);
            NDArray logits = forward(x, training);
            return crossEntropy(logits.div(temperature), batch.labels(), model.numClasses());
        });
    }

    /** ∂f/∂w of every prunable weight for a scalar f built (forward included) in the pass's manager. */
    Map<String, NDArray> gradients(NDManager into, Function<NDManager, NDArray> objective) {
        zeroGradients();
        try (NDManager pass = manager.newSubManager()) {
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                collector.backward(objective.apply(pass));
            }
            Map<String, NDArray> out = new LinkedHashMap<>();
            for (String name : prunable) {
                NDArray gradient = array(name).getGradient();
                gradient.attach(pass);
                NDArray copy = gradient.duplicate();
                copy.attach(into);
                out.put(name, copy);
            }
            return out;
        }
    }

    void zeroGradients() {
        for (String name : prunable) {
            JniUtils.zeroGrad((PtNDArray) array(name));
        }
    }

    /** Mean over the batch of −log softmax(logits)[label]. */
    static NDArray crossEntropy(NDArray logits, NDArray labels, int numClasses) {
        NDArray y = labels.toType(DataType.INT64, true); // a copy, moved to the logits' (pass) manager
        y.attach(logits.getManager());
        NDArray oneHot = y.oneHot(numClasses).toType(logits.getDataType(), false);
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg().mean();
    }

    /** The float64 values of an array, as a Java array. */
    static double[] values(NDArray array) {
        return array.toType(DTYPE, false).toDoubleArray();
    }

    @Override
    public void close() {
        manager.close();
        JniUtils.setGradMode(gradModeBefore);
    }

    /** An initializer that yields given values (checked against the requested shape). */
    private record DoubleValues(String name, long[] shape, double[] values) implements Initializer {
        @Override
        public NDArray initialize(NDManager manager, Shape requested, DataType dataType) {
            if (!Arrays.equals(requested.getShape(), shape) || dataType != DTYPE) {
                throw new IllegalStateException(name + ": block asks for " + dataType + " " + requested
                        + " but scoring uses float64 " + Arrays.toString(shape));
            }
            return manager.create(values, requested);
        }
    }
}
