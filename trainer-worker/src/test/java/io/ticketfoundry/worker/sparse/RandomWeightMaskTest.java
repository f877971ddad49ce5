package io.ticketfoundry.worker.sparse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RandomWeightMaskTest {

    @Test
    void activeWeightsAreKeptWithProbabilityNMinusOneOverNAndScaled() {
        int size = 1_000_000;
        byte[] mask = new byte[size];
        for (int i = 0; i < size; i += 2) {
            mask[i] = 1;
        }
        float[] factors = RandomWeightMask.factors(mask, 100, 3);
        long kept = 0;
        for (int i = 0; i < size; i++) {
            if (mask[i] == 0) {
                assertThat(factors[i]).isZero();
            } else if (factors[i] != 0f) {
                assertThat(factors[i]).isEqualTo(100f / 99f);
                kept++;
            }
        }
        // 500,000 Bernoulli(0.99) draws: the standard deviation of the rate is 1.4e-4
        assertThat(kept / 500_000.0).isCloseTo(0.99, within(7e-4));
        assertThat(RandomWeightMask.scale(100)).isEqualTo(100f / 99f);

        float[] half = RandomWeightMask.factors(mask, 2, 3);
        long halfKept = Arrays.stream(toDoubles(half)).filter(f -> f != 0).count();
        assertThat(halfKept / 500_000.0).isCloseTo(0.5, within(3e-3));
        assertThat(Arrays.stream(toDoubles(half)).filter(f -> f != 0).allMatch(f -> f == 2.0)).isTrue();
        // expectation preserved: mean factor over active weights is about 1
        assertThat(Arrays.stream(toDoubles(factors)).sum() / 500_000.0).isCloseTo(1.0, within(1e-3));
    }

    @Test
    void theSameSeedDrawsTheSameMask() {
        byte[] mask = new byte[10_000];
        Arrays.fill(mask, (byte) 1);
        assertThat(RandomWeightMask.factors(mask, 10, 42)).isEqualTo(RandomWeightMask.factors(mask, 10, 42));
        assertThat(RandomWeightMask.factors(mask, 10, 42)).isNotEqualTo(RandomWeightMask.factors(mask, 10, 43));
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
