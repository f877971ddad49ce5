package io.ticketfoundry.worker.prune;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Keeps an exact number of the surviving weights of a group of tensors by their scores.
 *
 * <p>Candidates are the weights the current mask keeps; weights it has already pruned stay pruned.
 * The weights removed are the {@code candidates − keep} first in the order (score, position)
 * ascending, where the position is the tensor's place in the given list, then the flat row-major
 * index; for a method that removes the <em>highest</em> scores the score is negated first. So on
 * equal scores the earlier weight goes first, as in {@link MagnitudePruning}. Runs in linear time
 * (a selection of the threshold, no sort), so a 100-round SynFlow on a 20M-weight model stays cheap.
 */
final class ScoreSelection {

    private ScoreSelection() {
    }

    /**
     * The masks of {@code tensors} after keeping exactly {@code keep} of their candidates, or all
     * of them when there are no more than {@code keep}.
     */
    static Map<String, byte[]> keep(List<String> tensors, Map<String, double[]> scores, Map<String, byte[]> current,
            long keep, boolean removesHighest) {
        long candidates = 0;
        for (String name : tensors) {
            byte[] m = current.get(name);
            if (scores.get(name).length != m.length) {
                throw new IllegalArgumentException(name + ": " + scores.get(name).length + " scores for " + m.length
                        + " weights");
            }
            for (byte b : m) {
                candidates += b;
            }
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (String name : tensors) {
            out.put(name, current.get(name).clone());
        }
        long remove = candidates - Math.max(0, keep);
        if (remove <= 0) {
            return out;
        }
        double[] keys = new double[Math.toIntExact(candidates)];
        int c = 0;
        for (String name : tensors) {
            double[] s = scores.get(name);
            byte[] m = current.get(name);
            for (int i = 0; i < s.length; i++) {
                if (m[i] != 0) {
                    if (Double.isNaN(s[i])) {
                        throw new IllegalStateException("score of " + name + " at flat index " + i + " is NaN");
                    }
                    keys[c++] = key(s[i], removesHighest);
                }
            }
        }
        double threshold = kthSmallest(keys, Math.toIntExact(remove - 1));
        long below = 0;
        for (String name : tensors) {
            double[] s = scores.get(name);
            byte[] m = current.get(name);
            for (int i = 0; i < s.length; i++) {
                if (m[i] != 0 && key(s[i], removesHighest) < threshold) {
                    below++;
                }
            }
        }
        long equalToRemove = remove - below;
        for (String name : tensors) {
            double[] s = scores.get(name);
            byte[] m = out.get(name);
            for (int i = 0; i < s.length; i++) {
                if (m[i] == 0) {
                    continue;
                }
                double k = key(s[i], removesHighest);
                if (k < threshold) {
                    m[i] = 0;
                } else if (k == threshold && equalToRemove > 0) {
                    m[i] = 0;
                    equalToRemove--;
                }
            }
        }
        return out;
    }

    private static double key(double score, boolean removesHighest) {
        return removesHighest ? -score : score;
    }

    /** The k-th smallest value (0-based) of {@code values}, which it reorders. */
    static double kthSmallest(double[] values, int k) {
        if (k < 0 || k >= values.length) {
            throw new IllegalArgumentException("k " + k + " outside [0, " + values.length + ")");
        }
        SplittableRandom random = new SplittableRandom(0x5eedL);
        int lo = 0;
        int hi = values.length - 1;
        while (lo < hi) {
            double pivot = values[lo + random.nextInt(hi - lo + 1)];
            // three-way partition: [lo, lt) < pivot, [lt, gt] == pivot, (gt, hi] > pivot
            int lt = lo;
            int gt = hi;
            int i = lo;
            while (i <= gt) {
                double v = values[i];
                if (v < pivot) {
                    values[i++] = values[lt];
                    values[lt++] = v;
                } else if (v > pivot) {
                    values[i] = values[gt];
                    values[gt--] = v;
                } else {
                    i++;
                }
            }
            if (k < lt) {
                hi = lt - 1;
            } else if (k > gt) {
                lo = gt + 1;
            } else {
                return pivot;
            }
        }
        return values[k];
    }
}
