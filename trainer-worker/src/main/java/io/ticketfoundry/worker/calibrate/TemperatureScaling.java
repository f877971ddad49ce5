package io.ticketfoundry.worker.calibrate;

/**
 * Post-hoc temperature scaling (Guo et al. 2017): the scalar T > 0 minimising the mean negative
 * log-likelihood of {@code softmax(z / T)} over held-out logits z.
 *
 * <p>Written in the inverse temperature β = 1/T, the mean NLL
 * {@code (1/N) Σ_i [logsumexp(β z_i) − β z_i,y_i]} is convex in β (a log-sum-exp of linear
 * functions minus a linear one), with derivative {@code (1/N) Σ_i (E_{p_i}[z_i] − z_i,y_i)}, which
 * is non-decreasing. The minimiser is where the derivative crosses zero: found by bisection on
 * log β in double precision, so it needs no step size and cannot diverge. When the derivative
 * never changes sign within {@code [1/MAX_TEMPERATURE, 1/MIN_TEMPERATURE]} (e.g. every held-out
 * sample right with a margin, where sharper is always better), the bound is returned and the fit
 * says so.
 */
public final class TemperatureScaling {

    public static final double MIN_TEMPERATURE = 0.01;
    public static final double MAX_TEMPERATURE = 100.0;
    private static final int MAX_BISECTIONS = 200;
    private static final double LOG_BETA_TOLERANCE = 1e-12;

    /** The fitted temperature and the held-out NLL at T = 1 and at T. */
    public record Fit(double temperature, double nllBefore, double nllAfter, int samples, int bisections,
            boolean atBound) {
    }

    private TemperatureScaling() {
    }

    /**
     * @param logits row-major [N, numClasses]
     * @param labels N true labels
     */
    public static Fit fit(float[] logits, int numClasses, int[] labels) {
        check(logits, numClasses, labels);
        double logLow = Math.log(1.0 / MAX_TEMPERATURE);
        double logHigh = Math.log(1.0 / MIN_TEMPERATURE);
        double before = meanNll(logits, numClasses, labels, 1.0);
        if (slope(logits, numClasses, labels, Math.exp(logLow)) >= 0) {
            return fitted(MAX_TEMPERATURE, before, logits, numClasses, labels, 0, true);
        }
        if (slope(logits, numClasses, labels, Math.exp(logHigh)) <= 0) {
            return fitted(MIN_TEMPERATURE, before, logits, numClasses, labels, 0, true);
        }
        int bisections = 0;
        while (logHigh - logLow > LOG_BETA_TOLERANCE && bisections < MAX_BISECTIONS) {
            double middle = 0.5 * (logLow + logHigh);
            if (slope(logits, numClasses, labels, Math.exp(middle)) < 0) {
                logLow = middle;
            } else {
                logHigh = middle;
            }
            bisections++;
        }
        double beta = Math.exp(0.5 * (logLow + logHigh));
        return fitted(1.0 / beta, before, logits, numClasses, labels, bisections, false);
    }

    private static Fit fitted(double temperature, double before, float[] logits, int numClasses, int[] labels,
            int bisections, boolean atBound) {
        return new Fit(temperature, before, meanNll(logits, numClasses, labels, 1.0 / temperature), labels.length,
                bisections, atBound);
    }

    /** Mean NLL of {@code softmax(beta · z)} at the true labels. */
    public static double meanNll(float[] logits, int numClasses, int[] labels, double beta) {
        check(logits, numClasses, labels);
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            int offset = i * numClasses;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < numClasses; k++) {
                max = Math.max(max, beta * logits[offset + k]);
            }
            double sumExp = 0;
            for (int k = 0; k < numClasses; k++) {
                sumExp += Math.exp(beta * logits[offset + k] - max);
            }
            sum += max + Math.log(sumExp) - beta * logits[offset + labels[i]];
        }
        return sum / labels.length;
    }

    /** d/dβ of the mean NLL: the mean over samples of E_p[z] − z_y with p = softmax(β z). */
    static double slope(float[] logits, int numClasses, int[] labels, double beta) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            int offset = i * numClasses;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < numClasses; k++) {
                max = Math.max(max, beta * logits[offset + k]);
            }
            double sumExp = 0;
            double weighted = 0;
            for (int k = 0; k < numClasses; k++) {
                double e = Math.exp(beta * logits[offset + k] - max);
                sumExp += e;
                weighted += e * logits[offset + k];
            }
            sum += weighted / sumExp - logits[offset + labels[i]];
        }
        return sum / labels.length;
    }

    private static void check(float[] logits, int numClasses, int[] labels) {
        if (labels.length == 0 || numClasses < 2 || logits.length != (long) labels.length * numClasses) {
            throw new IllegalArgumentException("need N > 0 samples, at least 2 classes and N x K logits; got N = "
                    + labels.length + ", K = " + numClasses + ", " + logits.length + " logits");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " of sample " + i + " is outside [0, "
                        + numClasses + ")");
            }
        }
    }
}
