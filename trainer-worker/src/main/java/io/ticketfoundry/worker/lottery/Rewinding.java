package io.ticketfoundry.worker.lottery;

import io.ticketfoundry.worker.model.ParameterSpec;
import io.ticketfoundry.worker.model.Weights;
import io.ticketfoundry.worker.prune.Mask;

/**
 * Resets a network to its rewind point under a mask: every parameter (biases too) takes its
 * rewind value, bit for bit, and pruned weights become exactly zero.
 */
public final class Rewinding {

    private Rewinding() {
    }

    public static Weights resetTo(Weights rewindPoint, Mask mask) {
        Weights reset = rewindPoint.copy();
        for (ParameterSpec spec : mask.model().prunableParameters()) {
            float[] values = reset.values(spec.name());
            byte[] kept = mask.values(spec.name());
            for (int i = 0; i < values.length; i++) {
                if (kept[i] == 0) {
                    values[i] = 0f;
                }
            }
        }
        return reset;
    }
}
