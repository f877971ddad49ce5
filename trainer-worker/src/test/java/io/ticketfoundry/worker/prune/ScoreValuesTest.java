package io.ticketfoundry.worker.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ticketfoundry.worker.model.BatchNorm2d;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.Weights;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SNIP, GraSP and SynFlow scores on networks small enough to derive them by hand. */
class ScoreValuesTest {

    // 3 inputs, 4 hidden units, 3 classes; 5 samples
    private static final ModelDefinition MLP = TinyNets.mlp(3, 4, 3);
    private static final float[] W1 = {0.5f, -1.0f, 0.25f, -0.5f, 2.0f, 1.0f, 0.3f, 0.7f, -0.2f, -0.9f, 0.4f, 0.6f};
    private static final float[] B1 = {0.1f, -0.2f, 0.05f, 0.3f};
    private static final float[] W2 = {1.0f, -2.0f, 0.5f, 0.25f, 0.5f, 0.25f, -1.5f, 0.75f, -0.3f, 1.2f, 0.8f, -0.6f};
    private static final float[] B2 = {0.3f, -0.4f, 0.2f};
    private static final float[][] X = {{1f, 0.5f, -1f}, {0.2f, -0.3f, 0.8f}, {-1f, 1f, 0.5f}, {0.7f, 0.1f, 0.3f},
        {-0.4f, -0.8f, 1.2f}};
    private static final int[] Y = {0, 2, 1, 0, 2};

    private static Weights mlpWeights() {
        return TinyNets.weights(MLP, "fc1.weight", W1, "fc1.bias", B1, "fc2.weight", W2, "fc2.bias", B2);
    }

    private static OneShotRequest.Builder mlpRequest(String method) {
        return OneShotRequest.builder(MLP, mlpWeights(), method, 0.5)
                .scoringData(TinyNets.data(X, Y, new long[] {3}));
    }

    private static MlpReference.Result reference(double temperature, double[][] v1, double[][] v2) {
        return MlpReference.compute(MlpReference.matrix(W1, 4, 3), MlpReference.vector(B1), MlpReference.matrix(W2, 3, 4),
                MlpReference.vector(B2), toDouble(X), Y, temperature, v1, v2);
    }

