package io.ticketfoundry.worker.evaluate;

import io.ticketfoundry.common.protocol.MetricReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accuracy, ECE, NLL and Brier score from logits, in double precision, each reported with the
 * conventions it was computed under.
 *
 * <ul>
 *   <li>accuracy: top-1; the first maximal logit is the prediction.
 *   <li>ECE: {@code Σ_b (n_b/N) |acc_b − conf_b|} over B equal-width bins of the top-label
 *       confidence; bin b is {@code (b/B, (b+1)/B]} and the first bin is {@code [0, 1/B]}.
 *       Details list every bin (empty ones with null accuracy and confidence).
 *   <li>NLL: mean over samples of {@code −log p(true label)}, from a log-softmax of the logits.
 *   <li>Brier: {@code (1/N) Σ_n Σ_k (p_nk − 1[y_n = k])²}.
 * </ul>
 */
public final class ClassificationMetrics {

    public static final String ACCURACY = "accuracy";
    public static final String ECE = "ece";
    public static final String NLL = "nll";
    public static final String BRIER = "brier";

    private ClassificationMetrics() {
    }

    /**
     * @param logits row-major [N, numClasses]
     * @param labels N true labels in [0, numClasses)
     */
    public static List<MetricReport> compute(float[] logits, int numClasses, int[] labels, int eceBins,
            String dataset, String split) {
        int n = labels.length;
        if (n == 0 || logits.length != (long) n * numClasses) {
            throw new IllegalArgumentException("need N > 0 and logits of N x " + numClasses + " values; got N = " + n
                    + " and " + logits.length + " logits");
        }
        if (eceBins <= 0) {
            throw new IllegalArgumentException("eceBins must be positive, is " + eceBins);
        }
        long correct = 0;
        double nllSum = 0;
        double brierSum = 0;
        long[] binCount = new long[eceBins];
        long[] binCorrect = new long[eceBins];
        double[] binConfidence = new double[eceBins];
        double[] logProbabilities = new double[numClasses];
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
            for (int k = 0; k < numClasses; k++) {
                logProbabilities[k] = logits[offset + k] - logSumExp;
            }
            nllSum -= logProbabilities[label];
            for (int k = 0; k < numClasses; k++) {
                double p = Math.exp(logits[offset + k] - max) / sumExp;
                double target = k == label ? 1.0 : 0.0;
                brierSum += (p - target) * (p - target);
            }
            boolean hit = predicted == label;
            correct += hit ? 1 : 0;
            double confidence = 1.0 / sumExp; // the top logit contributes exp(0) to sumExp
            int bin = binOf(confidence, eceBins);
            binCount[bin]++;
            binCorrect[bin] += hit ? 1 : 0;
            binConfidence[bin] += confidence;
        }

        double ece = 0;
        List<Map<String, Object>> bins = new ArrayList<>();
        for (int b = 0; b < eceBins; b++) {
            Map<String, Object> bin = new LinkedHashMap<>();
            bin.put("lower", edge(b, eceBins));
            bin.put("upper", edge(b + 1, eceBins));
            bin.put("count", binCount[b]);
            if (binCount[b] > 0) {
                double accuracy = (double) binCorrect[b] / binCount[b];
                double confidence = binConfidence[b] / binCount[b];
                bin.put("accuracy", accuracy);
                bin.put("confidence", confidence);
                ece += (double) binCount[b] / n * Math.abs(accuracy - confidence);
            } else {
                bin.put("accuracy", null);
                bin.put("confidence", null);
            }
            bins.add(bin);
        }

        Map<String, Object> eceConventions = new LinkedHashMap<>();
        eceConventions.put("bins", eceBins);
        eceConventions.put("binning", "equal-width");
        eceConventions.put("edges", "(lo,hi], first [0,1/B]");
        eceConventions.put("confidence", "top-label");
        Map<String, Object> eceDetails = new LinkedHashMap<>();
        eceDetails.put("bins", bins);
        eceDetails.put("samples", n);

        return List.of(
                new MetricReport(dataset, split, ACCURACY, (double) correct / n,
                        Map.of("k", 1), Map.of("correct", correct, "samples", n)),
                new MetricReport(dataset, split, ECE, ece, eceConventions, eceDetails),
                new MetricReport(dataset, split, NLL, nllSum / n,
                        orderedMap("reduction", "mean", "label", "true"), Map.of("samples", n)),
                new MetricReport(dataset, split, BRIER, brierSum / n,
                        Map.of("reduction", "mean over samples, sum over classes"), Map.of("samples", n)));
    }

    /** Lower edge of bin {@code b}, and upper edge of bin {@code b - 1}: exactly {@code b / B}. */
    static double edge(int b, int bins) {
        return (double) b / bins;
    }

    /** The bin holding {@code confidence}, consistent with the reported edges even at rounding. */
    static int binOf(double confidence, int bins) {
        int bin = (int) Math.ceil(confidence * bins) - 1;
        bin = Math.max(0, Math.min(bins - 1, bin));
        while (bin > 0 && confidence <= edge(bin, bins)) {
            bin--;
        }
        while (bin < bins - 1 && confidence > edge(bin + 1, bins)) {
            bin++;
        }
        return bin;
    }

    private static Map<String, Object> orderedMap(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }
}
