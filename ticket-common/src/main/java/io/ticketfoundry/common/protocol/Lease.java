package io.ticketfoundry.common.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.ticketfoundry.common.dataset.DatasetRef;
import io.ticketfoundry.common.spec.ExperimentSpec;
import java.time.Instant;
import java.util.UUID;

/**
 * A job handed to one worker until {@code leaseExpiresAt} (extended by heartbeats).
 * {@code spec} is the experiment's spec with every default filled in. For an IMP level
 * {@code level > 0}, {@code inputs} names the parent ticket's artifacts to start from. A job of
 * kind {@value #KIND_CONTROL} trains the control named by {@code control} (one of
 * {@code ExperimentSpec.CONTROLS}) of the IMP ticket {@code inputs.parentTicketId()}, whose mask
 * and rewind point {@code inputs} names; {@code control} is null for other kinds.
 * {@code checkpoint}, when set, is the latest epoch checkpoint an earlier attempt at the job recorded.
 * {@code dataset} says how to build the spec's dataset (a base name, a derived recipe or an
 * upload's files); an older API leaves it out and the spec's dataset is then a base name.
 * An {@value #KIND_EVALUATE} or {@value #KIND_CALIBRATE} job works on the ticket {@code inputs}
 * names, with {@code evaluate} or {@code calibrate} saying what to do; {@code datasets} describes
 * the datasets those name besides the spec's own. An evaluate job with {@code corruptions} also
 * scores the reference ticket {@code reference} names (its mask and trained weights are inputs of
 * the job too); absent otherwise, and ignored by workers that predate it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Lease(
        UUID jobId,
        long fencingToken,
        String kind,
        int attempt,
        Instant leaseExpiresAt,
        long heartbeatIntervalSeconds,
        UUID experimentId,
        long seed,
        int level,
        ExperimentSpec spec,
        JobInputs inputs,
        String control,
        JobCheckpoint checkpoint,
        DatasetRef dataset,
        EvaluateParams evaluate,
        CalibrateParams calibrate,
        java.util.List<DatasetRef> datasets,
        JobInputs reference) {

    public static final String KIND_IMP_LEVEL = "imp-level";
    public static final String KIND_CONTROL = "control";
    public static final String KIND_EVALUATE = "evaluate";
    public static final String KIND_CALIBRATE = "calibrate";
    /** Retrains the source ticket {@code inputs} names on the spec's dataset; {@code transfer-random}: its random twin. */
    public static final String KIND_TRANSFER = "transfer";
    public static final String KIND_TRANSFER_RANDOM = "transfer-random";

    /** A training job's lease (IMP level or control): no evaluate or calibrate params. */
    public Lease(UUID jobId, long fencingToken, String kind, int attempt, Instant leaseExpiresAt,
            long heartbeatIntervalSeconds, UUID experimentId, long seed, int level, ExperimentSpec spec,
            JobInputs inputs, String control, JobCheckpoint checkpoint, DatasetRef dataset) {
        this(jobId, fencingToken, kind, attempt, leaseExpiresAt, heartbeatIntervalSeconds, experimentId, seed, level,
                spec, inputs, control, checkpoint, dataset, null, null, null, null);
    }

    /** A lease without a reference ticket (every kind but an evaluate job with corruptions). */
    public Lease(UUID jobId, long fencingToken, String kind, int attempt, Instant leaseExpiresAt,
            long heartbeatIntervalSeconds, UUID experimentId, long seed, int level, ExperimentSpec spec,
            JobInputs inputs, String control, JobCheckpoint checkpoint, DatasetRef dataset, EvaluateParams evaluate,
            CalibrateParams calibrate, java.util.List<DatasetRef> datasets) {
        this(jobId, fencingToken, kind, attempt, leaseExpiresAt, heartbeatIntervalSeconds, experimentId, seed, level,
                spec, inputs, control, checkpoint, dataset, evaluate, calibrate, datasets, null);
    }

    /** A lease without a control, with nothing to resume from and a base dataset. */
    public Lease(UUID jobId, long fencingToken, String kind, int attempt, Instant leaseExpiresAt,
            long heartbeatIntervalSeconds, UUID experimentId, long seed, int level, ExperimentSpec spec,
            JobInputs inputs) {
        this(jobId, fencingToken, kind, attempt, leaseExpiresAt, heartbeatIntervalSeconds, experimentId, seed, level,
                spec, inputs, null, null, null, null, null, null, null);
    }
}
