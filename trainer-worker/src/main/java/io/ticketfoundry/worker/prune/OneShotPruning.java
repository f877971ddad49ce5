package io.ticketfoundry.worker.prune;

import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ParameterSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One-shot pruning to an exact sparsity by a scoring method of {@link PruningMethods}: random,
 * magnitude, SNIP, GraSP or SynFlow (definitions, defaults and where each follows its reference:
 * docs/experiments.md, "Pruning methods").
 *
 * <p>The budget is over the N weights of the prunable tensors not ignored: exactly
 * {@code floor((1 − s) × N)} survive. With scope {@code global} the best-ranked weights of the
 * pool survive; with {@code layerwise} each tensor keeps its count of
 * {@link LayerDensities#keptCounts} ({@code uniform} or {@code erk}) by its own scores. Ranking:
 * weights the current mask has pruned stay pruned; among the rest the lowest scores go (the
 * highest for GraSP), equal scores the earlier weight (tensor order, then flat index) first.
 * Ignored tensors keep the current mask's values.
 *
 * <p>Rounds: the method scores the weights the mask keeps, the mask shrinks, and so on; after
 * round k of n the survivors are {@code floor(N × (1 − s)^(k/n))} (per tensor {@code
 * floor(N_l × d_l^(k/n))} with d_l its final density), the last round exactly the budget. SynFlow
 * runs 100 rounds by default, the other methods 1.
 */
public final class OneShotPruning {

    private OneShotPruning() {
    }

    public static OneShotResult prune(OneShotRequest request) {
        ModelDefinition model = request.model();
        PruningMethod method = PruningMethods.get(request.method());
        List<String> scored = scored(request);
        boolean layerwise = OneShotRequest.LAYERWISE.equals(request.scope());
        Map<String, Long> finalCounts = layerwise
                ? LayerDensities.keptCounts(model, request.ignore(), request.distribution(), request.targetSparsity())
                : null;
        long total = scored.stream().mapToLong(name -> model.parameter(name).size()).sum();
        long budget = layerwise ? finalCounts.values().stream().mapToLong(Long::longValue).sum()
                : MagnitudePruning.targetRemaining(total, request.targetSparsity());
        checkReachable(request, scored, finalCounts, budget);

        Map<String, byte[]> masks = new LinkedHashMap<>();
        for (ParameterSpec p : model.prunableParameters()) {
            masks.put(p.name(), request.mask().values(p.name()));
        }
        Map<String, Object> details;
        try (Scorer scorer = open(method, request, scored)) {
            for (int round = 1; round <= request.rounds(); round++) {
                // groups pruned separately: the pool, or each tensor; and what each keeps after this round
                List<List<String>> groups = new ArrayList<>();
                List<Long> keep = new ArrayList<>();
                if (layerwise) {
                    for (String name : scored) {
                        long size = model.parameter(name).size();
                        long last = finalCounts.get(name);
                        groups.add(List.of(name));
                        keep.add(keptAfterRound(size, (double) last / size, last, round, request.rounds()));
                    }
                } else {
                    groups.add(scored);
                    keep.add(keptAfterRound(total, 1 - request.targetSparsity(), budget, round, request.rounds()));
                }
                if (!prunesAnything(masks, groups, keep)) {
                    continue;
                }
                Map<String, double[]> scores = scorer.scores(Mask.of(model, masks));
                for (int g = 0; g < groups.size(); g++) {
                    masks.putAll(ScoreSelection.keep(groups.get(g), scores, masks, keep.get(g), method.removesHighest()));
                }
            }
            details = scorer.details();
        }
        Mask result = Mask.of(model, masks);
        Map<String, Long> kept = new LinkedHashMap<>();
        for (String name : scored) {
            kept.put(name, result.remaining(name));
        }
        long keptTotal = kept.values().stream().mapToLong(Long::longValue).sum();
        if (keptTotal != budget || (layerwise && !kept.equals(finalCounts))) {
            throw new IllegalStateException("pruning kept " + kept + " (" + keptTotal + "), not the budget " + budget
                    + (layerwise ? " " + finalCounts : ""));
        }
        return new OneShotResult(result, record(request, method, total, budget, kept, details));
    }

    /**
     * The first round's scores (the method's score as defined, e.g. {@code −w ⊙ Hg} for GraSP) of
     * every prunable tensor not ignored, on the weights the request's mask keeps.
     */
    public static Map<String, double[]> scores(OneShotRequest request) {
        try (Scorer scorer = open(PruningMethods.get(request.method()), request, scored(request))) {
            return scorer.scores(request.mask());
        }
    }

    /** The only place that hands data to a method, and only to a data-driven one. */
    private static Scorer open(PruningMethod method, OneShotRequest request, List<String> scored) {
        ScoringInputs inputs = new ScoringInputs(request.model(), request.weights(), scored, request.seed(),
                request.samplesPerClass(), request.batchNorm(), request.temperature());
        if (method instanceof PruningMethod.DataDriven dataDriven) {
            return dataDriven.open(inputs, request.scoringData());
        }
        return ((PruningMethod.DataFree) method).open(inputs);
    }

    private static List<String> scored(OneShotRequest request) {
        List<String> scored = new ArrayList<>();
        for (ParameterSpec p : request.model().prunableParameters()) {
            if (!request.ignore().contains(p.name())) {
                scored.add(p.name());
            }
        }
        return scored;
    }

    /** Survivors after round k of n: {@code floor(size × density^(k/n))}, the last round exactly {@code last}. */
    static long keptAfterRound(long size, double density, long last, int round, int rounds) {
        if (round == rounds) {
            return last;
        }
        long kept = (long) Math.floor(size * Math.pow(density, (double) round / rounds));
        return Math.max(last, Math.min(size, kept));
    }

    private static boolean prunesAnything(Map<String, byte[]> masks, List<List<String>> groups, List<Long> keep) {
        for (int g = 0; g < groups.size(); g++) {
            if (remaining(masks, groups.get(g)) > keep.get(g)) {
                return true;
            }
        }
        return false;
    }

    private static long remaining(Map<String, byte[]> masks, List<String> names) {
        long count = 0;
        for (String name : names) {
            for (byte b : masks.get(name)) {
                count += b;
            }
        }
        return count;
    }

    private static void checkReachable(OneShotRequest request, List<String> scored, Map<String, Long> finalCounts,
            long budget) {
        Mask mask = request.mask();
        if (finalCounts != null) {
            for (String name : scored) {
                if (mask.remaining(name) < finalCounts.get(name)) {
                    throw new IllegalArgumentException(name + " keeps " + mask.remaining(name) + " weights already, fewer "
                            + "than the " + finalCounts.get(name) + " its " + request.distribution() + " share at sparsity "
                            + request.targetSparsity() + " needs");
                }
            }
        } else {
            long remaining = scored.stream().mapToLong(mask::remaining).sum();
            if (remaining < budget) {
                throw new IllegalArgumentException("the mask keeps " + remaining + " weights of the pruned tensors already, "
                        + "fewer than the " + budget + " sparsity " + request.targetSparsity() + " keeps");
            }
        }
    }

    private static Map<String, Object> record(OneShotRequest request, PruningMethod method, long total, long budget,
            Map<String, Long> kept, Map<String, Object> details) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("method", method.name());
        record.put("scope", request.scope());
        if (request.distribution() != null) {
            record.put("distribution", request.distribution());
        }
        record.put("targetSparsity", request.targetSparsity());
        record.put("ignore", request.ignore());
        record.put("weightsConsidered", total);
        record.put("kept", budget);
        record.put("keptPerTensor", kept);
        record.put("seed", request.seed());
        record.put("rounds", request.rounds());
        record.put("schedule", request.rounds() == 1 ? "one-shot" : "exponential");
        record.put("score", method.score());
        record.put("removes", method.removesHighest() ? "highest" : "lowest");
        record.put("ties", "earlier weight (tensor order, then flat index) removed first");
        record.put("precision", "float64");
        if (method instanceof PruningMethod.DataFree) {
            record.put("data", "none");
        }
        record.putAll(details);
        return record;
    }
}
