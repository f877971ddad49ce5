package io.ticketfoundry.common.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Iterative magnitude pruning. {@code fraction} of the still-unpruned weights goes per level.
 * A tensor named in {@code layerFractions} is pruned at its own rate and leaves the global pool;
 * a tensor in {@code ignore} is never pruned. {@code levels} counts pruning rounds after the dense
 * level 0, so an experiment makes {@code levels + 1} tickets per replicate.
 *
 * <p>Added later, each with a default that keeps the first schema's behaviour:
 * <ul>
 *   <li>{@code targetSparsity} (default none): stop when the sparsity over all prunable tensors
 *       reaches this value instead of after {@code levels} levels; the last level prunes exactly
 *       to {@code floor((1 − targetSparsity) × prunable weights)} remaining weights.
 *   <li>{@code counting}: {@code ignored-excluded} (default: the global pool's count is over the
 *       pool alone) or {@code ignored-included} (open_lth's {@code sparse_global.py}: the count is
 *       {@code ceil(fraction × unpruned weights of every prunable tensor, ignored ones included)}
 *       and every pool weight with |w| at or below the sorted pool's value at that index is
 *       pruned, i.e. that count plus one).
 *   <li>{@code strategy}: {@code imp} (default) or {@code omp}: train dense, prune once to
 *       {@code targetSparsity}, retrain from the rewind point.
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PruningSpec(
        String scope,
        Double fraction,
        Integer levels,
        Map<String, Double> layerFractions,
        List<String> ignore,
        Double targetSparsity,
        String counting,
        String strategy) {

    public static final String GLOBAL = "global";
    public static final String LAYERWISE = "layerwise";
    public static final String IGNORED_EXCLUDED = "ignored-excluded";
    public static final String IGNORED_INCLUDED = "ignored-included";
    public static final String IMP = "imp";
    public static final String OMP = "omp";

    /** The fields of the first schema; the new ones take their defaults. */
    public PruningSpec(String scope, Double fraction, Integer levels, Map<String, Double> layerFractions,
            List<String> ignore) {
        this(scope, fraction, levels, layerFractions, ignore, null, null, null);
    }

    public static PruningSpec defaults() {
        return new PruningSpec(GLOBAL, 0.2, 10, Map.of(), List.of(), null, IGNORED_EXCLUDED, IMP);
    }

    public PruningSpec withDefaults() {
        PruningSpec d = defaults();
        return new PruningSpec(
                scope != null ? scope : d.scope(),
                fraction != null ? fraction : d.fraction(),
                levels != null ? levels : d.levels(),
                layerFractions != null ? Map.copyOf(layerFractions) : d.layerFractions(),
                ignore != null ? List.copyOf(ignore) : d.ignore(),
                targetSparsity,
                counting != null ? counting : d.counting(),
                strategy != null ? strategy : d.strategy());
    }
}
