package io.ticketfoundry.worker.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TemperatureScalingTest {

    private static final int K = 5;

    /** Logits z ~ N(0, 2²) per class and labels drawn from softmax(z): calibrated at T = 1 by construction. */
    private static float[] calibratedLogits(int n, int[] labels, long seed) {
        Random random = new Random(seed);
        float[] logits = new float[n * K];
        for (int i = 0; i < n; i++) {
            double[] p = new double[K];
            double sum = 0;
            for (int k = 0; k < K; k++) {
                logits[i * K + k] = (float) (2 * random.nextGaussian());
                p[k] = Math.exp(logits[i * K + k]);
                sum += p[k];
            }
            double u = random.nextDouble() * sum;
            int label = K - 1;
            for (int k = 0; k < K; k++) {
                u -= p[k];
                if (u < 0) {
                    label = k;
                    break;
                }
            }
            labels[i] = label;
        }
        return logits;
    }

    private static float[] scaled(float[] logits, double factor) {
        float[] out = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = (float) (logits[i] * factor);
        }
        return out;
    }

    @Test
    void recoversTheFactorAnOverConfidentModelSharpenedItsLogitsBy() {
        int[] labels = new int[20_000];
        float[] calibrated = calibratedLogits(labels.length, labels, 3);
        float[] overConfident = scaled(calibrated, 3.0);

        TemperatureScaling.Fit fit = TemperatureScaling.fit(overConfident, K, labels);

        assertThat(fit.temperature()).isCloseTo(3.0, within(0.15));
        assertThat(fit.nllAfter()).isLessThan(fit.nllBefore() - 0.1);
        assertThat(fit.atBound()).isFalse();
        assertThat(fit.samples()).isEqualTo(20_000);
        // the fitted T of a model sharpened by c is c times the fitted T of the model itself (NLL depends on z / T only)
        TemperatureScaling.Fit own = TemperatureScaling.fit(calibrated, K, labels);
        assertThat(fit.temperature() / own.temperature()).isCloseTo(3.0, within(1e-5));
    }

    @Test
    void theFitIsTheMinimumOfTheHeldOutNllAndItsSlopeVanishesThere() {
        int[] labels = new int[3_000];
        float[] logits = scaled(calibratedLogits(labels.length, labels, 11), 0.4); // under-confident: T < 1

        TemperatureScaling.Fit fit = TemperatureScaling.fit(logits, K, labels);

        double best = Double.POSITIVE_INFINITY;
        double bestT = 0;
        for (double t = 0.05; t <= 3.0; t += 0.0005) {
            double nll = TemperatureScaling.meanNll(logits, K, labels, 1 / t);
            if (nll < best) {
                best = nll;
                bestT = t;
            }
        }
        assertThat(fit.temperature()).isLessThan(1.0).isCloseTo(bestT, within(0.001));
        assertThat(fit.nllAfter()).isLessThanOrEqualTo(best + 1e-9);
        assertThat(TemperatureScaling.slope(logits, K, labels, 1 / fit.temperature())).isCloseTo(0.0, within(1e-8));
    }

    @Test
    void handComputedNllOfTwoSamples() {
        // z = (2, 0) labelled 0 and z = (0, 1) labelled 0: NLL = [log(1 + e^-2) + log(1 + e^1)] / 2 at T = 1
        float[] logits = {2f, 0f, 0f, 1f};
        int[] labels = {0, 0};
        double expected = (Math.log(1 + Math.exp(-2)) + Math.log(1 + Math.exp(1))) / 2;
        assertThat(TemperatureScaling.meanNll(logits, 2, labels, 1.0)).isCloseTo(expected, within(1e-12));
        // at β = 1/2 the logits halve
        double half = (Math.log(1 + Math.exp(-1)) + Math.log(1 + Math.exp(0.5))) / 2;
        assertThat(TemperatureScaling.meanNll(logits, 2, labels, 0.5)).isCloseTo(half, within(1e-12));
    }

    @Test
    void everySampleRightWithAMarginSharpensToTheBoundAndSaysSo() {
        float[] logits = {3f, 0f, 0f, 0f, 2f, 0f};
        int[] labels = {0, 1};
        TemperatureScaling.Fit fit = TemperatureScaling.fit(logits, 3, labels);
        assertThat(fit.atBound()).isTrue();
        assertThat(fit.temperature()).isEqualTo(TemperatureScaling.MIN_TEMPERATURE);
        assertThat(fit.nllAfter()).isLessThan(fit.nllBefore());
    }

    @Test
    void logitsThatSayNothingAboutTheLabelsAreFlattened() {
        Random random = new Random(5);
        int[] labels = new int[4_000];
        float[] logits = new float[labels.length * K];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(K);
            for (int k = 0; k < K; k++) {
                logits[i * K + k] = (float) (3 * random.nextGaussian());
            }
        }
        TemperatureScaling.Fit fit = TemperatureScaling.fit(logits, K, labels);
        assertThat(fit.temperature()).isGreaterThan(10);
        assertThat(fit.nllAfter()).isCloseTo(Math.log(K), within(0.02));
    }

    @Test
    void refusesMalformedInput() {
        assertThatThrownBy(() -> TemperatureScaling.fit(new float[0], K, new int[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TemperatureScaling.fit(new float[3], K, new int[1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TemperatureScaling.fit(new float[K], K, new int[] {K}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("label");
    }
}
