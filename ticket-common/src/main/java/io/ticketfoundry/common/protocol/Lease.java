package io.ticketfoundry.common.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.ticketfoundry.common.spec.ExperimentSpec;
import java.time.Instant;
import java.util.UUID;

/**
 * A job handed to one worker until {@code leaseExpiresAt} (extended by heartbeats).
 * {@code spec} is the experiment's spec with every default filled in. For an IMP level
 * {@code level > 0}, {@code inputs} names the parent ticket's artifacts to start from.
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
        JobInputs inputs) {

    public static final String KIND_IMP_LEVEL = "imp-level";
}
