package io.ticketfoundry.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.ticketfoundry.common.spec.TrainingSpec;
import org.junit.jupiter.api.Test;

/**
 * Two updates of each optimizer on a two-element weight with fixed gradients, against the update
 * rules of torch.optim (SGD with Nesterov momentum, AdamW with decoupled weight decay) computed
 * by hand below.
 */
class OptimizerUpdateRulesTest {

    private static float[] twoSteps(TrainingSpec spec) {
        StatefulOptimizer optimizer = OptimizerFactory.create(spec);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(new float[] {1.0f, -2.0f});
            NDArray grad = manager.create(new float[] {0.5f, 0.25f});
            optimizer.update("w", weight, grad);
            optimizer.update("w", weight, grad);
            return weight.toFloatArray();
        }
    }

    @Test
    void nesterovSgdFollowsTorchOptimSgdWithNesterov() {
        double lr = 0.1;
        double mu = 0.9;
        double wd = 0.01;
        float[] actual = twoSteps(new TrainingSpec("sgd", lr, mu, wd, 1, 1, true, null));
        double[] w = {1.0, -2.0};
        double[] g = {0.5, 0.25};
        for (int i = 0; i < 2; i++) {
            double v = 0;
            double x = w[i];
            for (int step = 0; step < 2; step++) {
                double d = g[i] + wd * x;
                v = step == 0 ? d : mu * v + d;
                x -= lr * (d + mu * v);
            }
            assertThat((double) actual[i]).as("element %d", i).isCloseTo(x, within(1e-6));
        }
    }

    @Test
    void adamWFollowsTorchOptimAdamW() {
        double lr = 0.01;
        double wd = 0.1;
        float[] actual = twoSteps(new TrainingSpec("adamw", lr, 0.0, wd, 1, 1, null, null));
        double[] w = {1.0, -2.0};
        double[] g = {0.5, 0.25};
        for (int i = 0; i < 2; i++) {
            double m = 0;
            double v = 0;
            double x = w[i];
            for (int t = 1; t <= 2; t++) {
                x -= lr * wd * x;
                m = 0.9 * m + 0.1 * g[i];
                v = 0.999 * v + 0.001 * g[i] * g[i];
                double mHat = m / (1 - Math.pow(0.9, t));
                double vHat = v / (1 - Math.pow(0.999, t));
                x -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
            }
            assertThat((double) actual[i]).as("element %d", i).isCloseTo(x, within(1e-5));
        }
    }
}
