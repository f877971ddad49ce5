package io.ticketfoundry.worker.prune;

import ai.djl.ndarray.NDArray;

/**
 * The samples SNIP and GraSP score on: normalised inputs {@code [N, C, H, W]} (float32, as the
 * dataset holds them), int64 labels {@code [N]}, and how many samples of each class were taken.
 * The arrays belong to the manager they were selected into.
 */
public record ScoringBatch(NDArray features, NDArray labels, int[] perClass) {

    public ScoringBatch {
        perClass = perClass.clone();
    }

    @Override
    public int[] perClass() {
        return perClass.clone();
    }

    public int size() {
        return Math.toIntExact(labels.getShape().get(0));
    }
}
