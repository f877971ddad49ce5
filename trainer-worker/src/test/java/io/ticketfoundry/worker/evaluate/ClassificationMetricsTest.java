package io.ticketfoundry.worker.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ticketfoundry.common.protocol.MetricReport;
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

        assertThat(reports).extracting(MetricReport::name).containsExactly("accuracy", "ece", "nll", "brier");
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
}
