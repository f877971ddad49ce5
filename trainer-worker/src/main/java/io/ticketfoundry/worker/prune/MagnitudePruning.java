package io.ticketfoundry.worker.prune;

import io.ticketfoundry.common.spec.PruningSpec;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ParameterSpec;
import io.ticketfoundry.worker.model.Weights;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One round of magnitude pruning over the weights a mask still keeps.
 *
 * <p>Groups: with scope {@code global}, every prunable tensor that is neither ignored nor given
 * its own fraction forms one pool; with {@code layerwise}, each such tensor is its own group. A
 * tensor in {@code layerFractions} is always its own group with its own fraction; an ignored
 * tensor is in no group. Each group prunes {@code ceil(fraction × remaining in the group)} of its
 * surviving weights with the smallest |w|; the product is taken on the decimal value of the
 * fraction so that e.g. 0.2 × 1000 is exactly 200. Ties in |w| go to the earlier weight in
 * (tensor order of the model, flat row-major index), so the result is deterministic.
 *
 * <p>Counting convention ({@code pruning.counting}): {@code ignored-excluded} (the default,
 * {@value #COUNTING_CONVENTION}) counts only the group's own surviving weights. With
 * {@code ignored-included} the global pool reproduces open_lth's {@code sparse_global.py}: the
 * count is {@code n = ceil(fraction × unpruned weights of every prunable tensor)}, ignored
 * tensors included, and open_lth then prunes every pool weight with |w| at or below the value at
 * index n of the pool's sorted magnitudes, which is n + 1 weights when there are no ties (here
 * exactly n + 1, ties broken as above). For LeNet-300-100 with {@code fc3} ignored that is
 * ceil(0.2 × 266,200) + 1 = 53,241 at level 1. Groups with their own fraction count their own
 * weights under both conventions.
 *
 * <p>Target sparsity: {@link #pruneToRemaining} prunes exactly down to a given number of
 * surviving prunable weights (all prunable tensors counted, ignored ones included). The weights
 * to remove are shared among the groups in proportion to their ordinary counts for this level
 * (largest remainder, ties to the earlier group), never more than a group has.
 */
public final class MagnitudePruning {

    public static final String COUNTING_CONVENTION = "ignored-excluded";

    private MagnitudePruning() {
    }

    public static Mask prune(Weights trained, Mask current, PruningSpec pruning) {
        PruningSpec spec = pruning.withDefaults();
        List<Group> groups = groups(current, spec);
        long[] counts = ordinaryCounts(current, spec, groups);
        return apply(trained, current, groups, counts);
    }

    /**
     * Prunes so that exactly {@code targetRemaining} prunable weights survive (the last level of a
     * target-sparsity run, or one-shot pruning). Throws when the groups cannot give up that many.
     */
    public static Mask pruneToRemaining(Weights trained, Mask current, PruningSpec pruning, long targetRemaining) {
        PruningSpec spec = pruning.withDefaults();
        List<Group> groups = groups(current, spec);
        long need = current.remaining() - targetRemaining;
        if (need <= 0) {
            return current;
        }
        long[] ordinary = ordinaryCounts(current, spec, groups);
        long[] available = new long[groups.size()];
        long weightSum = 0;
        long availableSum = 0;
        for (int g = 0; g < groups.size(); g++) {
            available[g] = remaining(current, groups.get(g));
            availableSum += available[g];
            weightSum += ordinary[g];
        }
        if (need > availableSum) {
            throw new IllegalArgumentException("cannot prune to " + targetRemaining + " remaining weights: only "
                    + availableSum + " of the " + current.remaining() + " surviving prunable weights may be pruned "
                    + "(the rest are ignored)");
        }
        long[] weights = weightSum > 0 ? ordinary : available;
        return apply(trained, current, groups, share(need, weights, available));
    }

    /** Surviving weights that reach {@code targetSparsity} exactly: {@code floor((1 − s) × total)}. */
    public static long targetRemaining(long prunableTotal, double targetSparsity) {
        return BigDecimal.ONE.subtract(new BigDecimal(Double.toString(targetSparsity)))
                .multiply(BigDecimal.valueOf(prunableTotal)).setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    /** {@code need} split in proportion to {@code weights} (largest remainder), capped by {@code available}. */
    static long[] share(long need, long[] weights, long[] available) {
        int n = weights.length;
        long[] out = new long[n];
        long left = need;
        boolean[] full = new boolean[n];
        while (left > 0) {
            BigDecimal total = BigDecimal.ZERO;
            for (int g = 0; g < n; g++) {
                if (!full[g]) {
                    total = total.add(BigDecimal.valueOf(weights[g] > 0 ? weights[g] : 0));
                }
            }
            if (total.signum() == 0) {
                // only groups without weight are left: take from them in order
                for (int g = 0; g < n && left > 0; g++) {
                    long take = Math.min(left, available[g] - out[g]);
                    out[g] += take;
                    left -= take;
                }
                break;
            }
            long[] add = new long[n];
            BigDecimal[] remainder = new BigDecimal[n];
            long given = 0;
            for (int g = 0; g < n; g++) {
                remainder[g] = BigDecimal.valueOf(-1);
                if (full[g] || weights[g] <= 0) {
                    continue;
                }
                BigDecimal exact = BigDecimal.valueOf(left).multiply(BigDecimal.valueOf(weights[g]));
                BigDecimal[] qr = exact.divideAndRemainder(total);
                add[g] = qr[0].longValueExact();
                remainder[g] = qr[1];
                given += add[g];
            }
            for (long extra = left - given; extra > 0; extra--) {
                int best = -1;
                for (int g = 0; g < n; g++) {
                    if (remainder[g].signum() >= 0 && (best < 0 || remainder[g].compareTo(remainder[best]) > 0)) {
                        best = g;
                    }
                }
                add[best]++;
                remainder[best] = BigDecimal.valueOf(-1);
            }
            for (int g = 0; g < n; g++) {
                long room = available[g] - out[g];
                long take = Math.min(add[g], room);
                out[g] += take;
                left -= take;
                if (out[g] == available[g]) {
                    full[g] = true;
                }
            }
        }
        return out;
    }

    private static List<Group> groups(Mask current, PruningSpec spec) {
        ModelDefinition model = current.model();
        Map<String, Double> overrides = spec.layerFractions();
        List<String> ignore = spec.ignore();
        List<String> prunableNames = model.prunableParameters().stream().map(ParameterSpec::name).toList();
        for (String name : overrides.keySet()) {
            requirePrunable(model, prunableNames, name, "layerFractions");
            checkFraction(overrides.get(name), "layerFractions[" + name + "]");
            if (ignore.contains(name)) {
                throw new IllegalArgumentException(name + " is both ignored and given its own fraction");
            }
        }
        for (String name : ignore) {
            requirePrunable(model, prunableNames, name, "ignore");
        }
        checkFraction(spec.fraction(), "fraction");
        if (!PruningSpec.IGNORED_EXCLUDED.equals(spec.counting()) && !PruningSpec.IGNORED_INCLUDED.equals(spec.counting())) {
            throw new IllegalArgumentException("unknown pruning.counting \"" + spec.counting() + "\"; expected "
                    + PruningSpec.IGNORED_EXCLUDED + " or " + PruningSpec.IGNORED_INCLUDED);
        }

        List<Group> groups = new ArrayList<>();
        List<String> pool = new ArrayList<>();
        for (String name : prunableNames) {
            if (ignore.contains(name)) {
                continue;
            }
            if (overrides.containsKey(name)) {
                groups.add(new Group(List.of(name), overrides.get(name), false));
            } else if (PruningSpec.LAYERWISE.equals(spec.scope())) {
                groups.add(new Group(List.of(name), spec.fraction(), false));
            } else if (PruningSpec.GLOBAL.equals(spec.scope())) {
                pool.add(name);
            } else {
                throw new IllegalArgumentException("unknown pruning scope \"" + spec.scope() + "\"; expected "
                        + PruningSpec.GLOBAL + " or " + PruningSpec.LAYERWISE);
            }
        }
        if (!pool.isEmpty()) {
            groups.add(new Group(pool, spec.fraction(), true));
        }
        return groups;
    }

    /** Each group's count for an ordinary level under the spec's counting convention. */
    private static long[] ordinaryCounts(Mask current, PruningSpec spec, List<Group> groups) {
        boolean openLth = PruningSpec.IGNORED_INCLUDED.equals(spec.counting());
        long ignoredRemaining = spec.ignore().stream().mapToLong(current::remaining).sum();
        long[] counts = new long[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            Group group = groups.get(g);
            long remaining = remaining(current, group);
            long count;
            if (openLth && group.pool()) {
                // open_lth: n = ceil(f × all unpruned prunable weights); prunes |w| <= sorted[n], i.e. n + 1
                count = pruneCount(group.fraction(), remaining + ignoredRemaining) + 1;
            } else {
                count = pruneCount(group.fraction(), remaining);
            }
            counts[g] = Math.min(count, remaining);
        }
        return counts;
    }

    private static long remaining(Mask current, Group group) {
        return group.tensors().stream().mapToLong(current::remaining).sum();
    }

    private static Mask apply(Weights trained, Mask current, List<Group> groups, long[] counts) {
        ModelDefinition model = current.model();
        Map<String, byte[]> next = new LinkedHashMap<>();
        for (ParameterSpec p : model.prunableParameters()) {
            next.put(p.name(), current.values(p.name()));
        }
        for (int g = 0; g < groups.size(); g++) {
            pruneGroup(trained, current, groups.get(g), counts[g], next);
        }
        return Mask.of(model, next);
    }

    /** {@code ceil(fraction × remaining)} computed on the fraction's decimal representation. */
    public static long pruneCount(double fraction, long remaining) {
        return new BigDecimal(Double.toString(fraction)).multiply(BigDecimal.valueOf(remaining))
                .setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** Tensors pruned together; {@code pool} marks the global pool. */
    private record Group(List<String> tensors, double fraction, boolean pool) {
    }

    private static void pruneGroup(Weights trained, Mask current, Group group, long toPrune, Map<String, byte[]> next) {
        long remaining = remaining(current, group);
        if (toPrune == 0) {
            return;
        }
        // Key = (bits of |w|) << 32 | position among the group's survivors in (tensor, flat index)
        // order. For non-negative floats the bit pattern orders like the value, so sorting the keys
        // sorts by |w| with ties broken by position.
        long[] keys = new long[Math.toIntExact(remaining)];
        int[] tensorOf = new int[keys.length];
        int[] indexOf = new int[keys.length];
        int position = 0;
        for (int t = 0; t < group.tensors().size(); t++) {
            String name = group.tensors().get(t);
            float[] w = trained.values(name);
            byte[] kept = current.raw(name);
            for (int i = 0; i < w.length; i++) {
                if (kept[i] == 0) {
                    continue;
                }
                if (Float.isNaN(w[i])) {
                    throw new IllegalArgumentException(name + " has NaN at flat index " + i + "; cannot prune by magnitude");
                }
                long magnitude = Float.floatToIntBits(Math.abs(w[i]));
                keys[position] = (magnitude << 32) | position;
                tensorOf[position] = t;
                indexOf[position] = i;
                position++;
            }
        }
        Arrays.sort(keys);
        for (int k = 0; k < toPrune; k++) {
            int p = (int) (keys[k] & 0xffffffffL);
            next.get(group.tensors().get(tensorOf[p]))[indexOf[p]] = 0;
        }
    }

    private static void requirePrunable(ModelDefinition model, List<String> prunable, String name, String field) {
        if (!prunable.contains(name)) {
            throw new IllegalArgumentException("pruning." + field + " names " + name + ", which is not a prunable tensor of "
                    + model.name() + " " + prunable);
        }
    }

    private static void checkFraction(Double fraction, String field) {
        if (fraction == null || !(fraction >= 0.0 && fraction <= 1.0)) {
            throw new IllegalArgumentException("pruning." + field + " must be in [0, 1], is " + fraction);
        }
    }
}