    private static double[][] toDouble(float[][] x) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = MlpReference.vector(x[i]);
        }
        return out;
    }

    @Test
    void snipIsTheMagnitudeOfGradientTimesWeight() {
        Map<String, double[]> scores = OneShotPruning.scores(mlpRequest(PruningMethods.SNIP).build());

        MlpReference.Result ref = reference(1.0, new double[4][3], new double[3][4]);
        double[] g1 = MlpReference.flat(ref.g1());
        double[] g2 = MlpReference.flat(ref.g2());
        for (int i = 0; i < W1.length; i++) {
            assertThat(scores.get("fc1.weight")[i]).as("fc1 %d", i).isCloseTo(Math.abs(g1[i] * W1[i]), within(1e-15));
        }
        for (int i = 0; i < W2.length; i++) {
            assertThat(scores.get("fc2.weight")[i]).as("fc2 %d", i).isCloseTo(Math.abs(g2[i] * W2[i]), within(1e-15));
        }
        assertThat(java.util.Arrays.stream(scores.get("fc1.weight")).max().orElseThrow()).isGreaterThan(1e-3);
    }

    @Test
    void graspIsMinusWeightTimesHessianGradientAtTemperature200() {
        OneShotRequest request = mlpRequest(PruningMethods.GRASP).build();
        assertThat(request.temperature()).isEqualTo(200);
        Map<String, double[]> scores = OneShotPruning.scores(request);

        MlpReference.Result g = reference(200, new double[4][3], new double[3][4]);
        MlpReference.Result hg = reference(200, g.g1(), g.g2());
        assertCloseRelative(scores.get("fc1.weight"), minusTimes(W1, MlpReference.flat(hg.hv1())), 1e-6);
        assertCloseRelative(scores.get("fc2.weight"), minusTimes(W2, MlpReference.flat(hg.hv2())), 1e-6);
    }

    @Test
    void synflowOnAnMlpIsWeightTimesPathSums() {
        // 3 → 2 → 2; with |θ| every unit is active on the all-ones input:
        // hidden h_j = Σ_i |W1[j,i]| + |b1_j| = 1.85, 3.7; column sums of |W2|: 1.5, 2.25
        ModelDefinition mlp = TinyNets.mlp(3, 2, 2);
        Weights w = TinyNets.weights(mlp, "fc1.weight", new float[] {0.5f, -1f, 0.25f, -0.5f, 2f, 1f},
                "fc1.bias", new float[] {0.1f, -0.2f}, "fc2.weight", new float[] {1f, -2f, 0.5f, 0.25f},
                "fc2.bias", new float[] {0.3f, -0.4f});
        Map<String, double[]> scores = OneShotPruning.scores(OneShotRequest.builder(mlp, w, PruningMethods.SYNFLOW, 0.5)
                .build());

        // |W1[j,i]| × colsum_j and |W2[k,j]| × h_j
        assertClose(scores.get("fc1.weight"), new double[] {0.75, 1.5, 0.375, 1.125, 4.5, 2.25}, 1e-7);
        assertClose(scores.get("fc2.weight"), new double[] {1.85, 7.4, 0.925, 0.925}, 1e-7);

        // prune W1[1,1] (the 2.0): h_1 = 0.5 + 1 + 0.2 = 1.7, so fc2's second column scores |W2[k,1]| × 1.7
        Map<String, byte[]> values = new LinkedHashMap<>();
        values.put("fc1.weight", new byte[] {1, 1, 1, 1, 0, 1});
        values.put("fc2.weight", new byte[] {1, 1, 1, 1});
        Map<String, double[]> masked = OneShotPruning.scores(OneShotRequest.builder(mlp, w, PruningMethods.SYNFLOW, 0.5)
                .mask(Mask.of(mlp, values)).build());
        assertClose(masked.get("fc2.weight"), new double[] {1.85, 3.4, 0.925, 0.425}, 1e-7);
        assertThat(masked.get("fc1.weight")[4]).isZero();
    }

    @Test
    void synflowUsesEvalBatchNormWithAbsoluteStatistics() {
        ModelDefinition model = TinyNets.convBn();
        float[] conv = {0.8f, -0.6f};
        float[] gamma = {-0.5f, 1.5f};
        float[] beta = {0.1f, -0.2f};
        float[] mean = {-0.1f, 0.2f};
        float[] var = {0.5f, 2.0f};
        float[] fc = {1f, -2f, 0.5f, 0.25f};
        Weights w = TinyNets.weights(model, "conv.weight", conv, "bn.weight", gamma, "bn.bias", beta,
                "bn.running_mean", mean, "bn.running_var", var, "fc.weight", fc, "fc.bias", new float[] {0.3f, -0.4f});
        Map<String, double[]> scores = OneShotPruning.scores(OneShotRequest.builder(model, w, PruningMethods.SYNFLOW, 0.5)
                .build());

        // channel c on the all-ones input: a_c = |γ_c| (|w_c| − |μ_c|) / sqrt(var_c + eps) + |β_c| (> 0, so ReLU passes)
        double eps = BatchNorm2d.EPSILON;
        double[] columnSums = {1.5, 2.25};
        double[] a = new double[2];
        double[] convScores = new double[2];
        for (int c = 0; c < 2; c++) {
            double scale = Math.abs(gamma[c]) / Math.sqrt(var[c] + eps);
            a[c] = scale * (Math.abs(conv[c]) - Math.abs(mean[c])) + Math.abs(beta[c]);
            convScores[c] = Math.abs(conv[c]) * columnSums[c] * scale;
        }
        assertClose(scores.get("conv.weight"), convScores, 1e-7);
        assertClose(scores.get("fc.weight"), new double[] {Math.abs(fc[0]) * a[0], Math.abs(fc[1]) * a[1],
            Math.abs(fc[2]) * a[0], Math.abs(fc[3]) * a[1]}, 1e-7);
    }

    private static double[] minusTimes(float[] w, double[] hv) {
        double[] out = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = -w[i] * hv[i];
        }
        return out;
    }

    static void assertClose(double[] actual, double[] expected, double tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("index %d", i).isCloseTo(expected[i], within(tolerance));
        }
    }

    /** Every entry within {@code relative × max|expected|} of the expected value. */
    static void assertCloseRelative(double[] actual, double[] expected, double relative) {
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertThat(scale).isGreaterThan(0);
        assertClose(actual, expected, relative * scale);
    }
}
