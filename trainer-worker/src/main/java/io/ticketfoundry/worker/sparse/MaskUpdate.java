package io.ticketfoundry.worker.sparse;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One tensor's drop-and-grow, on flat row-major arrays (RigL, Evci et al. 2020; SET, Mocanu et
 * al. 2018; written after google-research/rigl's {@code _get_update_op}).
 *
 * <ol>
 *   <li>Drop: the {@code drop} active weights of smallest magnitude {@code |w|} (ties: lower flat
 *       index first) leave the mask.
 *   <li>Grow: {@code drop} positions outside what is left join it: those with the largest
 *       dense-gradient magnitude {@code |g|} (RigL; ties: lower flat index first) or drawn uniformly
 *       at random (SET). Positions dropped a moment ago may be grown again; as in the reference
 *       code they are then simply kept, with their value and optimizer state.
 *   <li>Grown positions that were inactive before the update are the new connections: their
 *       weight is zero (pruned weights are exactly zero) and their optimizer state is reset by
 *       the caller.
 * </ol>
 * The active count is the same before and after, so every tensor keeps its density exactly.
 */
public final class MaskUpdate {

    /** The new mask and which of its positions are new connections (1), both flat. */
    public record Result(byte[] mask, byte[] grown, int dropped, int newConnections) {
    }

    private MaskUpdate() {
    }

    /** RigL: grow where the dense gradient is largest in magnitude. */
    public static Result rigl(float[] weights, float[] gradient, byte[] mask, int drop) {
        requireSameLength(weights, mask);
        requireSameLength(gradient, mask);
        byte[] kept = dropSmallest(weights, mask, drop);
        int[] candidates = inactive(kept);
        long[] keys = new long[candidates.length];
        for (int j = 0; j < candidates.length; j++) {
            int i = candidates[j];
            // largest |g| first: sort ascending on (MAX - bits(|g|)); |g|'s bits order as its value
            keys[j] = ((long) (Integer.MAX_VALUE - Float.floatToIntBits(Math.abs(gradient[i]))) << 32) | i;
        }
        Arrays.sort(keys);
        int[] chosen = new int[drop];
        for (int j = 0; j < drop; j++) {
            chosen[j] = (int) keys[j];
        }
        return grow(mask, kept, chosen, drop);
    }

    /** SET: grow {@code drop} positions drawn uniformly without replacement, from a stream seeded by {@code seed}. */
    public static Result set(float[] weights, byte[] mask, int drop, long seed) {
        requireSameLength(weights, mask);
        byte[] kept = dropSmallest(weights, mask, drop);
        int[] candidates = inactive(kept);
        SplittableRandom random = new SplittableRandom(seed);
        // partial Fisher–Yates: the first `drop` entries become a uniform sample
        for (int j = 0; j < drop; j++) {
            int pick = j + random.nextInt(candidates.length - j);
            int swap = candidates[j];
            candidates[j] = candidates[pick];
            candidates[pick] = swap;
        }
        return grow(mask, kept, Arrays.copyOf(candidates, drop), drop);
    }

    /**
     * The {@code keep} largest-magnitude weights among the positions {@code support} marks (ties:
     * lower flat index kept first): CigL's re-imposed density after averaging.
     */
    public static byte[] keepLargest(float[] weights, byte[] support, long keep) {
        requireSameLength(weights, support);
        int[] active = active(support);
        if (keep > active.length) {
            throw new IllegalArgumentException("cannot keep " + keep + " of " + active.length + " weights");
        }
        long[] keys = new long[active.length];
        for (int j = 0; j < active.length; j++) {
            int i = active[j];
            keys[j] = ((long) (Integer.MAX_VALUE - Float.floatToIntBits(Math.abs(weights[i]))) << 32) | i;
        }
        Arrays.sort(keys);
        byte[] out = new byte[support.length];
        for (int j = 0; j < keep; j++) {
            out[(int) keys[j]] = 1;
        }
        return out;
    }

    private static byte[] dropSmallest(float[] weights, byte[] mask, int drop) {
        int[] active = active(mask);
        if (drop < 0 || drop > active.length) {
            throw new IllegalArgumentException("cannot drop " + drop + " of " + active.length + " active weights");
        }
        long[] keys = new long[active.length];
        for (int j = 0; j < active.length; j++) {
            int i = active[j];
            keys[j] = ((long) Float.floatToIntBits(Math.abs(weights[i])) << 32) | i;
        }
        Arrays.sort(keys);
        byte[] kept = mask.clone();
        for (int j = 0; j < drop; j++) {
            kept[(int) keys[j]] = 0;
        }
        return kept;
    }

    private static Result grow(byte[] before, byte[] kept, int[] chosen, int dropped) {
        byte[] after = kept;
        byte[] grown = new byte[before.length];
        int fresh = 0;
        for (int i : chosen) {
            after[i] = 1;
            if (before[i] == 0) {
                grown[i] = 1;
                fresh++;
            }
        }
        return new Result(after, grown, dropped, fresh);
    }

    private static int[] active(byte[] mask) {
        int count = 0;
        for (byte b : mask) {
            count += b != 0 ? 1 : 0;
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                out[k++] = i;
            }
        }
        return out;
    }

    private static int[] inactive(byte[] mask) {
        int[] out = new int[mask.length - active(mask).length];
        int k = 0;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] == 0) {
                out[k++] = i;
            }
        }
        return out;
    }

    private static void requireSameLength(float[] values, byte[] mask) {
        if (values.length != mask.length) {
            throw new IllegalArgumentException(values.length + " values for a mask of " + mask.length);
        }
    }
}
