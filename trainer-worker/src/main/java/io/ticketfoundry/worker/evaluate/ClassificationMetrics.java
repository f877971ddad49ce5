package io.ticketfoundry.worker.evaluate;

import io.ticketfoundry.common.protocol.MetricReport;
import io.ticketfoundry.common.spec.EvaluationSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one implementation of the classification metrics, from logits, in double precision, each
 * reported with the conventions it was computed under (docs/metrics.md has the definitions).
 *
 * <ul>
 *   <li>accuracy: top-1; the first maximal logit is the prediction.
 *   <li>accuracy-top5 (only when K &gt; 10, as science.md defines it): the true label is among the 5
 *       classes ranked first by logit, ties ranked by lower class index (so it agrees with top-1's
 *       rule).
 *   <li>per-class-accuracy: top-1 accuracy per true class in the details; the value is the
 *       unweighted mean over the classes that occur.
 *   <li>ECE: {@code Σ_b (n_b/N) |acc_b − conf_b|} over B bins of the top-label confidence, with the
 *       {@link CalibrationBinning binning} chosen (default: equal-width, bin {@code (b/B, (b+1)/B]},
 *       the first bin {@code [0, 1/B]}). Details list every bin (empty ones with null accuracy and
 *       confidence): the reliability diagram.
 *   <li>NLL: mean over samples of {@code −log p(true label)}, from a log-softmax of the logits.
 *   <li>Brier: {@code (1/N) Σ_n Σ_k (p_nk − 1[y_n = k])²}.
 *   <li>SCE (Nixon et al. 2019): {@code (1/K) Σ_k Σ_b (n_bk/N) |acc(b,k) − conf(b,k)|}, samples binned
 *       by p_k with the same binning as ECE, acc(b,k) the fraction of the bin labelled k, conf(b,k)
 *       the bin's mean p_k.
 * </ul>
 */
public final class ClassificationMetrics {

    public static final String ACCURACY = "accuracy";
    public static final String ACCURACY_TOP5 = "accuracy-top5";
    public static final String PER_CLASS_ACCURACY = "per-class-accuracy";
    public static final String ECE = "ece";
    public static final String NLL = "nll";
    public static final String BRIER = "brier";
    public static final String SCE = "sce";

    /**
     * Top-5 accuracy is reported only for more classes than this: science.md's "top-5 where K &gt; 10"
     * (with K ≤ 5 it is 1 by construction, and on the 10-class datasets it says little).
     */
    public static final int TOP5_MIN_CLASSES_EXCLUSIVE = 10;

    private ClassificationMetrics() {
    }

    /** With B equal-width {@code (lo,hi]} bins: the defaults apart from the bin count. */
    public static List<MetricReport> compute(float[] logits, int numClasses, int[] labels, int eceBins,
            String dataset, String split) {
        if (eceBins <= 0) {
            throw new IllegalArgumentException("eceBins must be positive, is " + eceBins);
        }
        return compute(logits, numClasses, labels, CalibrationBinning.equalWidth(eceBins), dataset, split);
    }

    public static List<MetricReport> compute(float[] logits, int numClasses, int[] labels, EvaluationSpec evaluation,
            String dataset, String split) {
        return compute(logits, numClasses, labels, CalibrationBinning.of(evaluation), dataset, split);
    }

