package io.ticketfoundry.api.job;

import io.ticketfoundry.api.config.FoundryProperties;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.web.ApiException;
import io.ticketfoundry.common.protocol.JobCheckpoint;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The job queue, kept in PostgreSQL. Every time comparison uses the database clock ({@code now()}),
 * never the JVM's, so any number of API instances agree on when a lease expires.
 */
@Service
public class JobQueue {

    private static final Logger log = LoggerFactory.getLogger(JobQueue.class);

    public static final String DEFAULT_POOL = "default";
    public static final String KIND_IMP_LEVEL = "imp-level";
    public static final String KIND_CONTROL = "control";
    public static final String KIND_EVALUATE = "evaluate";
    public static final String KIND_CALIBRATE = "calibrate";
    public static final String TICKET_KIND_CALIBRATED = "calibrated";
    public static final String KIND_TRANSFER = "transfer";
    public static final String KIND_TRANSFER_RANDOM = "transfer-random";

    /** A job as a lease hands it out. */
    public record LeasedJob(UUID id, UUID experimentId, String kind, long seed, int level, UUID parentTicketId,
            int attempts, long fencingToken, Instant leaseExpiresAt, String control, String paramsJson) {
    }

    /** A job locked for the rest of the transaction by a worker that holds its current lease. */
    public record HeldJob(UUID id, UUID experimentId, String kind, long seed, int level, UUID parentTicketId,
            String pool, int attempts, int maxAttempts, long fencingToken, String leaseOwner, boolean cancelRequested,
            String control) {

        /** A held job without a control (IMP levels). */
        public HeldJob(UUID id, UUID experimentId, String kind, long seed, int level, UUID parentTicketId, String pool,
                int attempts, int maxAttempts, long fencingToken, String leaseOwner, boolean cancelRequested) {
            this(id, experimentId, kind, seed, level, parentTicketId, pool, attempts, maxAttempts, fencingToken,
                    leaseOwner, cancelRequested, null);
        }

        /** The kind of ticket this job records: imp, control-&lt;control&gt;, calibrated, transfer or transfer-random. */
        public String ticketKind() {
            if (KIND_CALIBRATE.equals(kind)) {
                return TICKET_KIND_CALIBRATED;
            }
            if (KIND_TRANSFER.equals(kind) || KIND_TRANSFER_RANDOM.equals(kind)) {
                return kind;
            }
            return control == null ? "imp" : "control-" + control;
        }
    }

