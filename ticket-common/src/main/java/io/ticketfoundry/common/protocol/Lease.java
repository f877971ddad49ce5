package io.ticketfoundry.common.protocol;

import io.ticketfoundry.common.spec.ExperimentSpec;
import java.time.Instant;
import java.util.UUID;

/**
 * A job handed to one worker until {@code leaseExpiresAt} (extended by heartbeats).
 * {@code spec} is the experiment's spec with every default filled in. For an IMP level
 * {@code level > 0}, {@code inputs} names the parent ticket's artifacts to start from.
 */
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
        JobCheckpoint checkpoint) {

    public static final String KIND_IMP_LEVEL = "imp-level";

    /** A lease with nothing to resume from. */
    public Lease(UUID jobId, long fencingToken, String kind, int attempt, Instant leaseExpiresAt,
            long heartbeatIntervalSeconds, UUID experimentId, long seed, int level, ExperimentSpec spec,
            JobInputs inputs) {
        this(jobId, fencingToken, kind, attempt, leaseExpiresAt, heartbeatIntervalSeconds, experimentId, seed, level,
                spec, inputs, null);
    }
}
