package io.ticketfoundry.common.protocol;

import io.ticketfoundry.common.dataset.DatasetRef;
import io.ticketfoundry.common.spec.ExperimentSpec;
import java.time.Instant;
import java.util.UUID;

/**
 * A job handed to one worker until {@code leaseExpiresAt} (extended by heartbeats).
 * {@code spec} is the experiment's spec with every default filled in. For an IMP level
 * {@code level > 0}, {@code inputs} names the parent ticket's artifacts to start from.
 * {@code dataset} says how to build the spec's dataset (a base name, a derived recipe or an
 * upload's files); an older API leaves it out and the spec's dataset is then a base name.
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
        DatasetRef dataset) {

    public static final String KIND_IMP_LEVEL = "imp-level";

    /** The lease as an API without dataset references sent it. */
    public Lease(UUID jobId, long fencingToken, String kind, int attempt, Instant leaseExpiresAt,
            long heartbeatIntervalSeconds, UUID experimentId, long seed, int level, ExperimentSpec spec,
            JobInputs inputs) {
        this(jobId, fencingToken, kind, attempt, leaseExpiresAt, heartbeatIntervalSeconds, experimentId, seed, level,
                spec, inputs, null);
    }
}
