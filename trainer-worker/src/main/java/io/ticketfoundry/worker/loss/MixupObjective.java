package io.ticketfoundry.worker.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import java.util.Random;

/**
 * {@code mixup} (Zhang et al.): per batch {@code λ ~ Beta(α, α)} and a permutation j of the batch,
 * both drawn from the step's seed; inputs {@code λ x_i + (1 − λ) x_j}, targets
 * {@code λ onehot(y_i) + (1 − λ) onehot(y_j)}; loss the cross-entropy against the mixed targets,
 * mean over the batch.
 */
public final class MixupObjective implements TrainingObjective {

    private final double alpha;

    public MixupObjective(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public String kind() {
        return "mixup";
    }

    /** λ ~ Beta(α, α) as G1 / (G1 + G2) of two Gamma(α) draws. */
    static double lambda(Random random, double alpha) {
        double a = gamma(random, alpha);
        double b = gamma(random, alpha);
        return a + b == 0 ? 0.5 : a / (a + b);
    }

    static long[] permutation(Random random, int n) {
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang (shape < 1 boosted by U^(1/shape)). */
    static double gamma(Random random, double shape) {
        if (shape < 1) {
            double u = random.nextDouble();
            return gamma(random, shape + 1) * Math.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = random.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    @Override
    public Batch prepare(NDArray x, NDArray labels, int numClasses, long seed) {
        Random random = new Random(seed);
        double lambda = lambda(random, alpha);
        int n = Math.toIntExact(x.getShape().get(0));
        NDArray order = x.getManager().create(permutation(random, n));
        NDIndex rows = new NDIndex("{}", order);
        NDArray oneHot = Losses.oneHot(labels, numClasses);
        NDArray mixedX = x.mul((float) lambda).add(x.get(rows).mul(1 - lambda));
        NDArray mixedY = oneHot.mul((float) lambda).add(oneHot.get(rows).mul(1 - lambda));
        return new Batch(mixedX, mixedY);
    }

    @Override
    public NDArray loss(NDList logits, NDArray targets) {
        return Losses.crossEntropy(targets, logits.singletonOrThrow().logSoftmax(1)).mean();
    }
}
