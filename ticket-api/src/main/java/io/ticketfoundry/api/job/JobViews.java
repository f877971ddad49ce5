package io.ticketfoundry.api.job;

import io.ticketfoundry.common.protocol.JobCheckpoint;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The job API's response bodies. */
public final class JobViews {

    private JobViews() {
    }

    /**
     * One job as its team sees it. {@code progress} is the last heartbeat's; {@code ticketId} is
     * the ticket it made once it succeeded; {@code checkpoint} is the latest epoch checkpoint its
     * level recorded (a retried job resumes from it). {@code kind} is imp-level, control (with
     * {@code control} naming which), evaluate or calibrate (with their request, defaults filled, in
     * {@code params}); {@code parentTicketId} is the ticket a control, evaluate or calibrate job works on.
     */
    public record Job(UUID id, UUID experimentId, String kind, String status, long seed, int level,
            UUID parentTicketId, UUID ticketId, String pool, int attempts, int maxAttempts, boolean cancelRequested,
            Map<String, Object> progress, String lastError, String leaseOwner, Instant leaseExpiresAt,
            Instant availableAt, Instant createdAt, Instant updatedAt, Instant finishedAt, JobCheckpoint checkpoint,
            String control, Map<String, Object> params) {
    }

    public record JobPage(List<Job> items, int page, int size, long total) {
    }
}
