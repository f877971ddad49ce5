package io.ticketfoundry.worker.prune;

import java.util.Map;

/** An opened {@link PruningMethod}: scores the weights a mask keeps, once per pruning round. */
public interface Scorer extends AutoCloseable {

    /**
     * One score per weight of every scored tensor (the inputs' {@code scored} list), computed on the
     * weights multiplied by {@code current}. Scores of pruned weights are never read.
     */
    Map<String, double[]> scores(Mask current);

    /** What was done, for the pruning record (sample counts, steps taken); empty by default. */
    default Map<String, Object> details() {
        return Map.of();
    }

    /** Frees engine memory, if any. */
    @Override
    default void close() {
    }
}
