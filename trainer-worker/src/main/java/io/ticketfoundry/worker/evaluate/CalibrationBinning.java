package io.ticketfoundry.worker.evaluate;

import io.ticketfoundry.common.spec.EvaluationSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How ECE and SCE bin a score in [0, 1]: the bin count B, the edge rule and equal-width or
 * equal-mass bins.
 *
 * <ul>
 *   <li>Edge rule {@code (lo,hi]}: bin b holds {@code e_b < s ≤ e_{b+1}}, the first bin is closed,
 *       {@code [0, e_1]}; a score on an edge counts in the bin below. {@code [lo,hi)}: bin b holds
 *       {@code e_b ≤ s < e_{b+1}}, the last bin is closed, {@code [e_{B-1}, 1]}; a score on an edge
 *       counts in the bin above.
 *   <li>Equal-width: {@code e_b = b / B}.
 *   <li>Equal-mass: {@code e_0 = 0}, {@code e_B = 1} and the inner edges are order statistics of the
 *       N binned scores (sorted ascending, 1-based {@code s_(i)}): {@code e_b = s_(⌈bN/B⌉)} under
 *       {@code (lo,hi]} and {@code e_b = s_(⌊bN/B⌋+1)} under {@code [lo,hi)}. Without ties bin b
 *       then holds exactly the ⌈·⌉ (resp. ⌊·⌋) share of samples; tied scores always share one bin
 *       (the edge rule decides which), so with ties bins can be unequal or empty.
 * </ul>
 */
public record CalibrationBinning(int bins, String edges, String binning) {

    public CalibrationBinning {
        if (bins <= 0) {
            throw new IllegalArgumentException("bins must be positive, is " + bins);
        }
        if (!EvaluationSpec.EDGE_RULES.contains(edges)) {
            throw new IllegalArgumentException("edge rule must be one of " + EvaluationSpec.EDGE_RULES + ", is " + edges);
        }
        if (!EvaluationSpec.BINNINGS.contains(binning)) {
            throw new IllegalArgumentException("binning must be one of " + EvaluationSpec.BINNINGS + ", is " + binning);
        }
    }

    /** The evaluation spec's binning, its unset fields at their defaults. */
    public static CalibrationBinning of(EvaluationSpec evaluation) {
        EvaluationSpec filled = (evaluation != null ? evaluation : EvaluationSpec.defaults()).withDefaults();
        return new CalibrationBinning(filled.eceBins(), filled.eceEdges(), filled.binning());
    }

    /** B equal-width bins with the default edge rule. */
    public static CalibrationBinning equalWidth(int bins) {
        return new CalibrationBinning(bins, EvaluationSpec.EDGES_UPPER_CLOSED, EvaluationSpec.EQUAL_WIDTH);
    }

    public boolean upperClosed() {
        return edges.equals(EvaluationSpec.EDGES_UPPER_CLOSED);
    }

    public boolean equalMass() {
        return binning.equals(EvaluationSpec.EQUAL_MASS);
    }

    /** The B + 1 edges {@code e_0 = 0 ≤ e_1 ≤ … ≤ e_B = 1} for these scores (only equal-mass looks at them). */
    public double[] edgesFor(double[] scores) {
        double[] e = new double[bins + 1];
        if (!equalMass()) {
            for (int b = 0; b <= bins; b++) {
                e[b] = (double) b / bins;
            }
            return e;
        }
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        long n = sorted.length;
        e[0] = 0.0;
        e[bins] = 1.0;
        for (int b = 1; b < bins; b++) {
            // 0-based index of s_(⌈bN/B⌉) resp. s_(⌊bN/B⌋+1)
            long index = upperClosed() ? (b * n + bins - 1) / bins - 1 : b * n / bins;
            e[b] = sorted[(int) Math.max(0, Math.min(n - 1, index))];
        }
        return e;
    }

    /** The bin of {@code score} under the edge rule, given edges from {@link #edgesFor}. */
    public int binOf(double score, double[] e) {
        if (upperClosed()) {
            // the smallest b with score ≤ e_{b+1}; the first bin also takes anything below e_0
            int lo = 0;
            int hi = bins - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (score <= e[mid + 1]) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }
        // the largest b with e_b ≤ score; the last bin also takes anything above e_B
        int lo = 0;
        int hi = bins - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (e[mid] <= score) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** The edge rule as recorded with a value: the default reads as it always has. */
    public String edgeDescription() {
        if (upperClosed()) {
            return equalMass() ? "(lo,hi], first [0,hi]" : "(lo,hi], first [0,1/B]";
        }
        return equalMass() ? "[lo,hi), last [lo,1]" : "[lo,hi), last [1-1/B,1]";
    }

    /** Conventions shared by ECE and SCE. */
    public Map<String, Object> conventions(String confidence) {
        Map<String, Object> conventions = new LinkedHashMap<>();
        conventions.put("bins", bins);
        conventions.put("binning", binning);
        conventions.put("edges", edgeDescription());
        conventions.put("confidence", confidence);
        if (equalMass()) {
            conventions.put("massEdges", upperClosed() ? "e_b = s_(ceil(bN/B)) of the sorted scores, e_0 = 0, e_B = 1"
                    : "e_b = s_(floor(bN/B)+1) of the sorted scores, e_0 = 0, e_B = 1");
        }
        return conventions;
    }

    /** One reliability diagram: the calibration error and every bin, empty ones included. */
    public record Reliability(double error, List<Map<String, Object>> bins) {
    }

    /**
     * {@code Σ_b (n_b/N) |acc_b − conf_b|} where {@code acc_b} is the fraction of bin b's samples
     * that are hits and {@code conf_b} their mean score. Each bin reports lower, upper, count,
     * accuracy and confidence (null accuracy and confidence when empty).
     */
    public Reliability reliability(double[] scores, boolean[] hits) {
        int n = scores.length;
        double[] e = edgesFor(scores);
        long[] count = new long[bins];
        long[] correct = new long[bins];
        double[] scoreSum = new double[bins];
        for (int s = 0; s < n; s++) {
            int b = binOf(scores[s], e);
            count[b]++;
            correct[b] += hits[s] ? 1 : 0;
            scoreSum[b] += scores[s];
        }
        double error = 0;
        List<Map<String, Object>> out = new ArrayList<>(bins);
        for (int b = 0; b < bins; b++) {
            Map<String, Object> bin = new LinkedHashMap<>();
            bin.put("lower", e[b]);
            bin.put("upper", e[b + 1]);
            bin.put("count", count[b]);
            if (count[b] > 0) {
                double accuracy = (double) correct[b] / count[b];
                double confidence = scoreSum[b] / count[b];
                bin.put("accuracy", accuracy);
                bin.put("confidence", confidence);
                error += (double) count[b] / n * Math.abs(accuracy - confidence);
            } else {
                bin.put("accuracy", null);
                bin.put("confidence", null);
            }
            out.add(bin);
        }
        return new Reliability(error, out);
    }
}
