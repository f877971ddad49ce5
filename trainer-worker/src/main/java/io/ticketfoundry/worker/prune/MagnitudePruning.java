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
 * <p>Counting convention {@value #COUNTING_CONVENTION}: ignored weights are not counted in any
 * group's remaining total. (open_lth counts them when it computes the global fraction.)
 */
public final class MagnitudePruning {

    public static final String COUNTING_CONVENTION = "ignored-excluded";

    private MagnitudePruning() {
    }

    public static Mask prune(Weights trained, Mask current, PruningSpec pruning) {
        PruningSpec spec = pruning.withDefaults();
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

        List<Group> groups = new ArrayList<>();
        List<String> pool = new ArrayList<>();
        for (String name : prunableNames) {
            if (ignore.contains(name)) {
                continue;
            }
            if (overrides.containsKey(name)) {
                groups.add(new Group(List.of(name), overrides.get(name)));
            } else if (PruningSpec.LAYERWISE.equals(spec.scope())) {
                groups.add(new Group(List.of(name), spec.fraction()));
            } else if (PruningSpec.GLOBAL.equals(spec.scope())) {
                pool.add(name);
            } else {
                throw new IllegalArgumentException("unknown pruning scope \"" + spec.scope() + "\"; expected "
                        + PruningSpec.GLOBAL + " or " + PruningSpec.LAYERWISE);
            }
        }
        if (!pool.isEmpty()) {
            groups.add(new Group(pool, spec.fraction()));
        }

        Map<String, byte[]> next = new LinkedHashMap<>();
        for (String name : prunableNames) {
            next.put(name, current.values(name));
        }
        for (Group group : groups) {
            pruneGroup(trained, current, group, next);
        }
        return Mask.of(model, next);
    }

    /** {@code ceil(fraction × remaining)} computed on the fraction's decimal representation. */
    public static long pruneCount(double fraction, long remaining) {
        return new BigDecimal(Double.toString(fraction)).multiply(BigDecimal.valueOf(remaining))
                .setScale(0, RoundingMode.CEILING).longValueExact();
    }

    private record Group(List<String> tensors, double fraction) {
    }

    private static void pruneGroup(Weights trained, Mask current, Group group, Map<String, byte[]> next) {
        long remaining = group.tensors().stream().mapToLong(current::remaining).sum();
        long toPrune = Math.min(pruneCount(group.fraction(), remaining), remaining);
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
