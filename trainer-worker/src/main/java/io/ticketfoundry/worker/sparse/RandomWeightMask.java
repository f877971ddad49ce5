package io.ticketfoundry.worker.sparse;

import java.util.SplittableRandom;

/**
 * CigL's random weight mask: at every optimizer step each active weight is kept with probability
 * (n−1)/n and scaled by n/(n−1) (inverted DropConnect, so the expected weight is unchanged), as the
 * reference code's {@code dp_generate}: a weight is kept when a uniform integer in [0, n) is below
 * n − 1. One draw per active weight, in flat index order, from a stream seeded by the caller
 * (from seed, step and tensor), so a run and a resumed run draw the same masks.
 */
public final class RandomWeightMask {

    private RandomWeightMask() {
    }

    /**
     * The factor each weight is multiplied by for one step: n/(n−1) where the weight is active and
     * kept, 0 where it is dropped or not in {@code mask}.
     */
    public static float[] factors(byte[] mask, int denominator, long seed) {
        if (denominator < 2) {
            throw new IllegalArgumentException("the random mask's denominator must be >= 2, is " + denominator);
        }
        float scale = (float) denominator / (denominator - 1);
        SplittableRandom random = new SplittableRandom(seed);
        float[] factors = new float[mask.length];
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0 && random.nextInt(denominator) < denominator - 1) {
                factors[i] = scale;
            }
        }
        return factors;
    }

    /** The scale of kept weights, n/(n−1), as applied (float). */
    public static float scale(int denominator) {
        return (float) denominator / (denominator - 1);
    }
}
