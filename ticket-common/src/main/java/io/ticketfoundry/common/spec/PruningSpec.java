package io.ticketfoundry.common.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Iterative magnitude pruning. {@code fraction} of the still-unpruned weights goes per level.
 * A tensor named in {@code layerFractions} is pruned at its own rate and leaves the global pool;
 * a tensor in {@code ignore} is never pruned. {@code levels} counts pruning rounds after the dense
 * level 0, so an experiment makes {@code levels + 1} tickets per replicate.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PruningSpec(
        String scope,
        Double fraction,
        Integer levels,
        Map<String, Double> layerFractions,
        List<String> ignore) {

    public static final String GLOBAL = "global";
    public static final String LAYERWISE = "layerwise";

    public static PruningSpec defaults() {
        return new PruningSpec(GLOBAL, 0.2, 10, Map.of(), List.of());
    }

    public PruningSpec withDefaults() {
        PruningSpec d = defaults();
        return new PruningSpec(
                scope != null ? scope : d.scope(),
                fraction != null ? fraction : d.fraction(),
                levels != null ? levels : d.levels(),
                layerFractions != null ? Map.copyOf(layerFractions) : d.layerFractions(),
                ignore != null ? List.copyOf(ignore) : d.ignore());
    }
}
