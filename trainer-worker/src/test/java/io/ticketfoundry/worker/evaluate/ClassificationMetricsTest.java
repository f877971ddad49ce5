package io.ticketfoundry.worker.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ticketfoundry.common.protocol.MetricReport;
import io.ticketfoundry.common.spec.EvaluationSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

    private static final double TOL = 1e-6;

    private static float ln(double x) {
        return (float) Math.log(x);
    }

    /**
     * Two classes; logits [ln a, ln b] give p = a/(a+b). Confidences and outcomes:
     * 0.5 right (class 0 wins the tie), 0.75 wrong, 0.9 right, 0.7 right.
     */
    private final float[] logits = {
        0f, 0f,
        ln(3), 0f,
        0f, ln(9),
        ln(7.0 / 3), 0f,
    };
    private final int[] labels = {0, 1, 1, 0};

    private static MetricReport named(List<MetricReport> reports, String name) {
        return reports.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void valuesMatchHandComputation() {
        List<MetricReport> reports = ClassificationMetrics.compute(logits, 2, labels, 5, "mnist", "test");

        assertThat(reports).extracting(MetricReport::name)
                .containsExactly("accuracy", "ece", "nll", "brier", "sce", "per-class-accuracy");
        assertThat(reports).allSatisfy(r -> {
            assertThat(r.dataset()).isEqualTo("mnist");
            assertThat(r.split()).isEqualTo("test");
        });
        assertThat(named(reports, "accuracy").value()).isEqualTo(0.75);
        // bins of width 0.2: (0.4,0.6] {0.5 right}, (0.6,0.8] {0.75 wrong, 0.7 right}, (0.8,1] {0.9 right}
        double ece = 0.25 * Math.abs(1 - 0.5) + 0.5 * Math.abs(0.5 - 0.725) + 0.25 * Math.abs(1 - 0.9);
        assertThat(named(reports, "ece").value()).isCloseTo(ece, within(TOL)).isCloseTo(0.2625, within(TOL));
        double nll = (Math.log(2) + Math.log(4) - Math.log(0.9) - Math.log(0.7)) / 4;
        assertThat(named(reports, "nll").value()).isCloseTo(nll, within(TOL));
        // two classes: sum over k of (p_k - y_k)^2 = 2 (1 - p_true)^2
        double brier = 2 * (0.25 + 0.5625 + 0.01 + 0.09) / 4;
        assertThat(named(reports, "brier").value()).isCloseTo(brier, within(TOL)).isCloseTo(0.45625, within(TOL));
    }

    @Test
    @SuppressWarnings("unchecked")
    void eceReportsEveryBinIncludingEmptyOnesAndItsConventions() {
        MetricReport ece = named(ClassificationMetrics.compute(logits, 2, labels, 5, "mnist", "test"), "ece");

        assertThat(ece.conventions()).containsEntry("bins", 5).containsEntry("binning", "equal-width")
                .containsEntry("edges", "(lo,hi], first [0,1/B]").containsEntry("confidence", "top-label");
        List<Map<String, Object>> bins = (List<Map<String, Object>>) ece.details().get("bins");
        assertThat(bins).hasSize(5);
        assertThat(bins).extracting(b -> b.get("count")).containsExactly(0L, 0L, 1L, 2L, 1L);
        assertThat(bins.get(0)).containsEntry("lower", 0.0).containsEntry("upper", 0.2)
                .containsEntry("accuracy", null).containsEntry("confidence", null);
        assertThat(bins.get(3)).containsEntry("lower", 0.6).containsEntry("upper", 0.8).containsEntry("accuracy", 0.5);
        assertThat((double) bins.get(3).get("confidence")).isCloseTo(0.725, within(TOL));
        assertThat(bins.get(4)).containsEntry("upper", 1.0);
    }

    @Test
    void confidenceOnAnEdgeGoesToTheLowerBinAndZeroToTheFirst() {
        for (int bins : new int[] {5, 10, 14, 15}) {
            assertThat(ClassificationMetrics.binOf(0.0, bins)).isZero();
            assertThat(ClassificationMetrics.binOf(1.0, bins)).isEqualTo(bins - 1);
            for (int b = 1; b <= bins; b++) {
                double edge = ClassificationMetrics.edge(b, bins);
                assertThat(ClassificationMetrics.binOf(edge, bins)).as("edge %d/%d", b, bins).isEqualTo(b - 1);
                if (b < bins) {
                    assertThat(ClassificationMetrics.binOf(Math.nextUp(edge), bins)).isEqualTo(b);
                }
            }
        }
    }

    @Test
    void edgeConfidenceCountsInTheBinBelowInTheReport() {
        // logits [ln 4, 0] -> confidence 0.8 (up to float rounding of ln 4); [0, 0] -> exactly the edge 0.5 with B = 2
        List<MetricReport> reports = ClassificationMetrics.compute(new float[] {0f, 0f}, 2, new int[] {1}, 2, "d", "test");
        MetricReport ece = named(reports, "ece");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> bins = (List<Map<String, Object>>) ece.details().get("bins");
        assertThat(bins.get(0)).containsEntry("count", 1L).containsEntry("accuracy", 0.0);
        assertThat(bins.get(1)).containsEntry("count", 0L);
        assertThat(ece.value()).isCloseTo(0.5, within(TOL));
        assertThat(named(reports, "accuracy").value()).isZero();
    }

    @Test
    void nllIsStableForExtremeLogits() {
        List<MetricReport> reports = ClassificationMetrics.compute(new float[] {1000f, -1000f, 0f}, 3, new int[] {1}, 15, "d", "test");
        assertThat(named(reports, "nll").value()).isCloseTo(2000.0, within(1e-3));
        assertThat(named(reports, "brier").value()).isCloseTo(2.0, within(TOL));
    }

    private static List<MetricReport> compute(float[] logits, int k, int[] labels, int bins, String edges, String binning) {
        return ClassificationMetrics.compute(logits, k, labels, new EvaluationSpec(bins, edges, binning), "d", "test");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> bins(MetricReport report) {
        return (List<Map<String, Object>>) report.details().get("bins");
    }

    @Test
    void theDefaultSpecReproducesTheBinCountOnlyReports() {
        List<MetricReport> byCount = ClassificationMetrics.compute(logits, 2, labels, 15, "mnist", "test");
        assertThat(ClassificationMetrics.compute(logits, 2, labels, new EvaluationSpec(15), "mnist", "test")).isEqualTo(byCount);
        assertThat(ClassificationMetrics.compute(logits, 2, labels, EvaluationSpec.defaults(), "mnist", "test")).isEqualTo(byCount);
        assertThat(named(byCount, "ece").conventions()).containsExactly(Map.entry("bins", 15), Map.entry("binning", "equal-width"),
                Map.entry("edges", "(lo,hi], first [0,1/B]"), Map.entry("confidence", "top-label"));
    }

    @Test
    void aConfidenceOnAnEdgeFollowsTheEdgeRule() {
        // A: [0, 0] -> confidence exactly 0.5, predicted 0, label 1 (wrong). B: [ln 3, 0] -> 0.75, label 0 (right).
        float[] twoSamples = {0f, 0f, ln(3), 0f};
        int[] y = {1, 0};
        MetricReport upper = named(compute(twoSamples, 2, y, 2, "(lo,hi]", "equal-width"), "ece");
        // (lo,hi]: [0,0.5] {A: acc 0, conf 0.5}, (0.5,1] {B: acc 1, conf 0.75} -> 0.5*0.5 + 0.5*0.25
        assertThat(bins(upper)).extracting(b -> b.get("count")).containsExactly(1L, 1L);
        assertThat(upper.value()).isCloseTo(0.375, within(TOL));
        assertThat(upper.conventions()).containsEntry("edges", "(lo,hi], first [0,1/B]");

        MetricReport lower = named(compute(twoSamples, 2, y, 2, "[lo,hi)", "equal-width"), "ece");
        // [lo,hi): [0,0.5) empty, [0.5,1] {A, B: acc 0.5, conf 0.625} -> 1 * 0.125
        assertThat(bins(lower)).extracting(b -> b.get("count")).containsExactly(0L, 2L);
        assertThat(bins(lower).get(0)).containsEntry("lower", 0.0).containsEntry("upper", 0.5)
                .containsEntry("accuracy", null).containsEntry("confidence", null);
        assertThat(bins(lower).get(1)).containsEntry("accuracy", 0.5);
        assertThat(lower.value()).isCloseTo(0.125, within(TOL));
        assertThat(lower.conventions()).containsEntry("edges", "[lo,hi), last [1-1/B,1]");
    }

    @Test
    void underLowerClosedEdgesAnEdgeGoesToTheBinAboveAndOneToTheLast() {
        for (int bins : new int[] {5, 10, 14, 15}) {
            CalibrationBinning binning = new CalibrationBinning(bins, "[lo,hi)", "equal-width");
            double[] e = binning.edgesFor(new double[0]);
            assertThat(binning.binOf(0.0, e)).isZero();
            assertThat(binning.binOf(1.0, e)).isEqualTo(bins - 1);
            for (int b = 1; b < bins; b++) {
                assertThat(binning.binOf(e[b], e)).as("edge %d/%d", b, bins).isEqualTo(b);
                assertThat(binning.binOf(Math.nextDown(e[b]), e)).isEqualTo(b - 1);
            }
        }
    }

    @Test
    void equalMassBinsKeepTiesTogether() {
        // confidences 0.6 (wrong), 0.7 (wrong), 0.7 (right), 0.9 (right); the two 0.7 come from identical logits
        float[] x = {ln(1.5), 0f, ln(7.0 / 3), 0f, ln(7.0 / 3), 0f, ln(9), 0f};
        int[] y = {1, 1, 0, 0};
        double tie = 1.0 / (1.0 + Math.exp(-(double) ln(7.0 / 3)));

        // (lo,hi]: e_1 = s_(ceil(1*4/2)) = s_(2) = 0.7 -> [0,0.7] {0.6, 0.7, 0.7}, (0.7,1] {0.9}
        MetricReport upper = named(compute(x, 2, y, 2, "(lo,hi]", "equal-mass"), "ece");
        assertThat(bins(upper)).extracting(b -> b.get("count")).containsExactly(3L, 1L);
        assertThat((double) bins(upper).get(0).get("upper")).isCloseTo(tie, within(1e-12));
        assertThat(bins(upper).get(0)).containsEntry("lower", 0.0);
        assertThat(bins(upper).get(1)).containsEntry("upper", 1.0);
        // 3/4 |1/3 - 2/3| + 1/4 |1 - 0.9|
        assertThat(upper.value()).isCloseTo(0.275, within(TOL));
        assertThat(upper.conventions()).containsEntry("binning", "equal-mass").containsEntry("edges", "(lo,hi], first [0,hi]");

        // [lo,hi): e_1 = s_(floor(1*4/2)+1) = s_(3) = 0.7 -> [0,0.7) {0.6}, [0.7,1] {0.7, 0.7, 0.9}
        MetricReport lower = named(compute(x, 2, y, 2, "[lo,hi)", "equal-mass"), "ece");
        assertThat(bins(lower)).extracting(b -> b.get("count")).containsExactly(1L, 3L);
        // 1/4 |0 - 0.6| + 3/4 |2/3 - 2.3/3|
        assertThat(lower.value()).isCloseTo(0.225, within(TOL));
    }

    @Test
    void equalMassBinsSplitDistinctScoresEvenlyAndLeaveEmptyBinsWhenFewerSamplesThanBins() {
        CalibrationBinning even = new CalibrationBinning(2, "(lo,hi]", "equal-mass");
        double[] four = {0.9, 0.2, 0.6, 0.4};
        assertThat(even.edgesFor(four)).containsExactly(0.0, 0.4, 1.0);
        assertThat(even.reliability(four, new boolean[4]).bins()).extracting(b -> b.get("count")).containsExactly(2L, 2L);

        double[] two = {0.5, 0.3};
        CalibrationBinning upper = new CalibrationBinning(4, "(lo,hi]", "equal-mass");
        assertThat(upper.edgesFor(two)).containsExactly(0.0, 0.3, 0.3, 0.5, 1.0);
        assertThat(upper.reliability(two, new boolean[2]).bins()).extracting(b -> b.get("count")).containsExactly(1L, 0L, 1L, 0L);
        CalibrationBinning lower = new CalibrationBinning(4, "[lo,hi)", "equal-mass");
        assertThat(lower.edgesFor(two)).containsExactly(0.0, 0.3, 0.5, 0.5, 1.0);
        assertThat(lower.reliability(two, new boolean[2]).bins()).extracting(b -> b.get("count")).containsExactly(0L, 1L, 0L, 1L);
    }

    @Test
    void aSingleClassIsPerfectlyCalibrated() {
        List<MetricReport> reports = ClassificationMetrics.compute(new float[] {3f, -1f}, 1, new int[] {0, 0}, 15, "d", "test");
        assertThat(reports).extracting(MetricReport::name)
                .containsExactly("accuracy", "ece", "nll", "brier", "sce", "per-class-accuracy");
        assertThat(named(reports, "accuracy").value()).isEqualTo(1.0);
        assertThat(named(reports, "ece").value()).isZero();
        assertThat(bins(named(reports, "ece")).get(14)).containsEntry("count", 2L).containsEntry("confidence", 1.0);
        assertThat(named(reports, "nll").value()).isZero();
        assertThat(named(reports, "brier").value()).isZero();
        assertThat(named(reports, "sce").value()).isZero();
        assertThat(named(reports, "per-class-accuracy").value()).isEqualTo(1.0);
    }

    /** Three classes, logits ln p so that softmax gives p back. */
    private final float[] toy = {
        ln(0.6), ln(0.3), ln(0.1),
        ln(0.2), ln(0.7), ln(0.1),
        ln(0.1), ln(0.2), ln(0.7),
    };
    private final int[] toyLabels = {0, 1, 0};

    @Test
    @SuppressWarnings("unchecked")
    void sceOnAThreeClassToyCase() {
        List<MetricReport> reports = ClassificationMetrics.compute(toy, 3, toyLabels, 2, "d", "test");
        MetricReport sce = named(reports, "sce");
        // bins [0,0.5], (0.5,1]
        // class 0: p0 = 0.6 (y), 0.2, 0.1 (y): 2/3 |1/2 - 0.15| + 1/3 |1 - 0.6| = 11/30
        // class 1: p1 = 0.3, 0.7 (y), 0.2:     2/3 |0 - 0.25|  + 1/3 |1 - 0.7| = 8/30
        // class 2: p2 = 0.1, 0.1, 0.7:         2/3 |0 - 0.1|   + 1/3 |0 - 0.7| = 9/30
        assertThat(sce.value()).isCloseTo(28.0 / 90, within(TOL));
        List<Map<String, Object>> classes = (List<Map<String, Object>>) sce.details().get("classes");
        assertThat(classes).extracting(c -> c.get("class")).containsExactly(0, 1, 2);
        assertThat((double) classes.get(0).get("error")).isCloseTo(11.0 / 30, within(TOL));
        assertThat((double) classes.get(1).get("error")).isCloseTo(8.0 / 30, within(TOL));
        assertThat((double) classes.get(2).get("error")).isCloseTo(9.0 / 30, within(TOL));
        List<Map<String, Object>> class0 = (List<Map<String, Object>>) classes.get(0).get("bins");
        assertThat(class0).extracting(b -> b.get("count")).containsExactly(2L, 1L);
        assertThat(class0.get(0)).containsEntry("accuracy", 0.5);
        assertThat((double) class0.get(0).get("confidence")).isCloseTo(0.15, within(TOL));
        assertThat(sce.conventions()).containsEntry("bins", 2).containsEntry("binning", "equal-width")
                .containsEntry("edges", "(lo,hi], first [0,1/B]").containsKey("reduction");

        // top-label: 0.6 right, 0.7 right, 0.7 wrong -> one bin with acc 2/3 and conf 2/3
        assertThat(named(reports, "ece").value()).isCloseTo(0.0, within(TOL));
        assertThat(named(reports, "accuracy").value()).isCloseTo(2.0 / 3, within(TOL));
        assertThat(named(reports, "brier").value()).isCloseTo((0.26 + 0.14 + 1.34) / 3, within(TOL));
        assertThat(named(reports, "nll").value()).isCloseTo(-(Math.log(0.6) + Math.log(0.7) + Math.log(0.1)) / 3, within(TOL));
    }

    @Test
    @SuppressWarnings("unchecked")
    void perClassAccuracyListsEveryClassAndAveragesThePresentOnes() {
        MetricReport perClass = named(ClassificationMetrics.compute(toy, 3, toyLabels, 2, "d", "test"), "per-class-accuracy");
        Map<String, Map<String, Object>> classes = (Map<String, Map<String, Object>>) perClass.details().get("classes");
        assertThat(classes).containsOnlyKeys("0", "1", "2");
        assertThat(classes.get("0")).containsEntry("samples", 2L).containsEntry("correct", 1L).containsEntry("accuracy", 0.5);
        assertThat(classes.get("1")).containsEntry("samples", 1L).containsEntry("correct", 1L).containsEntry("accuracy", 1.0);
        assertThat(classes.get("2")).containsEntry("samples", 0L).containsEntry("accuracy", null);
        assertThat(perClass.value()).isEqualTo(0.75);
        assertThat(perClass.details()).containsEntry("classesPresent", 2);
    }

    @Test
    void topFiveIsReportedOnlyForMoreThanTenClassesAndBreaksTiesByClassIndex() {
        assertThat(ClassificationMetrics.TOP5_MIN_CLASSES_EXCLUSIVE).isEqualTo(10);
        assertThat(ClassificationMetrics.compute(toy, 3, toyLabels, 15, "d", "test"))
                .extracting(MetricReport::name).doesNotContain("accuracy-top5");
        assertThat(ClassificationMetrics.compute(new float[] {1, 2, 3, 4, 5, 6, 7}, 7, new int[] {0}, 15, "d", "test"))
                .extracting(MetricReport::name).doesNotContain("accuracy-top5");
        // K = 10 (MNIST, CIFAR-10) is not above the threshold: science.md's "top-5 where K > 10"
        float[] ten = new float[20];
        ten[3] = 1;
        ten[10 + 7] = 1;
        assertThat(ClassificationMetrics.compute(ten, 10, new int[] {3, 0}, 15, "d", "test"))
                .extracting(MetricReport::name).containsExactly("accuracy", "ece", "nll", "brier", "sce", "per-class-accuracy");

        float[] x = {
            9, 8, 7, 6, 5, 4, 3, 2, 1, 0, -1, // label 4: fifth -> top-5 hit
            9, 8, 7, 6, 5, 4, 3, 2, 1, 0, -1, // label 5: sixth -> miss
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // label 5: all tied, five lower indices rank first -> miss
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  // label 4: all tied, fifth -> hit
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,  // label 10: first -> hit, also top-1
        };
        List<MetricReport> reports = ClassificationMetrics.compute(x, 11, new int[] {4, 5, 5, 4, 10}, 15, "d", "test");
        assertThat(reports).extracting(MetricReport::name).contains("accuracy-top5");
        MetricReport top5 = named(reports, "accuracy-top5");
        assertThat(top5.value()).isCloseTo(0.6, within(TOL));
        assertThat(top5.conventions()).containsEntry("k", 5);
        assertThat(top5.details()).containsEntry("correct", 3L).containsEntry("samples", 5);
        assertThat(named(reports, "accuracy").value()).isCloseTo(0.2, within(TOL));
    }

    @Test
    void unknownBinningOptionsAreRefused() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> compute(logits, 2, labels, 15, "[lo,hi]", "equal-width"));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> compute(logits, 2, labels, 15, "(lo,hi]", "adaptive"));
    }
}
