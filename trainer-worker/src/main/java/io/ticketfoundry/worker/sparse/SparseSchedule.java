package io.ticketfoundry.worker.sparse;

import io.ticketfoundry.common.spec.SparseTrainingSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * When the mask of a SET, RigL or CigL run changes, and how much of it. Steps are counted as the
 * number of optimizer steps taken: the update "at step t" follows the t-th step (t ≥ 1). An update
 * is made at every {@code t} with {@code t % updateInterval == 0} and {@code t <= endStep}, where
 * {@code endStep = floor(endFraction × totalSteps)} (exact decimal). As in rigl-reproducibility
 * ({@code (global_step + 1) % interval == 0 and global_step < end_when}, global_step 0-based).
 *
 * <p>Drop fraction at an update: {@code constant}: {@code f0}; {@code cosine} (RigL's default,
 * {@code tf.compat.v1.train.cosine_decay} with α = 0):
 * {@code f(t) = f0 · ½ (1 + cos(π · t / endStep))}, which reaches 0 at {@code endStep}.
 */
public final class SparseSchedule {

    private final boolean updates;
    private final long interval;
    private final long endStep;
    private final double dropFraction;
    private final boolean cosine;

    public SparseSchedule(SparseTrainingSpec spec, long totalSteps) {
        SparseTrainingSpec filled = spec;
        updates = filled.updatesMask();
        if (updates) {
            interval = filled.updateInterval();
            endStep = BigDecimal.valueOf(filled.endFraction()).multiply(BigDecimal.valueOf(totalSteps))
                    .setScale(0, RoundingMode.FLOOR).longValueExact();
            dropFraction = filled.dropFraction();
            cosine = SparseTrainingSpec.COSINE.equals(filled.dropSchedule());
            if (interval < 1) {
                throw new IllegalArgumentException("sparseTraining.updateInterval must be >= 1, is " + interval);
            }
            if (!(dropFraction > 0 && dropFraction < 1)) {
                throw new IllegalArgumentException("sparseTraining.dropFraction must be in (0, 1), is " + dropFraction);
            }
            if (!cosine && !SparseTrainingSpec.CONSTANT.equals(filled.dropSchedule())) {
                throw new IllegalArgumentException("unknown sparseTraining.dropSchedule \"" + filled.dropSchedule() + "\"");
            }
        } else {
            interval = 0;
            endStep = 0;
            dropFraction = 0;
            cosine = false;
        }
    }

    /** Whether the mask is updated after the {@code stepsTaken}-th step. */
    public boolean isUpdate(long stepsTaken) {
        return updates && stepsTaken >= 1 && stepsTaken <= endStep && stepsTaken % interval == 0;
    }

    /** The fraction of each tensor's active weights dropped (and regrown) at the update after step {@code stepsTaken}. */
    public double dropFraction(long stepsTaken) {
        if (!cosine) {
            return dropFraction;
        }
        double progress = Math.min(stepsTaken, endStep) / (double) endStep;
        return dropFraction * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    /** The last step after which the mask may change (0 for a static mask). */
    public long endStep() {
        return endStep;
    }

    public long interval() {
        return interval;
    }

    /** How many updates a run of {@code totalSteps} makes. */
    public long updateCount() {
        return updates ? endStep / interval : 0;
    }

    /** The number dropped from a tensor with {@code active} weights: {@code int(active × f)} as RigL's code. */
    public static long dropCount(long active, double fraction) {
        return (long) Math.floor(active * fraction);
    }
}
