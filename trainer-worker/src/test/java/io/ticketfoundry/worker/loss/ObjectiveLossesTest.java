package io.ticketfoundry.worker.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.ticketfoundry.common.spec.ObjectiveSpec;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each objective on two samples, three classes: logits z = [[1, 2, 3], [0.5, −1, 0]], labels
 * [2, 0] (a second dropout pass z2 = [[3, 1, 0], [0, 0.5, −1]] where needed). The expected values
 * were worked out by hand from the definitions in docs/experiments.md (double precision).
 */
class ObjectiveLossesTest {

    private static final float[] Z = {1, 2, 3, 0.5f, -1, 0};
    private static final float[] Z2 = {3, 1, 0, 0, 0.5f, -1};
    private static final long[] Y = {2, 0};
    private static final double TOL = 2e-6;

    private NDManager m;

    @BeforeEach
    void open() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        m.close();
    }

    private NDArray logits(float[] values) {
        NDArray z = m.create(values, new Shape(2, 3));
        z.setRequiresGradient(true);
        return z;
    }

    private NDArray labels() {
        return m.create(Y);
    }

    private static double value(NDArray loss) {
        return loss.getFloat();
    }

    private static double[] softmax(float[] z, int row) {
        double[] p = new double[3];
        double sum = 0;
        for (int k = 0; k < 3; k++) {
            p[k] = Math.exp(z[row * 3 + k]);
            sum += p[k];
        }
        for (int k = 0; k < 3; k++) {
            p[k] /= sum;
        }
        return p;
    }

    private static void assertClose(float[] actual, double[] expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("element " + i).isCloseTo(expected[i], within(TOL));
        }
    }

    @Test
    void basicIsSoftmaxCrossEntropy() {
        assertThat(value(new BasicObjective().loss(new NDList(logits(Z)), labels()))).isCloseTo(0.5058682849, within(TOL));
    }

    @Test
    void labelSmoothingSpreadsEpsilonOverAllClasses() {
        assertThat(value(new LabelSmoothingObjective(0.1).loss(new NDList(logits(Z)), labels())))
                .isCloseTo(0.5892016182, within(TOL));
        assertThat(value(new LabelSmoothingObjective(0).loss(new NDList(logits(Z)), labels())))
                .isCloseTo(0.5058682849, within(TOL));
    }

    @Test
    void focalWeighsByOneMinusTheTrueClassProbability() {
        assertThat(value(new FocalObjective(3).loss(new NDList(logits(Z)), labels()))).isCloseTo(0.0358093003, within(TOL));
        assertThat(value(new FocalObjective(0).loss(new NDList(logits(Z)), labels()))).isCloseTo(0.5058682849, within(TOL));
    }

    @Test
    void mdaAddsTheDivergenceOfTheBatchMeanFromUniform() {
        assertThat(value(new MdaObjective(1).loss(new NDList(logits(Z)), labels()))).isCloseTo(0.5864618643, within(TOL));
        // a batch whose mean prediction is uniform pays nothing extra
        NDArray symmetric = m.create(new float[] {2, 0, 0, 0, 2, 0, 0, 0, 2}, new Shape(3, 3));
        NDArray y = m.create(new long[] {0, 1, 2});
        double ce = value(new BasicObjective().loss(new NDList(symmetric), y));
        assertThat(value(new MdaObjective(5).loss(new NDList(symmetric), y))).isCloseTo(ce, within(TOL));
    }

    @Test
    void theSeedsBatchSumWeightingDividesTheBatchTermByTheBatchSize() {
        double ce = 0.5058682849;
        double mdaTerm = 0.5864618643 - ce;
        // two samples: CE summed over the batch plus the term once, divided by N = 2
        assertThat(value(new MdaObjective(1, true).loss(new NDList(logits(Z)), labels())))
                .isCloseTo(ce + mdaTerm / 2, within(TOL));
        double nbaTerm = (1.1560944913 - ce) / 0.5;
        NbaObjective seedWeighting = new NbaObjective(0.5, 4, 1.0 / 8, List.of(2.0, 1.0, 1.0, 2.0), true);
        assertThat(value(seedWeighting.loss(new NDList(logits(Z)), labels())))
                .isCloseTo(ce + 0.5 / 2 * nbaTerm, within(1e-5));
    }

    @Test
    void nbaSoftHistogramAndPenalty() {
        NbaObjective nba = new NbaObjective(0.5, 4, 1.0 / 8, List.of(2.0, 1.0, 1.0, 2.0));
        // confidences 0.6652409558 and 0.5465493883; bins centred at 1/8, 3/8, 5/8, 7/8, σ = 1/8
        float[] histogram = nba.softHistogram(m.create(new float[] {0.6652409558f, 0.5465493883f})).toFloatArray();
        assertClose(histogram, new double[] {0.00139544, 0.18319677, 0.70575188, 0.1096559});
        assertThat(value(nba.loss(new NDList(logits(Z)), labels()))).isCloseTo(1.1560944913, within(1e-5));
        // one sample exactly on a centre: weights exp(−(d/σ)²/2) over the bins, normalised
        float[] one = nba.softHistogram(m.create(new float[] {0.375f})).toFloatArray();
        double e2 = Math.exp(-2);
        double e8 = Math.exp(-8);
        double total = 1 + 2 * e2 + e8;
        assertClose(one, new double[] {e2 / total, 1 / total, e2 / total, e8 / total});
    }

    @Test
    void nbaDefaultsAreOurs() {
        ObjectiveSpec filled = ObjectiveSpec.of("nba").withDefaults();
        assertThat(filled.bins()).isEqualTo(15);
        assertThat(filled.bandwidth()).isEqualTo(1.0 / 30);
        assertThat(filled.binWeights()).containsExactly(2.0, 2.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0);
        assertThat(filled.gammaN()).isEqualTo(1.0);
    }

    @Test
    void vwccWeightsByOneMinusTheMeanBhattacharyyaCoefficient() {
        VwccObjective vwcc = new VwccObjective(2, 0.2);
        NDArray z = logits(Z);
        NDArray z2 = logits(Z2);
        float[] alpha = VwccObjective.alpha(new NDList(z.softmax(1), z2.softmax(1))).toFloatArray();
        assertClose(alpha, new double[] {0.1038315363, 0.0294582999});
        // passes that agree: α = 0 and the loss is plain cross-entropy
        assertClose(VwccObjective.alpha(new NDList(z.softmax(1), z.softmax(1))).toFloatArray(), new double[] {0, 0});
        assertThat(value(vwcc.loss(new NDList(z, z), labels()))).isCloseTo(0.5058682849, within(TOL));

        double loss;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray l = vwcc.loss(new NDList(z, z2), labels());
            loss = value(l);
            collector.backward(l);
        }
        assertThat(loss).isCloseTo(1.2456958905, within(TOL));
        // α constant: d/dz_t = (p_t − (1 − α) y − α/K) / (T N)
        float[][] passes = {Z, Z2};
        NDArray[] arrays = {z, z2};
        for (int t = 0; t < 2; t++) {
            double[] expected = new double[6];
            for (int i = 0; i < 2; i++) {
                double[] p = softmax(passes[t], i);
                for (int k = 0; k < 3; k++) {
                    double y = Y[i] == k ? 1 : 0;
                    expected[i * 3 + k] = (p[k] - (1 - alpha[i]) * y - alpha[i] / 3) / 4;
                }
            }
            assertClose(arrays[t].getGradient().toFloatArray(), expected);
        }
    }

    @Test
    void lwccSiBetaIsOneWhenWrongAndOneMinusConfidenceWhenRight() {
        NDArray z = logits(Z);
        NDArray z2 = logits(Z2);
        NDArray mean = z.softmax(1).add(z2.softmax(1)).div(2);
        // p̄ = [[0.467, 0.179, 0.354], [0.439, 0.334, 0.227]]: sample 0 predicts 0 but is 2 (wrong), sample 1 right
        assertClose(LwccSiObjective.beta(mean, labels()).toFloatArray(), new double[] {1.0, 0.5609758262});
        assertThat(value(new LwccSiObjective(2, 0.2, 0.5).loss(new NDList(z, z2), labels())))
                .isCloseTo(0.9549627465, within(TOL));
    }

    @Test
    void lwccSiGradientTreatsBetaAsConstant() {
        NDArray z = logits(Z);
        double lambda = 0.5;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(new LwccSiObjective(1, 0.2, lambda).loss(new NDList(z), labels()));
        }
        // one pass: p̄ = p; sample 0 right (β = 1 − 0.665), sample 1 right (β = 1 − max p)
        double[] expected = new double[6];
        for (int i = 0; i < 2; i++) {
            double[] p = softmax(Z, i);
            int predicted = 0;
            for (int k = 1; k < 3; k++) {
                predicted = p[k] > p[predicted] ? k : predicted;
            }
            double beta = predicted == Y[i] ? 1 - p[predicted] : 1;
            for (int k = 0; k < 3; k++) {
                double y = Y[i] == k ? 1 : 0;
                expected[i * 3 + k] = ((p[k] - y) + lambda * beta * (p[k] - 1.0 / 3)) / 2;
            }
        }
        assertClose(z.getGradient().toFloatArray(), expected);
    }

    @Test
    void mixupMixesInputsAndOneHotTargetsWithOneSeededDraw() {
        MixupObjective mixup = new MixupObjective(0.2);
        NDArray x = m.create(new float[] {1, 0, 0, 1, 5, 5}, new Shape(3, 2));
        NDArray y = m.create(new long[] {0, 1, 2});
        TrainingObjective.Batch a = mixup.prepare(x, y, 3, 42);
        TrainingObjective.Batch b = mixup.prepare(x, y, 3, 42);
        assertThat(a.x().toFloatArray()).containsExactly(b.x().toFloatArray());
        Random random = new Random(42);
        double lambda = MixupObjective.lambda(random, 0.2);
        long[] perm = MixupObjective.permutation(random, 3);
        float[] xs = x.toFloatArray();
        float[] mixedX = a.x().toFloatArray();
        float[] mixedY = a.targets().toFloatArray();
        for (int i = 0; i < 3; i++) {
            int j = (int) perm[i];
            for (int c = 0; c < 2; c++) {
                assertThat((double) mixedX[i * 2 + c]).isCloseTo(lambda * xs[i * 2 + c] + (1 - lambda) * xs[j * 2 + c], within(1e-5));
            }
            for (int k = 0; k < 3; k++) {
                double expected = (k == i ? lambda : 0) + (k == j ? 1 - lambda : 0);
                assertThat((double) mixedY[i * 3 + k]).isCloseTo(expected, within(1e-6));
            }
        }
        // the loss is cross-entropy against the soft targets: [0.3, 0, 0.7] on z's first row
        NDArray soft = m.create(new float[] {0.3f, 0, 0.7f}, new Shape(1, 3));
        NDArray row = m.create(new float[] {1, 2, 3}, new Shape(1, 3));
        double logSum = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
        assertThat(value(mixup.loss(new NDList(row), soft))).isCloseTo(0.3 * (logSum - 1) + 0.7 * (logSum - 3), within(TOL));
    }

    @Test
    void mixupLambdaFollowsBetaAlphaAlpha() {
        Random random = new Random(7);
        int n = 20_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double l = MixupObjective.lambda(random, 0.2);
            assertThat(l).isBetween(0.0, 1.0);
            sum += l;
            sumSq += l * l;
        }
        double mean = sum / n;
        double variance = sumSq / n - mean * mean;
        // Beta(α, α): mean 1/2, variance 1 / (4 (2α + 1)) = 0.1786 for α = 0.2
        assertThat(mean).isCloseTo(0.5, within(0.01));
        assertThat(variance).isCloseTo(1 / (4 * 1.4), within(0.005));
    }

    @Test
    void theSpecNamesTheObjectiveAndItsDefaults() {
        assertThat(Objectives.of(null)).isInstanceOf(BasicObjective.class);
        TrainingObjective vwcc = Objectives.of(ObjectiveSpec.of("vwcc"));
        assertThat(vwcc.passes()).isEqualTo(5);
        assertThat(vwcc.dropout()).isEqualTo(0.2);
        assertThat(Objectives.of(ObjectiveSpec.of("lwcc-si")).passes()).isEqualTo(5);
        assertThat(Objectives.describe(ObjectiveSpec.of("lwcc-si"))).isEqualTo("lwcc-si passes=5 dropout=0.2 lambda=1.0");
        assertThat(vwcc.convDropout()).isFalse();
        ObjectiveSpec conv = new ObjectiveSpec("vwcc", null, null, null, "hidden-and-conv", null, null, null, null, null,
                null, null, null, null);
        assertThat(Objectives.of(conv).convDropout()).isTrue();
        assertThat(Objectives.describe(conv)).isEqualTo("vwcc passes=5 dropout=0.2 dropoutPlacement=hidden-and-conv");
        ObjectiveSpec lwccConv = new ObjectiveSpec("lwcc-si", null, 3, 0.1, "hidden-and-conv", null, null, null, null, null,
                null, null, null, null);
        assertThat(Objectives.of(lwccConv).convDropout()).isTrue();
        assertThat(Objectives.describe(lwccConv)).isEqualTo("lwcc-si passes=3 dropout=0.1 dropoutPlacement=hidden-and-conv lambda=1.0");
        ObjectiveSpec spelledOut = new ObjectiveSpec("vwcc", null, null, null, "hidden", null, null, null, null, null,
                null, null, null, null);
        assertThat(Objectives.describe(spelledOut)).isEqualTo("vwcc passes=5 dropout=0.2");
        assertThat(Objectives.of(spelledOut).convDropout()).isFalse();
        assertThat(Objectives.describe(null)).isEqualTo("basic");
        assertThat(Objectives.describe(ObjectiveSpec.of("mda"))).isEqualTo("mda gammaD=1.0 weighting=batch-sum");
        for (String kind : ObjectiveSpec.KINDS) {
            assertThat(Objectives.of(ObjectiveSpec.of(kind)).kind()).isEqualTo(kind);
        }
    }

    @Test
    void meanProbabilitiesThatUnderflowStayFinite() {
        // class 2 has probability e^-200 in one pass and about 1 in the other: p̄_2 ≈ 1/2, p̄_0 ≈ e^-100/2
        NDArray a = logits(new float[] {200, 0, 0, 0, 0, 0});
        NDArray b = logits(new float[] {-100, 0, 100, 0, 0, 0});
        double lwcc = value(new LwccSiObjective(2, 0.2, 1).loss(new NDList(a, b), labels()));
        assertThat(lwcc).isFinite();
        NDArray extreme = logits(new float[] {0, 0, 300, 0, 0, 300});
        assertThat(value(new MdaObjective(1).loss(new NDList(extreme), labels()))).isFinite();
    }
}