    /** How {@link #fail} left a job: its status and, when queued again, when it becomes available. */
    public record FailOutcome(String status, Instant availableAt, String lastError) {
    }

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
        return enqueueImpLevel(experimentId, seed, level, parentTicketId, DEFAULT_POOL);
    }

    /** As {@link #enqueueImpLevel(UUID, long, int, UUID)}, for workers of {@code pool}. */
    public UUID enqueueImpLevel(UUID experimentId, long seed, int level, UUID parentTicketId, String pool) {
        requireFiles(parentTicketId);
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO job (id, experiment_id, kind, seed, level, parent_ticket_id, pool, status, max_attempts)
                VALUES (:id, :experiment, 'imp-level', :seed, :level, :parent, :pool, 'queued', :maxAttempts)""")
                .param("id", id)
                .param("experiment", experimentId)
                .param("seed", seed)
                .param("level", level)
                .param("parent", parentTicketId)
                .param("pool", pool)
                .param("maxAttempts", properties.queue().maxAttempts())
                .update();
        recordInputs(id, parentTicketId);
        return id;
    }

    /**
     * Queues the job that trains {@code control} (reinit, layer-permuted, global-permuted) of the
     * IMP ticket {@code ticketId} (level {@code level} of replicate {@code seed}); the ticket's
     * files are its inputs. Joins the caller's transaction.
     */
    public UUID enqueueControl(UUID experimentId, long seed, int level, UUID ticketId, String control, String pool) {
        requireFiles(ticketId);
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO job (id, experiment_id, kind, seed, level, parent_ticket_id, pool, status, max_attempts, control)
                VALUES (:id, :experiment, 'control', :seed, :level, :parent, :pool, 'queued', :maxAttempts, :control)""")
                .param("id", id)
                .param("experiment", experimentId)
                .param("seed", seed)
                .param("level", level)
                .param("parent", ticketId)
                .param("pool", pool)
                .param("maxAttempts", properties.queue().maxAttempts())
                .param("control", control)
                .update();
        recordInputs(id, ticketId);
        return id;
    }

    /**
     * Queues the retraining of source ticket {@code sourceTicketId} in transfer experiment
     * {@code experimentId} ({@code kind} transfer or transfer-random), at the source's seed and
     * level; the source's files are the job's inputs. Joins the caller's transaction.
     */
    public UUID enqueueTransfer(UUID experimentId, long seed, int level, UUID sourceTicketId, String kind, String pool) {
        requireFiles(sourceTicketId);
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO job (id, experiment_id, kind, seed, level, parent_ticket_id, pool, status, max_attempts)
                VALUES (:id, :experiment, :kind, :seed, :level, :parent, :pool, 'queued', :maxAttempts)""")
                .param("id", id)
                .param("experiment", experimentId)
                .param("kind", kind)
                .param("seed", seed)
                .param("level", level)
                .param("parent", sourceTicketId)
                .param("pool", pool)
                .param("maxAttempts", properties.queue().maxAttempts())
                .update();
        recordInputs(id, sourceTicketId);
        return id;
    }

    /**
     * Queues the retraining of uploaded mask {@code maskId} (and the weights uploaded with it) in
     * transfer experiment {@code experimentId} at level 0 of replicate {@code seed} ({@code kind}
     * transfer or transfer-random); the mask's files are the job's inputs. Joins the caller's transaction.
     */
    public UUID enqueueMaskTransfer(UUID experimentId, long seed, UUID maskId, String kind, String pool) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO job (id, experiment_id, kind, seed, level, source_mask_id, pool, status, max_attempts)
                VALUES (:id, :experiment, :kind, :seed, 0, :mask, :pool, 'queued', :maxAttempts)""")
                .param("id", id)
                .param("experiment", experimentId)
                .param("kind", kind)
                .param("seed", seed)
                .param("mask", maskId)
                .param("pool", pool)
                .param("maxAttempts", properties.queue().maxAttempts())
                .update();
        jdbc.sql("""
                INSERT INTO job_artifact (job_id, sha256, role)
                SELECT :job, sha, 'input'
                FROM uploaded_mask m, unnest(ARRAY[m.mask_sha256, m.weights_sha256]) AS sha
                WHERE m.id = :mask AND sha IS NOT NULL
                ON CONFLICT DO NOTHING""")
                .param("job", id)
                .param("mask", maskId)
                .update();
        return id;
    }

    /** The uploaded mask a transfer job retrains, if it retrains one. */
    public Optional<UUID> sourceMask(UUID jobId) {
        return jdbc.sql("SELECT source_mask_id FROM job WHERE id = :id AND source_mask_id IS NOT NULL")
                .param("id", jobId).query(UUID.class).optional();
    }

    /** A ticket job as {@link #enqueueTicketJob} left it: the job, and whether this call created it. */
    public record Enqueued(UUID jobId, boolean created) {
    }

    /**
     * Queues an evaluate or calibrate job of {@code ticketId} with its params (defaults filled in),
     * unless a queued, running or succeeded job of the same kind and request already exists for
     * the ticket: then that job is the answer. The ticket's files are the job's inputs.
     */
    public Enqueued enqueueTicketJob(UUID experimentId, long seed, int level, UUID ticketId, String kind,
            String paramsJson, String requestHash, String pool) {
        requireFiles(ticketId);
        // the live job that blocked the insert may end between the two statements: then insert again
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<UUID> inserted = jdbc.sql("""
                    INSERT INTO job (id, experiment_id, kind, seed, level, parent_ticket_id, pool, status, max_attempts,
                                     params, request_hash)
                    VALUES (:id, :experiment, :kind, :seed, :level, :parent, :pool, 'queued', :maxAttempts,
                            CAST(:params AS jsonb), :hash)
                    ON CONFLICT (parent_ticket_id, kind, request_hash)
                        WHERE request_hash IS NOT NULL AND status IN ('queued', 'leased', 'succeeded')
                        DO NOTHING
                    RETURNING id""")
                    .param("id", UUID.randomUUID())
                    .param("experiment", experimentId)
                    .param("kind", kind)
                    .param("seed", seed)
                    .param("level", level)
                    .param("parent", ticketId)
                    .param("pool", pool)
                    .param("maxAttempts", properties.queue().maxAttempts())
                    .param("params", paramsJson)
                    .param("hash", requestHash)
                    .query(UUID.class)
                    .optional();
            if (inserted.isPresent()) {
                recordInputs(inserted.get(), ticketId);
                return new Enqueued(inserted.get(), true);
            }
            Optional<UUID> existing = jdbc.sql("""
                    SELECT id FROM job WHERE parent_ticket_id = :parent AND kind = :kind AND request_hash = :hash
                                         AND status IN ('queued', 'leased', 'succeeded')""")
                    .param("parent", ticketId).param("kind", kind).param("hash", requestHash)
                    .query(UUID.class).optional();
            if (existing.isPresent()) {
                return new Enqueued(existing.get(), false);
            }
        }
        throw ApiException.conflict("a concurrent request for the same " + kind + " job of ticket " + ticketId
                + " kept changing it; try again");
    }

    /**
     * A job starts from a ticket's files: a tombstone (a ticket of a deleted experiment that other
     * experiments' lineage still names) has none, so nothing may start from it (410).
     */
    private void requireFiles(UUID ticketId) {
        if (ticketId != null && jdbc.sql("SELECT mask_sha256 IS NULL FROM ticket WHERE id = :id").param("id", ticketId)
                .query(Boolean.class).optional().orElse(false)) {
            throw ApiException.gone("ticket " + ticketId + " is a tombstone: its experiment was deleted and its files "
                    + "with it");
        }
    }

    /**
     * Records a ticket's mask, trained weights and rewind point as inputs the job may download: the
     * parent ticket's, and an evaluate job's reference ticket's (none of a tombstone's: it has no files).
     */
    public void recordInputs(UUID jobId, UUID parentTicketId) {
        if (parentTicketId == null) {
            return;
        }
        jdbc.sql("""
                INSERT INTO job_artifact (job_id, sha256, role)
                SELECT :job, sha, 'input'
                FROM ticket t, unnest(ARRAY[t.mask_sha256, t.trained_sha256, t.rewind_sha256]) AS sha
                WHERE t.id = :parent AND sha IS NOT NULL
                ON CONFLICT DO NOTHING""")
                .param("job", jobId)
                .param("parent", parentTicketId)
                .update();
    }

    /**
     * Leases a job of {@code pool} after requeueing expired leases: fair share across teams first
     * (the team with the fewest running jobs per unit of {@code share_weight}, skipping teams at
     * their {@code max_running_jobs}), then the oldest available job of that team. Leases of one pool
     * are serialised by an advisory lock (held to the end of the caller's transaction) so the counts
     * hold; {@code FOR UPDATE SKIP LOCKED} keeps any other path from taking the same job.
     */
    public Optional<LeasedJob> lease(String pool, String workerId, UUID tokenId) {
        sweepExpired();
        // leases of a pool one at a time, so the running counts the fair share and the quotas read are exact
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('lease:' || :pool))").param("pool", pool).query(Object.class).list();
        Optional<LeasedJob> leased = jdbc.sql("""
                UPDATE job SET status = 'leased',
                               attempts = attempts + 1,
                               lease_owner = :worker,
                               leased_by_token = :token,
                               fencing_token = nextval('fencing_token_seq'),
                               lease_expires_at = now() + :leaseMillis * interval '1 millisecond',
                               progress = NULL,
                               updated_at = now()
                WHERE id IN (SELECT j.id FROM job j
                             JOIN experiment e ON e.id = j.experiment_id
                             JOIN team t ON t.id = e.team_id
                             LEFT JOIN (SELECT le.team_id, count(*) AS running
                                        FROM job lj JOIN experiment le ON le.id = lj.experiment_id
                                        WHERE lj.status = 'leased' GROUP BY le.team_id) r ON r.team_id = e.team_id
                             WHERE j.status = 'queued' AND j.pool = :pool AND j.available_at <= now()
                               AND (t.max_running_jobs IS NULL OR coalesce(r.running, 0) < t.max_running_jobs)
                             ORDER BY coalesce(r.running, 0)::float8 / t.share_weight, j.available_at, j.created_at
                             LIMIT 1
                             FOR UPDATE OF j SKIP LOCKED)
                RETURNING id, experiment_id, kind, seed, level, parent_ticket_id, attempts, fencing_token, lease_expires_at,
                          control, params::text AS params""")
                .param("worker", workerId)
                .param("token", tokenId)
                .param("leaseMillis", properties.queue().leaseDuration().toMillis())
                .param("pool", pool)
                .query((rs, n) -> new LeasedJob(
                        rs.getObject("id", UUID.class),
                        rs.getObject("experiment_id", UUID.class),
                        rs.getString("kind"),
                        rs.getLong("seed"),
                        rs.getInt("level"),
                        rs.getObject("parent_ticket_id", UUID.class),
                        rs.getInt("attempts"),
                        rs.getLong("fencing_token"),
                        instant(rs, "lease_expires_at"),
                        rs.getString("control"),
                        rs.getString("params")))
                .optional();
        leased.ifPresent(job -> recordInputs(job.id(), job.parentTicketId()));
        return leased;
    }

    /**
     * Ends every expired lease: a job with a cancel request becomes cancelled, one with attempts
     * left is queued again after an exponential backoff (base × 2^(attempts−1)), the rest fail.
     */
    public int sweepExpired() {
        int swept = jdbc.sql("""
                UPDATE job SET
                    status = CASE WHEN cancel_requested THEN 'cancelled'
                                  WHEN attempts >= max_attempts THEN 'failed'
                                  ELSE 'queued' END,
                    available_at = CASE WHEN cancel_requested OR attempts >= max_attempts THEN available_at
                                        ELSE now() + :backoffMillis * power(2, LEAST(GREATEST(attempts - 1, 0), 20))
                                                     * interval '1 millisecond' END,
                    last_error = CASE WHEN cancel_requested THEN 'cancelled: the lease expired after a cancel request'
                                      WHEN attempts >= max_attempts
                                          THEN 'attempts exhausted (' || attempts || ' of ' || max_attempts
                                               || '): the lease of ' || coalesce(lease_owner, 'a worker') || ' expired'
                                      ELSE 'the lease of ' || coalesce(lease_owner, 'a worker') || ' expired (attempt '
                                           || attempts || ' of ' || max_attempts || ')' END,
                    finished_at = CASE WHEN cancel_requested OR attempts >= max_attempts THEN now() ELSE NULL END,
                    lease_owner = NULL,
                    leased_by_token = NULL,
                    lease_expires_at = NULL,
                    updated_at = now()
                WHERE id IN (SELECT id FROM job WHERE status = 'leased' AND lease_expires_at < now()
                             FOR UPDATE SKIP LOCKED)""")
                .param("backoffMillis", properties.queue().retryBackoff().toMillis())
                .update();
        if (swept > 0) {
            log.info("Ended {} expired job lease(s)", swept);
        }
        return swept;
    }

    /**
     * Locks {@code jobId} for the rest of the transaction after checking that {@code caller} holds
     * its current lease with {@code fencingToken}: 404 when the job does not exist in the caller's
     * pool, 409 when the lease is over or belongs to someone else.
     */
    public HeldJob holdLease(UUID jobId, Caller caller, long fencingToken) {
        record Row(HeldJob job, String status, UUID leasedBy, boolean expired) {
        }
        Row row = jdbc.sql("""
                SELECT id, experiment_id, kind, seed, level, parent_ticket_id, pool, attempts, max_attempts,
                       fencing_token, lease_owner, cancel_requested, status, leased_by_token, control,
                       lease_expires_at <= now() AS expired
                FROM job WHERE id = :id FOR UPDATE""")
                .param("id", jobId)
                .query((rs, n) -> new Row(new HeldJob(
                        rs.getObject("id", UUID.class),
                        rs.getObject("experiment_id", UUID.class),
                        rs.getString("kind"),
                        rs.getLong("seed"),
                        rs.getInt("level"),
                        rs.getObject("parent_ticket_id", UUID.class),
                        rs.getString("pool"),
                        rs.getInt("attempts"),
                        rs.getInt("max_attempts"),
                        rs.getLong("fencing_token"),
                        rs.getString("lease_owner"),
                        rs.getBoolean("cancel_requested"),
                        rs.getString("control")),
                        rs.getString("status"),
                        rs.getObject("leased_by_token", UUID.class),
                        rs.getBoolean("expired")))
                .optional()
                .orElseThrow(() -> ApiException.notFound("job " + jobId));
        if (!row.job().pool().equals(caller.workerPool())) {
            throw ApiException.notFound("job " + jobId);
        }
        if (!"leased".equals(row.status())) {
            throw ApiException.conflict("job " + jobId + " is " + row.status() + ", not leased: the lease is over");
        }
        if (row.job().fencingToken() != fencingToken || !caller.tokenId().equals(row.leasedBy())) {
            throw ApiException.conflict("fencing token " + fencingToken + " is not the current lease of job " + jobId);
        }
        if (row.expired()) {
            // expired by database time: the next sweep hands the job on, so nothing may extend or finish it
            throw ApiException.conflict("the lease of job " + jobId + " expired");
        }
        return row.job();
    }

    /** Extends a held lease, stores the progress and answers whether a cancel was requested. */
    public Instant extendLease(UUID jobId, String progressJson) {
        return jdbc.sql("""
                UPDATE job SET lease_expires_at = now() + :leaseMillis * interval '1 millisecond',
                               progress = CAST(:progress AS jsonb),
                               updated_at = now()
                WHERE id = :id RETURNING lease_expires_at""")
                .param("leaseMillis", properties.queue().leaseDuration().toMillis())
                .param("progress", progressJson)
                .param("id", jobId)
                .query((rs, n) -> instant(rs, "lease_expires_at"))
                .single();
    }

    public void markSucceeded(UUID jobId) {
        jdbc.sql("""
                UPDATE job SET status = 'succeeded', lease_expires_at = NULL, finished_at = now(), updated_at = now()
                WHERE id = :id""")
                .param("id", jobId)
                .update();
    }

    /**
     * Ends a held lease that did not succeed: {@code cancelled} → cancelled, not {@code retryable}
     * → failed, otherwise queued again with backoff unless the attempts are used up.
     */
    public FailOutcome fail(HeldJob job, String error, boolean retryable, boolean cancelled) {
        String message = error == null || error.isBlank() ? "no error message" : error;
        String status;
        String lastError;
        if (cancelled || job.cancelRequested()) {
            // a failure that arrives after a cancel request ends the job as cancelled, never requeued
            status = "cancelled";
            lastError = "cancelled: " + message;
        } else if (!retryable) {
            status = "failed";
            lastError = message;
        } else if (job.attempts() >= job.maxAttempts()) {
            status = "failed";
            lastError = "attempts exhausted (" + job.attempts() + " of " + job.maxAttempts() + "): " + message;
        } else {
            status = "queued";
            lastError = message;
        }
        return jdbc.sql("""
                UPDATE job SET status = :status,
                               last_error = :error,
                               available_at = CASE WHEN :status = 'queued'
                                   THEN now() + :backoffMillis * power(2, LEAST(GREATEST(attempts - 1, 0), 20))
                                                * interval '1 millisecond'
                                   ELSE available_at END,
                               finished_at = CASE WHEN :status = 'queued' THEN NULL ELSE now() END,
                               lease_owner = CASE WHEN :status = 'queued' THEN NULL ELSE lease_owner END,
                               leased_by_token = CASE WHEN :status = 'queued' THEN NULL ELSE leased_by_token END,
                               lease_expires_at = NULL,
                               updated_at = now()
                WHERE id = :id
                RETURNING status, available_at, last_error""")
                .param("status", status)
                .param("error", lastError)
                .param("backoffMillis", properties.queue().retryBackoff().toMillis())
                .param("id", job.id())
                .query((rs, n) -> new FailOutcome(rs.getString("status"),
                        "queued".equals(rs.getString("status")) ? instant(rs, "available_at") : null,
                        rs.getString("last_error")))
                .single();
    }

    /** Gives a held lease back: queued again at once, the attempt not counted (a cancel request still wins). */
    public String release(HeldJob job, String reason) {
        if (job.cancelRequested()) {
            return fail(job, reason, false, true).status();
        }
        jdbc.sql("""
                UPDATE job SET status = 'queued', attempts = GREATEST(attempts - 1, 0), available_at = now(),
                               last_error = :reason, lease_owner = NULL, leased_by_token = NULL,
                               lease_expires_at = NULL, updated_at = now()
                WHERE id = :id""")
                .param("reason", "released by " + job.leaseOwner() + ": " + (reason == null ? "no reason given" : reason))
                .param("id", job.id())
                .update();
        return "queued";
    }

    /**
     * A user's cancel: a queued job is cancelled at once, a leased one is asked to stop (its worker
     * learns it from the next heartbeat). Returns the job's status afterwards; 409 when it already ended.
     */
    public String cancel(UUID jobId) {
        String status = jdbc.sql("SELECT status FROM job WHERE id = :id FOR UPDATE")
                .param("id", jobId).query(String.class).single();
        switch (status) {
            case "queued" -> jdbc.sql("""
                    UPDATE job SET status = 'cancelled', cancel_requested = true, last_error = 'cancelled before it ran',
                                   finished_at = now(), updated_at = now()
                    WHERE id = :id""").param("id", jobId).update();
            case "leased" -> jdbc.sql("""
                    UPDATE job SET cancel_requested = true, updated_at = now() WHERE id = :id""")
                    .param("id", jobId).update();
            default -> throw ApiException.conflict("job " + jobId + " already ended as " + status);
        }
        return jdbc.sql("SELECT status FROM job WHERE id = :id").param("id", jobId).query(String.class).single();
    }

    /** Keeps {@code sha256} as the job's checkpoint unless one of a later step is recorded; returns the latest. */
    public JobCheckpoint recordCheckpoint(UUID jobId, String sha256, int epoch, long step, long fencingToken) {
        jdbc.sql("""
                INSERT INTO job_checkpoint (job_id, sha256, epoch, step, fencing_token)
                VALUES (:job, :sha, :epoch, :step, :token)
                ON CONFLICT (job_id) DO UPDATE SET sha256 = EXCLUDED.sha256, epoch = EXCLUDED.epoch,
                        step = EXCLUDED.step, fencing_token = EXCLUDED.fencing_token, recorded_at = now()
                    WHERE job_checkpoint.step <= EXCLUDED.step""")
                .param("job", jobId)
                .param("sha", sha256)
                .param("epoch", epoch)
                .param("step", step)
                .param("token", fencingToken)
                .update();
        return latestCheckpoint(jobId).orElseThrow();
    }

    public Optional<JobCheckpoint> latestCheckpoint(UUID jobId) {
        return jdbc.sql("SELECT sha256, epoch, step, recorded_at FROM job_checkpoint WHERE job_id = :job")
                .param("job", jobId)
                .query((rs, n) -> new JobCheckpoint(rs.getString("sha256"), rs.getInt("epoch"), rs.getLong("step"),
                        instant(rs, "recorded_at")))
                .optional();
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
