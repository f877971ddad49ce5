package io.ticketfoundry.api.job;

import io.ticketfoundry.api.config.FoundryProperties;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** The job queue, kept in PostgreSQL. */
@Service
public class JobQueue {

    private final JdbcClient jdbc;
    private final FoundryProperties properties;

    public JobQueue(JdbcClient jdbc, FoundryProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /**
     * Queues one IMP level of one replicate. Level 0 trains the dense network; level L prunes the
     * trained weights of {@code parentTicketId} (level L-1) and retrains from the rewind point.
     * Joins the caller's transaction.
     */
    public UUID enqueueImpLevel(UUID experimentId, long seed, int level, UUID parentTicketId) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO job (id, experiment_id, kind, seed, level, parent_ticket_id, status, max_attempts)
                VALUES (:id, :experiment, 'imp-level', :seed, :level, :parent, 'queued', :maxAttempts)""")
                .param("id", id)
                .param("experiment", experimentId)
                .param("seed", seed)
                .param("level", level)
                .param("parent", parentTicketId)
                .param("maxAttempts", properties.queue().maxAttempts())
                .update();
        return id;
    }
}