    /**
     * @param logits row-major [N, numClasses]
     * @param labels N true labels in [0, numClasses)
     */
    public static List<MetricReport> compute(float[] logits, int numClasses, int[] labels, CalibrationBinning binning,
            String dataset, String split) {
        int n = labels.length;
        if (n == 0 || numClasses <= 0 || logits.length != (long) n * numClasses) {
            throw new IllegalArgumentException("need N > 0 and logits of N x " + numClasses + " values; got N = " + n
                    + " and " + logits.length + " logits");
        }
        boolean top5 = numClasses > TOP5_MIN_CLASSES_EXCLUSIVE;
        long correct = 0;
        long correctTop5 = 0;
        long[] classSamples = new long[numClasses];
        long[] classCorrect = new long[numClasses];
        double nllSum = 0;
        double brierSum = 0;
        double[] confidences = new double[n];
        boolean[] hits = new boolean[n];
        double[] probabilities = new double[n * numClasses]; // [N, K], for SCE
        for (int s = 0; s < n; s++) {
            int label = labels[s];
            if (label < 0 || label >= numClasses) {
                throw new IllegalArgumentException("label " + label + " of sample " + s + " is outside [0, " + numClasses + ")");
            }
            int offset = s * numClasses;
            int predicted = 0;
            double max = logits[offset];
            for (int k = 1; k < numClasses; k++) {
                if (logits[offset + k] > max) {
                    max = logits[offset + k];
                    predicted = k;
                }
            }
            double sumExp = 0;
            for (int k = 0; k < numClasses; k++) {
                sumExp += Math.exp(logits[offset + k] - max);
            }
            double logSumExp = max + Math.log(sumExp);
            nllSum -= logits[offset + label] - logSumExp;
            for (int k = 0; k < numClasses; k++) {
                double p = Math.exp(logits[offset + k] - max) / sumExp;
                probabilities[offset + k] = p;
                double target = k == label ? 1.0 : 0.0;
                brierSum += (p - target) * (p - target);
            }
            boolean hit = predicted == label;
            correct += hit ? 1 : 0;
            classSamples[label]++;
            classCorrect[label] += hit ? 1 : 0;
            if (top5 && rank(logits, offset, numClasses, label) < 5) {
                correctTop5++;
            }
            hits[s] = hit;
            confidences[s] = 1.0 / sumExp; // the top logit contributes exp(0) to sumExp
        }

        CalibrationBinning.Reliability ece = binning.reliability(confidences, hits);
        Map<String, Object> eceDetails = new LinkedHashMap<>();
        eceDetails.put("bins", ece.bins());
        eceDetails.put("samples", n);

        List<MetricReport> reports = new ArrayList<>();
        reports.add(new MetricReport(dataset, split, ACCURACY, (double) correct / n,
                Map.of("k", 1), Map.of("correct", correct, "samples", n)));
        reports.add(new MetricReport(dataset, split, ECE, ece.error(), binning.conventions("top-label"), eceDetails));
        reports.add(new MetricReport(dataset, split, NLL, nllSum / n,
                orderedMap("reduction", "mean", "label", "true"), Map.of("samples", n)));
        reports.add(new MetricReport(dataset, split, BRIER, brierSum / n,
                Map.of("reduction", "mean over samples, sum over classes"), Map.of("samples", n)));
        if (top5) {
            reports.add(new MetricReport(dataset, split, ACCURACY_TOP5, (double) correctTop5 / n,
                    orderedMap("k", 5, "ties", "lower class index ranks first"),
                    Map.of("correct", correctTop5, "samples", n)));
        }
        reports.add(sce(probabilities, numClasses, labels, binning, dataset, split));
        reports.add(perClass(classSamples, classCorrect, dataset, split));
        return reports;
    }

    /** Number of classes ranked before {@code label}: a larger logit, or an equal one at a lower index. */
    static int rank(float[] logits, int offset, int numClasses, int label) {
        float own = logits[offset + label];
        int before = 0;
        for (int k = 0; k < numClasses; k++) {
            float other = logits[offset + k];
            if (other > own || (other == own && k < label)) {
                before++;
            }
        }
        return before;
    }

    private static MetricReport sce(double[] probabilities, int numClasses, int[] labels, CalibrationBinning binning,
            String dataset, String split) {
        int n = labels.length;
        double[] scores = new double[n];
        boolean[] isClass = new boolean[n];
        double sum = 0;
        List<Map<String, Object>> classes = new ArrayList<>(numClasses);
        for (int k = 0; k < numClasses; k++) {
            for (int s = 0; s < n; s++) {
                scores[s] = probabilities[s * numClasses + k];
                isClass[s] = labels[s] == k;
            }
            CalibrationBinning.Reliability reliability = binning.reliability(scores, isClass);
            sum += reliability.error();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("class", k);
            entry.put("error", reliability.error());
            entry.put("bins", reliability.bins());
            classes.add(entry);
        }
        Map<String, Object> conventions = binning.conventions("per-class probability p_k, every sample in every class");
        conventions.put("reduction", "mean over classes of sum over bins of (n_bk/N)|acc(b,k) - conf(b,k)|");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("classes", classes);
        details.put("samples", n);
        return new MetricReport(dataset, split, SCE, sum / numClasses, conventions, details);
    }

    private static MetricReport perClass(long[] classSamples, long[] classCorrect, String dataset, String split) {
        Map<String, Object> classes = new LinkedHashMap<>();
        double sum = 0;
        int present = 0;
        for (int k = 0; k < classSamples.length; k++) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("samples", classSamples[k]);
            entry.put("correct", classCorrect[k]);
            if (classSamples[k] > 0) {
                double accuracy = (double) classCorrect[k] / classSamples[k];
                entry.put("accuracy", accuracy);
                sum += accuracy;
                present++;
            } else {
                entry.put("accuracy", null);
            }
            classes.put(Integer.toString(k), entry);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("classes", classes);
        details.put("classesPresent", present);
        return new MetricReport(dataset, split, PER_CLASS_ACCURACY, sum / present,
                orderedMap("k", 1, "reduction", "unweighted mean over the classes present in the labels"), details);
    }

    /** Lower edge of equal-width bin {@code b}, and upper edge of bin {@code b - 1}: exactly {@code b / B}. */
    static double edge(int b, int bins) {
        return (double) b / bins;
    }

    /** The equal-width {@code (lo,hi]} bin holding {@code confidence}, consistent with the reported edges. */
    static int binOf(double confidence, int bins) {
        CalibrationBinning binning = CalibrationBinning.equalWidth(bins);
        return binning.binOf(confidence, binning.edgesFor(new double[0]));
    }

    private static Map<String, Object> orderedMap(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }
}
