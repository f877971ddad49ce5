package io.ticketfoundry.worker.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pure arithmetic of the robustness metrics (docs/metrics.md): maximum softmax probability,
 * OoD ROC-AUC as an exact Mann–Whitney statistic, top-1 error counts and the mCE.
 */
public final class RobustnessMath {

    private RobustnessMath() {
    }

    /** max_k softmax(z_n)_k per row of row-major [N, K] logits, in double (shifted by the maximal logit). */
    public static double[] maxSoftmaxProbability(float[] logits, int numClasses) {
        if (numClasses <= 0 || logits.length % numClasses != 0) {
            throw new IllegalArgumentException(logits.length + " logits are not rows of " + numClasses);
        }
        int n = logits.length / numClasses;
        double[] scores = new double[n];
        for (int s = 0; s < n; s++) {
            int offset = s * numClasses;
            double max = logits[offset];
            for (int k = 1; k < numClasses; k++) {
                max = Math.max(max, logits[offset + k]);
            }
            double sumExp = 0;
            for (int k = 0; k < numClasses; k++) {
                sumExp += Math.exp(logits[offset + k] - max);
            }
            scores[s] = 1.0 / sumExp; // the top logit contributes exp(0)
        }
        return scores;
    }

    /**
     * 2U for the Mann–Whitney statistic U = Σ_{i,j} (1[p_i > q_j] + ½·1[p_i = q_j]) of positives p
     * against negatives q: an exact integer (counted by sorting the negatives and two binary searches
     * per positive).
     */
    public static long twiceMannWhitneyU(double[] positives, double[] negatives) {
        double[] sorted = negatives.clone();
        for (double q : sorted) {
            if (Double.isNaN(q)) {
                throw new IllegalArgumentException("a score is NaN");
            }
        }
        Arrays.sort(sorted);
        long twice = 0;
        for (double p : positives) {
            if (Double.isNaN(p)) {
                throw new IllegalArgumentException("a score is NaN");
            }
            int below = lowerBound(sorted, p);
            int notAbove = upperBound(sorted, p);
            twice += 2L * below + (notAbove - below);
        }
        return twice;
    }

    /**
     * ROC-AUC of scores where the positives should score higher: U / (n_pos · n_neg), ties counted
     * one half. Equals the probability that a random positive outscores a random negative.
     */
    public static double auroc(double[] positives, double[] negatives) {
        if (positives.length == 0 || negatives.length == 0) {
            throw new IllegalArgumentException("AUROC needs at least one positive and one negative score");
        }
        return twiceMannWhitneyU(positives, negatives) / (2.0 * positives.length * negatives.length);
    }

    /** The number of samples whose first maximal logit is not the label. */
    public static long topOneErrors(float[] logits, int numClasses, int[] labels) {
        if (logits.length != (long) labels.length * numClasses) {
            throw new IllegalArgumentException("need N x " + numClasses + " logits for " + labels.length + " labels");
        }
        long wrong = 0;
        for (int s = 0; s < labels.length; s++) {
            int offset = s * numClasses;
            int predicted = 0;
            for (int k = 1; k < numClasses; k++) {
                if (logits[offset + k] > logits[offset + predicted]) {
                    predicted = k;
                }
            }
            wrong += predicted == labels[s] ? 0 : 1;
        }
        return wrong;
    }

    /** Top-1 errors of the ticket and of the reference on one corrupted set of N samples. */
    public record CorruptionErrors(String corruption, int severity, String dataset, long samples, long ticketErrors,
            long referenceErrors) {

        double ticketError() {
            return (double) ticketErrors / samples;
        }

        double referenceError() {
            return (double) referenceErrors / samples;
        }
    }

    /**
     * The mCE (null when no corruption's CE is defined) and, per corruption in order of first
     * appearance, its CE (null when undefined) and the error sums it is made of.
     */
    public record Mce(Double value, List<Map<String, Object>> corruptions, List<String> excluded) {
    }

    /**
     * mCE = (1/|C|) Σ_c CE_c, CE_c = (Σ_s E^ticket_{s,c}) / (Σ_s E^reference_{s,c}), E the top-1 error
     * rate (errors / samples, in double) of corruption c at severity s. A corruption on which the
     * reference makes no error at any severity has no CE: it is left out of the mean (and named in
     * {@code excluded}); when every corruption is left out there is no mCE.
     */
    public static Mce mce(List<CorruptionErrors> sets) {
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("mCE needs at least one corrupted set");
        }
        Map<String, List<CorruptionErrors>> byCorruption = new LinkedHashMap<>();
        for (CorruptionErrors set : sets) {
            if (set.samples() <= 0) {
                throw new IllegalArgumentException(set.dataset() + " has no samples");
            }
            byCorruption.computeIfAbsent(set.corruption(), c -> new ArrayList<>()).add(set);
        }
        double sum = 0;
        int defined = 0;
        List<Map<String, Object>> details = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        for (Map.Entry<String, List<CorruptionErrors>> entry : byCorruption.entrySet()) {
            double ticket = 0;
            double reference = 0;
            List<Integer> severities = new ArrayList<>();
            for (CorruptionErrors set : entry.getValue()) {
                ticket += set.ticketError();
                reference += set.referenceError();
                severities.add(set.severity());
            }
            Double ce = null;
            if (reference == 0) {
                excluded.add(entry.getKey());
            } else {
                ce = ticket / reference;
                sum += ce;
                defined++;
            }
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("corruption", entry.getKey());
            detail.put("severities", severities);
            detail.put("ticketErrorSum", ticket);
            detail.put("referenceErrorSum", reference);
            detail.put("ce", ce);
            details.add(detail);
        }
        return new Mce(defined == 0 ? null : sum / defined, details, excluded);
    }

    /** The first index whose value is not below {@code key}. */
    private static int lowerBound(double[] sorted, double key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The first index whose value is above {@code key}. */
    private static int upperBound(double[] sorted, double key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
