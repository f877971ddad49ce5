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
     * level recorded (a retried job resumes from it).
     */
    public record Job(UUID id, UUID experimentId, String kind, String status, long seed, int level,
            UUID parentTicketId, UUID ticketId, String pool, int attempts, int maxAttempts, boolean cancelRequested,
            Map<String, Object> progress, String lastError, String leaseOwner, Instant leaseExpiresAt,
            Instant availableAt, Instant createdAt, Instant updatedAt, Instant finishedAt, JobCheckpoint checkpoint) {
    }

    public record JobPage(List<Job> items, int page, int size, long total) {
    }
}
