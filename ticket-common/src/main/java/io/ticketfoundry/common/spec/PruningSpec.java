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
 *   <li>{@code strategy}: {@code imp} (default) or a one-shot method that prunes once, at level 1,
 *       to {@code targetSparsity} and retrains from the rewind point (level 0 trains the dense
 *       network): {@code omp} (magnitude of the trained dense weights), {@code random}, {@code snip},
 *       {@code grasp} and {@code synflow} (scores at the rewind point: the initialisation when the
 *       rewind step is 0, i.e. pruning at initialisation).
 *   <li>{@code layerDistribution}: how a one-shot {@code layerwise} method spreads the kept weights
 *       over the tensors: {@code uniform} (default, the same density everywhere) or {@code erk}.
 *   <li>{@code scoreSamplesPerClass}: examples of each class of the training split SNIP and GraSP
 *       score on (default 10, GraSP's choice); {@code synflowRounds}: SynFlow's pruning rounds
 *       (default 100).
 *   <li>{@code graspRedrawLinear} (default true, as GraSP's reference code): GraSP scores a copy of
 *       the network whose Linear weights are re-drawn from Xavier normal; false scores the weights
 *       themselves.
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
        String strategy,
        String layerDistribution,
        Integer scoreSamplesPerClass,
        Integer synflowRounds,
        Boolean graspRedrawLinear) {

    public static final String GLOBAL = "global";
    public static final String LAYERWISE = "layerwise";
    public static final String IGNORED_EXCLUDED = "ignored-excluded";
    public static final String IGNORED_INCLUDED = "ignored-included";
    public static final String IMP = "imp";
    public static final String OMP = "omp";
    public static final String RANDOM = "random";
    public static final String SNIP = "snip";
    public static final String GRASP = "grasp";
    public static final String SYNFLOW = "synflow";
    public static final java.util.List<String> STRATEGIES = java.util.List.of(IMP, OMP, RANDOM, SNIP, GRASP, SYNFLOW);
    public boolean oneShot() {
        return ONE_SHOT.contains(strategy);
    }

    /** Strategies that prune once to {@code targetSparsity} at level 1. */
    public static final java.util.List<String> ONE_SHOT = java.util.List.of(OMP, RANDOM, SNIP, GRASP, SYNFLOW);
    public static final String UNIFORM = "uniform";
    public static final String ERK = "erk";
    public static final java.util.List<String> LAYER_DISTRIBUTIONS = java.util.List.of(UNIFORM, ERK);
    public static final int DEFAULT_SCORE_SAMPLES_PER_CLASS = 10;
    public static final int DEFAULT_SYNFLOW_ROUNDS = 100;

    /** The fields of the first schema; the new ones take their defaults. */
    public PruningSpec(String scope, Double fraction, Integer levels, Map<String, Double> layerFractions,
            List<String> ignore) {
        this(scope, fraction, levels, layerFractions, ignore, null, null, null, null, null, null, null);
    }

    /** The fields before the one-shot methods other than omp; their settings take the defaults. */
    public PruningSpec(String scope, Double fraction, Integer levels, Map<String, Double> layerFractions,
            List<String> ignore, Double targetSparsity, String counting, String strategy) {
        this(scope, fraction, levels, layerFractions, ignore, targetSparsity, counting, strategy, null, null, null, null);
    }

    public static PruningSpec defaults() {
        return new PruningSpec(GLOBAL, 0.2, 10, Map.of(), List.of(), null, IGNORED_EXCLUDED, IMP, UNIFORM,
                DEFAULT_SCORE_SAMPLES_PER_CLASS, DEFAULT_SYNFLOW_ROUNDS, true);
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
                strategy != null ? strategy : d.strategy(),
                layerDistribution != null ? layerDistribution : d.layerDistribution(),
                scoreSamplesPerClass != null ? scoreSamplesPerClass : d.scoreSamplesPerClass(),
                synflowRounds != null ? synflowRounds : d.synflowRounds(),
                graspRedrawLinear != null ? graspRedrawLinear : d.graspRedrawLinear());
    }
}
