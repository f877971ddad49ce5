package io.ticketfoundry.worker.prune;

import static io.ticketfoundry.worker.prune.ScoreValuesTest.assertCloseRelative;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.ticketfoundry.worker.model.LeNet5;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** GraSP's Hessian-vector product (central differences of gradients) against exact products. */
class HessianVectorProductTest {

    /**
     * Multinomial logistic regression z = W x + b: with p_i = softmax(z_i / T), the gradient is
     * g = (1/N) Σ_i (p_i − y_i) x_iᵀ / T and H V = (1/N) Σ_i (diag(p_i) − p_i p_iᵀ)(V x_i) x_iᵀ / T².
     */
    @Test
    void graspMatchesTheClosedFormOfASoftmaxRegression() {
        int d = 4;
        int k = 3;
        ModelDefinition model = TinyNets.linear(d, k);
        float[] w = {0.4f, -0.3f, 0.8f, 0.1f, -0.6f, 0.2f, 0.5f, -0.9f, 0.3f, 0.7f, -0.1f, 0.25f};
        float[] b = {0.05f, -0.1f, 0.2f};
        float[][] x = {{1f, -0.5f, 0.3f, 0.9f}, {-0.2f, 0.8f, -1.1f, 0.4f}, {0.6f, 0.1f, 0.7f, -0.3f},
            {-0.9f, -0.4f, 0.2f, 0.5f}, {0.3f, 1.2f, -0.6f, -0.8f}};
        int[] y = {2, 0, 1, 1, 0};
        for (double temperature : new double[] {1, 200}) {
            OneShotRequest request = OneShotRequest.builder(model, TinyNets.weights(model, "fc.weight", w, "fc.bias", b),
                    PruningMethods.GRASP, 0.5).temperature(temperature).scoringData(TinyNets.data(x, y, new long[] {d}))
                    .build();
            double[] scores = OneShotPruning.scores(request).get("fc.weight");

            double[][] p = new double[x.length][k];
            double[][] g = new double[k][d];
            for (int i = 0; i < x.length; i++) {
                double[] z = new double[k];
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    z[c] = b[c];
                    for (int j = 0; j < d; j++) {
                        z[c] += w[c * d + j] * (double) x[i][j];
                    }
                    z[c] /= temperature;
                    max = Math.max(max, z[c]);
                }
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    p[i][c] = Math.exp(z[c] - max);
                    sum += p[i][c];
                }
                for (int c = 0; c < k; c++) {
                    p[i][c] /= sum;
                    for (int j = 0; j < d; j++) {
                        g[c][j] += (p[i][c] - (c == y[i] ? 1 : 0)) * x[i][j] / (x.length * temperature);
                    }
                }
            }
            double[] expected = new double[k * d];
            for (int i = 0; i < x.length; i++) {
                double[] u = new double[k]; // V x_i with V = g
                for (int c = 0; c < k; c++) {
                    for (int j = 0; j < d; j++) {
                        u[c] += g[c][j] * x[i][j];
                    }
                }
                double pu = 0;
                for (int c = 0; c < k; c++) {
                    pu += p[i][c] * u[c];
                }
                for (int c = 0; c < k; c++) {
                    double r = p[i][c] * (u[c] - pu); // ((diag p − p pᵀ) u)_c
                    for (int j = 0; j < d; j++) {
                        expected[c * d + j] += r * x[i][j] / (x.length * temperature * temperature);
                    }
                }
            }
            for (int i = 0; i < expected.length; i++) {
                expected[i] *= -w[i];
            }
            // central differences of float64 gradients whose sums the engine may reduce in any thread order:
            // agreement varies around 1e-6 from run to run, so 1e-5 of the largest score
            assertCloseRelative(scores, expected, 1e-5);
        }
    }

    /**
     * Hidden unit 0 gets exactly 0 on sample 0 (0.5 · 1 − 0.5), so it is off at w (PyTorch's ReLU
     * passes gradient where its input is > 0) and on at w + εg or w − εg. The gradient of fc1's
     * row 0 jumps on that side; the difference from the other side is taken and equals the exact
     * product. fc2's column 0 (fed by the unit) sees only a change of slope and takes one side's.
     */
    @Test
    void aUnitAtItsReluThresholdTakesTheDifferenceFromTheSideWithoutTheJump() {
        ModelDefinition model = TinyNets.mlp(3, 2, 2);
        float[] w1 = {0.5f, -1f, 0.25f, -0.5f, 0.8f, 1f};
        float[] b1 = {-0.5f, 0.3f};
        float[] w2 = {1f, -2f, 0.5f, 0.25f};
        float[] b2 = {0.3f, -0.4f};
        float[][] x = {{1f, 0f, 0f}, {0.2f, -0.3f, 0.8f}, {-1f, 1f, 0.5f}, {1.5f, 0.2f, 0.4f}};
        int[] y = {1, 0, 1, 0};
        Weights weights = TinyNets.weights(model, "fc1.weight", w1, "fc1.bias", b1, "fc2.weight", w2, "fc2.bias", b2);
        ScoringInputs inputs = new ScoringInputs(model, weights, List.of("fc1.weight", "fc2.weight"), 0, 1,
                PruningMethods.BN_TRAIN, 1.0);
        Map<String, double[]> scores;
        Map<String, Object> details;
        try (Scorer scorer = ((PruningMethod.DataDriven) PruningMethods.get(PruningMethods.GRASP))
                .open(inputs, TinyNets.data(x, y, new long[] {3}))) {
            scores = scorer.scores(Mask.allOnes(model));
            details = scorer.details();
        }

        double[][] dx = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            dx[i] = MlpReference.vector(x[i]);
        }
        double[] exactOff = graspScores(w1, b1, b1, w2, b2, dx, y);
        // the other side's curvature: the Hessian with unit 0 just on for sample 0, times the same g
        double[] exactOn = graspScores(w1, b1, new float[] {-0.5f + 1e-7f, 0.3f}, w2, b2, dx, y);
        double[] actual = new double[10];
        System.arraycopy(scores.get("fc1.weight"), 0, actual, 0, 6);
        System.arraycopy(scores.get("fc2.weight"), 0, actual, 6, 4);
        double scale = java.util.Arrays.stream(exactOff).map(Math::abs).max().orElseThrow();
        assertThat((long) details.get("hvpOneSidedEntries")).isPositive();
        assertThat(Math.abs(exactOn[0] - exactOff[0])).as("the jump is visible").isGreaterThan(1e-3 * scale);
        for (int i : new int[] {0, 1, 2, 3, 4, 5, 7, 9}) { // fc1, and fc2's column 1
            assertThat(actual[i]).as("entry %d", i).isCloseTo(exactOff[i], within(1e-5 * scale));
        }
        for (int i : new int[] {6, 8}) { // fc2's column 0
            assertThat(Math.min(Math.abs(actual[i] - exactOff[i]), Math.abs(actual[i] - exactOn[i])))
                    .as("entry %d", i).isLessThan(1e-5 * scale);
        }
    }

    /**
     * GraSP's −w ⊙ Hg of the MLP, fc1 then fc2, flat, from the hand-written reference: g at fc1's
     * bias {@code b1}, H at {@code b1ForHessian}.
     */
    private static double[] graspScores(float[] w1, float[] b1, float[] b1ForHessian, float[] w2, float[] b2,
            double[][] x, int[] y) {
        double[][] dw1 = MlpReference.matrix(w1, 2, 3);
        double[][] dw2 = MlpReference.matrix(w2, 2, 2);
        MlpReference.Result g = MlpReference.compute(dw1, MlpReference.vector(b1), dw2, MlpReference.vector(b2), x, y, 1,
                new double[2][3], new double[2][2]);
        MlpReference.Result hg = MlpReference.compute(dw1, MlpReference.vector(b1ForHessian), dw2,
                MlpReference.vector(b2), x, y, 1, g.g1(), g.g2());
        double[] out = new double[10];
        System.arraycopy(minusTimes(w1, MlpReference.flat(hg.hv1())), 0, out, 0, 6);
        System.arraycopy(minusTimes(w2, MlpReference.flat(hg.hv2())), 0, out, 6, 4);
        return out;
    }

    @Test
    void centralDifferencesMatchTheEnginesDoubleBackwardOnConvolutionsPoolingAndBatchNorm() {
        Random random = new Random(3);
        ModelDefinition lenet5 = new LeNet5(10);
        compareWithEngine(lenet5, lenet5.initialWeights(7), randomData(random, 12, 1 * 28 * 28, 10, new long[] {1, 28, 28}),
                false, 1);
        ModelDefinition convBn = TinyNets.smallConvBn();
        ScoringData data = randomData(random, 16, 3 * 8 * 8, 3, new long[] {3, 8, 8});
        compareWithEngine(convBn, convBn.initialWeights(5), data, true, 1);
        compareWithEngine(convBn, convBn.initialWeights(5), data, true, 200);
    }

    private static void compareWithEngine(ModelDefinition model, Weights weights, ScoringData data, boolean training,
            double temperature) {
        Map<String, double[]> exact;
        try (ScoringNetwork network = new ScoringNetwork(model, weights, Mask.allOnes(model), false);
                NDManager scratch = network.manager().newSubManager()) {
            ScoringBatch batch = data.select(scratch, 1, 0);
            Map<String, NDArray> g = network.lossGradients(scratch, batch, temperature, training);
            exact = engineHvp(network, scratch, batch, temperature, training, g);
        }
        try (ScoringNetwork network = new ScoringNetwork(model, weights, Mask.allOnes(model), false);
                NDManager scratch = network.manager().newSubManager()) {
            ScoringBatch batch = data.select(scratch, 1, 0);
            Map<String, NDArray> w = network.weights(scratch);
            Map<String, NDArray> g = network.lossGradients(scratch, batch, temperature, training);
            FiniteDifferenceHvp.Result fd = FiniteDifferenceHvp.compute(network, w, g, g,
                    () -> network.lossGradients(scratch, batch, temperature, training), network.prunable());
            for (String name : network.prunable()) {
                assertCloseRelative(fd.product().get(name), exact.get(name), 1e-5);
            }
        }
    }

    /**
     * H v by the engine's own double backward: backward with create_graph, then the gradient of
     * Σ v · ∇L. Exact, but it leaves each weight's gradient holding its graph (a reference cycle
     * DJL cannot break), which is why it stays in the tests.
     */
    private static Map<String, double[]> engineHvp(ScoringNetwork network, NDManager scratch, ScoringBatch batch,
            double temperature, boolean training, Map<String, NDArray> v) {
        network.zeroGradients();
        Map<String, NDArray> firstOrder = new LinkedHashMap<>();
        try (GradientCollector collector = network.manager().getEngine().newGradientCollector()) {
            NDArray x = batch.features().toType(ScoringNetwork.DTYPE, true);
            NDArray logits = network.forward(x, training).div(temperature);
            NDArray loss = ScoringNetwork.crossEntropy(logits, batch.labels(), network.model().numClasses());
            JniUtils.backward((PtNDArray) loss, (PtNDArray) scratch.ones(loss.getShape(), ScoringNetwork.DTYPE), true, true);
            NDArray z = null;
            for (String name : network.prunable()) {
                NDArray gradient = network.array(name).getGradient();
                firstOrder.put(name, gradient.stopGradient().duplicate());
                NDArray term = gradient.mul(v.get(name)).sum();
                z = z == null ? term : z.add(term);
            }
            collector.backward(z);
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String name : network.prunable()) {
            // the second backward adds H v to the gradient left by the first
            out.put(name, ScoringNetwork.values(network.array(name).getGradient().sub(firstOrder.get(name))));
        }
        return out;
    }

    private static ScoringData randomData(Random random, int n, int features, int classes, long[] shape) {
        float[][] x = new float[n][features];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < features; j++) {
                x[i][j] = (float) random.nextGaussian();
            }
            y[i] = i % classes;
        }
        return TinyNets.data(x, y, shape);
    }

    private static double[] minusTimes(float[] w, double[] hv) {
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = -w[i] * hv[i];
        }
        return out;
    }
}
