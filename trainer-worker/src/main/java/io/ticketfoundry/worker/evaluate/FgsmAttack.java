package io.ticketfoundry.worker.evaluate;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.ticketfoundry.worker.data.InMemoryDataset;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.Network;
import io.ticketfoundry.worker.model.Weights;

/**
 * The fast gradient sign method (Goodfellow et al. 2015) in [0, 1] pixel space:
 * {@code x_adv = clip(x + ε·sign(∇_x L), 0, 1)}, L the cross-entropy of the true label, the
 * gradient taken with respect to the pixels through the per-channel normalisation, which is then
 * applied to {@code x_adv} as in training. The model runs in evaluation mode (BatchNorm with its
 * running statistics, dropout off), so every sample's gradient is that of its own loss.
 *
 * <p>Opens a {@link GradientCollector} per batch: PyTorch allows one per JVM at a time, so this must
 * not run while the same worker trains (a worker runs one job at a time).
 */
public final class FgsmAttack {

    private final int batchSize;

    public FgsmAttack(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive");
        }
        this.batchSize = batchSize;
    }

    /**
     * One FGSM step on pixels in [0, 1]: {@code clip(x + ε·sign(g), 0, 1)}, a new array in the
     * pixels' manager. With ε = 0 it returns x unchanged (x + 0 = x, and x is already in [0, 1]).
     */
    public static NDArray step(NDArray pixels, NDArray gradient, double epsilon) {
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("ε must be finite and 0 or more, is " + epsilon);
        }
        NDArray moved = pixels.add(gradient.sign().mul((float) epsilon));
        return moved.clip(0f, 1f);
    }

    /**
     * The pixels of normalised features {@code (p/255 − mean)/std}: {@code round((x·std + mean)·255)/255},
     * exactly the values the loader normalised (its pixels are whole numbers over 255), so that
     * normalising them again reproduces the features bit for bit.
     */
    public static NDArray pixels(NDArray features, NDArray mean, NDArray std) {
        return features.mul(std).add(mean).mul(255f).round().div(255f);
    }

    /** The correct predictions (first maximal logit equals the label) under attack at every ε. */
    public long[] correct(ModelDefinition definition, Weights weights, InMemoryDataset data, float[] mean, float[] std,
            double[] epsilons) {
        int n = data.size();
        int k = definition.numClasses();
        int[] labels = data.labelValues();
        long[] correct = new long[epsilons.length];
        try (Model model = Model.newInstance(definition.name() + "-fgsm")) {
            Network network = definition.newNetwork();
            model.setBlock(network.block());
            network.initializeWith(weights);
            network.block().initialize(model.getNDManager(), DataType.FLOAT32,
                    new Shape(1).addAll(definition.sampleShape()));
            ParameterStore store = new ParameterStore(model.getNDManager(), false);
            for (int begin = 0; begin < n; begin += batchSize) {
                int end = Math.min(begin + batchSize, n);
                try (NDManager batch = model.getNDManager().newSubManager()) {
                    NDArray x = data.features().get(batch, new NDIndex().addSliceDim(begin, end));
                    NDArray meanArray = broadcastable(batch, mean, x);
                    NDArray stdArray = broadcastable(batch, std, x);
                    NDArray pixels = pixels(x, meanArray, stdArray);
                    NDArray gradient = gradient(network, store, pixels, meanArray, stdArray,
                            data.labels().get(batch, new NDIndex().addSliceDim(begin, end)), k);
                    for (int e = 0; e < epsilons.length; e++) {
                        NDArray adversarial = step(pixels, gradient, epsilons[e]).sub(meanArray).div(stdArray);
                        float[] logits = network.block().forward(store, new NDList(adversarial), false)
                                .singletonOrThrow().toFloatArray();
                        int[] batchLabels = java.util.Arrays.copyOfRange(labels, begin, end);
                        correct[e] += (end - begin) - RobustnessMath.topOneErrors(logits, k, batchLabels);
                    }
                }
            }
        }
        return correct;
    }

    /** ∇ of Σ_batch CE(f((p − mean)/std), y) with respect to the pixels p (a copy without gradient tracking). */
    private static NDArray gradient(Network network, ParameterStore store, NDArray pixels, NDArray mean, NDArray std,
            NDArray labels, int numClasses) {
        NDArray input = pixels.duplicate();
        input.setRequiresGradient(true);
        try (GradientCollector collector = pixels.getManager().getEngine().newGradientCollector()) {
            NDArray logits = network.block().forward(store, new NDList(input.sub(mean).div(std)), false)
                    .singletonOrThrow();
            NDArray oneHot = labels.toType(DataType.INT64, false).oneHot(numClasses).toType(logits.getDataType(), false);
            // the sum, not the mean: each sample's gradient is its own loss's, and no scaling shrinks it
            NDArray loss = logits.logSoftmax(1).mul(oneHot).sum().neg();
            collector.backward(loss);
        }
        return input.getGradient().duplicate();
    }

    /** Per-channel constants shaped to broadcast over features [N, C, H, W] (or flattened one-channel [N, D]). */
    static NDArray broadcastable(NDManager manager, float[] perChannel, NDArray features) {
        Shape shape = features.getShape();
        if (shape.dimension() == 4) {
            return manager.create(perChannel, new Shape(1, perChannel.length, 1, 1));
        }
        if (perChannel.length != 1) {
            throw new IllegalArgumentException("features of shape " + shape + " with " + perChannel.length + " channels");
        }
        long[] ones = new long[shape.dimension()];
        java.util.Arrays.fill(ones, 1);
        return manager.create(perChannel, new Shape(ones));
    }
}
