package io.ticketfoundry.worker.io;

import io.ticketfoundry.worker.model.Weights;
import io.ticketfoundry.worker.prune.Mask;
import java.util.List;
import java.util.Map;

/**
 * What a sparse-training run carries across an epoch checkpoint besides its {@code TrainingState}:
 * the current mask and the number of mask updates made, CigL's running average (the mean of every
 * parameter over {@code averaged} epoch ends, and the union of their masks; null when none yet),
 * and the snapshots taken so far (mask and weights at a step). In the checkpoint file:
 * {@code sparse.mask.<name>} (U8), {@code sparse.average.<name>} (F32),
 * {@code sparse.averageSupport.<name>} (U8), {@code snapshot.<step>.mask.<name>} (U8) and
 * {@code snapshot.<step>.model.<name>} (the state_dict), with counts in the metadata.
 */
public record SparseCheckpoint(Mask mask, long maskUpdates, Map<String, float[]> average, int averaged,
        Mask averageSupport, List<Snapshot> snapshots) {

    /** A mask and the weights at a training step. */
    public record Snapshot(long step, Mask mask, Weights weights) {
    }

    public SparseCheckpoint {
        snapshots = List.copyOf(snapshots);
        if (averaged > 0 && (average == null || averageSupport == null)) {
            throw new IllegalArgumentException("an average of " + averaged + " epochs needs its mean and support");
        }
    }
}
