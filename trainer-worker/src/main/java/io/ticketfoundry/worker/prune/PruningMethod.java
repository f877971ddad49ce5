package io.ticketfoundry.worker.prune;

/**
 * A way of scoring the prunable weights for one-shot pruning. {@link PruningMethods} holds the
 * registry. Whether a method may see data is part of its type: a {@link DataFree} method is opened
 * with the weights alone, so it cannot reach a dataset; a {@link DataDriven} one also gets the
 * {@link ScoringData}.
 */
public sealed interface PruningMethod permits PruningMethod.DataFree, PruningMethod.DataDriven {

    /** The name a spec uses ({@code random}, {@code magnitude}, {@code snip}, {@code grasp}, {@code synflow}). */
    String name();

    /** The score as a formula over w, for the record, e.g. {@code |w|}. */
    String score();

    /** True when the method removes the highest scores first (GraSP), false when the lowest. */
    boolean removesHighest();

    /** Scoring rounds when the request names none: 1 (one-shot), 100 for SynFlow. */
    default int defaultRounds() {
        return 1;
    }

    /** A method that never sees data. */
    non-sealed interface DataFree extends PruningMethod {
        Scorer open(ScoringInputs inputs);
    }

    /** A method scored on a batch of samples. */
    non-sealed interface DataDriven extends PruningMethod {
        Scorer open(ScoringInputs inputs, ScoringData data);
    }
}
