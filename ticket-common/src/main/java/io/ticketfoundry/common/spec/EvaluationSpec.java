package io.ticketfoundry.common.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How every ticket is evaluated on the test split: the binning of ECE and SCE. The defaults (15
 * equal-width bins, each {@code (lo, hi]} with the first {@code [0, 1/B]}) follow Guo et al.;
 * {@code [lo,hi)} edges are CigL's rule, {@code equal-mass} bins the adaptive binning of Nixon et al.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationSpec(Integer eceBins, String eceEdges, String binning) {

    /** Bin {@code (lo, hi]}, the first bin {@code [0, hi]}: a confidence on an edge counts in the bin below. */
    public static final String EDGES_UPPER_CLOSED = "(lo,hi]";
    /** Bin {@code [lo, hi)}, the last bin {@code [lo, 1]}: a confidence on an edge counts in the bin above. */
    public static final String EDGES_LOWER_CLOSED = "[lo,hi)";
    public static final List<String> EDGE_RULES = List.of(EDGES_UPPER_CLOSED, EDGES_LOWER_CLOSED);

    public static final String EQUAL_WIDTH = "equal-width";
    public static final String EQUAL_MASS = "equal-mass";
    public static final List<String> BINNINGS = List.of(EQUAL_WIDTH, EQUAL_MASS);

    /** The field of the first schema; the edge rule and binning take their defaults. */
    public EvaluationSpec(Integer eceBins) {
        this(eceBins, null, null);
    }

    public static EvaluationSpec defaults() {
        return new EvaluationSpec(15, EDGES_UPPER_CLOSED, EQUAL_WIDTH);
    }

    public EvaluationSpec withDefaults() {
        EvaluationSpec d = defaults();
        return new EvaluationSpec(eceBins != null ? eceBins : d.eceBins(), eceEdges != null ? eceEdges : d.eceEdges(),
                binning != null ? binning : d.binning());
    }
}
