package io.ticketfoundry.worker.prune;

import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ParameterSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many weights each prunable tensor keeps at a target sparsity over the tensors that take part
 * (the prunable ones not ignored; ignored tensors stay dense and are outside the budget, as in
 * RigL's code).
 *
 * <ul>
 *   <li>{@code uniform}: every tensor keeps the same fraction.
 *   <li>{@code erk} (Erdős–Rényi-Kernel, Evci et al. 2020): density of tensor l proportional to
 *       {@code (n_in + n_out + k_h + k_w) / (n_in · n_out · k_h · k_w)} (a Linear layer has no kernel
 *       terms), scaled so the kept weights add up to the budget; a tensor whose density would exceed
 *       1 is made dense and the others are solved again.
 * </ul>
 * The budget is exactly {@code floor((1 − sparsity) × N)} kept weights over the N weights taking
 * part; real-valued shares are rounded by largest remainder, so the counts add up to it exactly.
 */
public final class LayerDensities {

    public static final String UNIFORM = "uniform";
    public static final String ERK = "erk";
    public static final List<String> DISTRIBUTIONS = List.of(UNIFORM, ERK);

    private LayerDensities() {
    }

    /** Kept weights per prunable tensor not in {@code ignore}, in the model's order; their sum is the budget. */
    public static Map<String, Long> keptCounts(ModelDefinition model, List<String> ignore, String distribution,
            double sparsity) {
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new IllegalArgumentException("sparsity must be in [0, 1), is " + sparsity);
        }
        List<ParameterSpec> layers = new ArrayList<>();
        for (ParameterSpec p : model.prunableParameters()) {
            if (!ignore.contains(p.name())) {
                layers.add(p);
            }
        }
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("every prunable tensor of " + model.name() + " is ignored");
        }
        long total = layers.stream().mapToLong(ParameterSpec::size).sum();
        long budget = MagnitudePruning.targetRemaining(total, sparsity);
        double[] density = switch (distribution) {
            case UNIFORM -> uniform(layers, (double) budget / total);
            case ERK -> erk(layers, budget);
            default -> throw new IllegalArgumentException("unknown layer density distribution \"" + distribution
                    + "\"; expected " + DISTRIBUTIONS);
        };
        long[] sizes = layers.stream().mapToLong(ParameterSpec::size).toArray();
        long[] counts = largestRemainder(budget, density, sizes);
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            out.put(layers.get(i).name(), counts[i]);
        }
        return out;
    }

    /** The real-valued densities of the distribution (before rounding), for documentation and tests. */
    public static Map<String, Double> densities(ModelDefinition model, List<String> ignore, String distribution,
            double sparsity) {
        Map<String, Double> out = new LinkedHashMap<>();
        keptCounts(model, ignore, distribution, sparsity)
                .forEach((name, kept) -> out.put(name, (double) kept / model.parameter(name).size()));
        return out;
    }

    private static double[] uniform(List<ParameterSpec> layers, double density) {
        double[] out = new double[layers.size()];
        java.util.Arrays.fill(out, density);
        return out;
    }

    /** ERK densities: raw scores, then ε solving Σ min(1, ε·raw_l)·N_l = budget with saturated layers dense. */
    static double[] erk(List<ParameterSpec> layers, long budget) {
        int n = layers.size();
        double[] raw = new double[n];
        for (int i = 0; i < n; i++) {
            long[] shape = layers.get(i).shape();
            double sum = 0;
            double product = 1;
            for (long d : shape) {
                sum += d;
                product *= d;
            }
            raw[i] = sum / product;
        }
        boolean[] dense = new boolean[n];
        double[] density = new double[n];
        while (true) {
            double left = budget;
            double weighted = 0;
            for (int i = 0; i < n; i++) {
                long size = layers.get(i).size();
                if (dense[i]) {
                    left -= size;
                } else {
                    weighted += raw[i] * size;
                }
            }
            double epsilon = weighted == 0 ? 0 : left / weighted;
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                if (!dense[i] && epsilon * raw[i] > 1) {
                    dense[i] = true;
                    changed = true;
                }
            }
            if (!changed) {
                for (int i = 0; i < n; i++) {
                    density[i] = dense[i] ? 1.0 : Math.max(0, epsilon * raw[i]);
                }
                return density;
            }
        }
    }

    /** Rounds density × size to whole counts adding up to {@code budget} (largest remainder, capped by size). */
    static long[] largestRemainder(long budget, double[] density, long[] sizes) {
        int n = sizes.length;
        long[] counts = new long[n];
        double[] remainder = new double[n];
        long assigned = 0;
        for (int i = 0; i < n; i++) {
            double exact = Math.min(sizes[i], density[i] * sizes[i]);
            counts[i] = (long) Math.floor(exact);
            remainder[i] = exact - counts[i];
            assigned += counts[i];
        }
        // largest remainder first, ties by tensor order; the shortfall is below n up to rounding error
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> remainder[a] != remainder[b] ? Double.compare(remainder[b], remainder[a])
                : Integer.compare(a, b));
        for (int k = 0; assigned < budget; k++) {
            int i = order[k % n];
            if (counts[i] < sizes[i]) {
                counts[i]++;
                assigned++;
            }
        }
        for (int k = n - 1; assigned > budget; k = (k - 1 + n) % n) {
            int i = order[k];
            if (counts[i] > 0) {
                counts[i]--;
                assigned--;
            }
        }
        return counts;
    }
}
