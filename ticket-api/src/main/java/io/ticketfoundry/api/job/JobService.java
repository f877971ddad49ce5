package io.ticketfoundry.api.job;

import io.ticketfoundry.api.sharing.ExperimentAccess;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.web.ApiException;
import io.ticketfoundry.common.protocol.JobCheckpoint;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Jobs as a team reads and cancels them. */
@Service
public class JobService {

    public static final Set<String> STATUSES = Set.of("queued", "leased", "succeeded", "failed", "cancelled");
    public static final int MAX_PAGE_SIZE = 200;

    private static final TypeReference<Map<String, Object>> OBJECT_MAP = new TypeReference<>() {
    };
    private static final String SELECT = """
            SELECT j.*, j.progress::text AS progress_json, j.params::text AS params_json, e.team_id, t.id AS ticket_id,
                   c.sha256 AS checkpoint_sha256, c.epoch AS checkpoint_epoch, c.step AS checkpoint_step,
                   c.recorded_at AS checkpoint_recorded_at
            FROM job j
            JOIN experiment e ON e.id = j.experiment_id
            LEFT JOIN ticket t ON t.job_id = j.id AND t.kind <> 'snapshot'
            LEFT JOIN job_checkpoint c ON c.job_id = j.id
            """;

    private final JdbcClient jdbc;
    private final JobQueue queue;
    private final JsonMapper json;

    private final ExperimentAccess access;

    private final io.ticketfoundry.api.audit.AuditLog audit;

    public JobService(JdbcClient jdbc, JobQueue queue, JsonMapper json, ExperimentAccess access,
            io.ticketfoundry.api.audit.AuditLog audit) {
        this.audit = audit;
        this.access = access;
        this.jdbc = jdbc;
        this.queue = queue;
        this.json = json;
    }

    public JobViews.JobPage list(Caller caller, UUID experimentId, String status, int page, int size) {
        if (!caller.isUser()) {
            throw ApiException.forbidden("only team tokens read jobs");
        }
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.invalid("status", "must be one of queued, leased, succeeded, failed, cancelled");
        }
        if (page < 0) {
            throw ApiException.invalid("page", "must be 0 or more");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw ApiException.invalid("size", "must be between 1 and " + MAX_PAGE_SIZE);
        }
        // the jobs of the caller's teams, or of one experiment the caller may read (shared ones included)
        String where = "WHERE " + (experimentId == null ? "e.team_id IN (:readerTeams) AND e.deleted_at IS NULL"
                : ExperimentAccess.readable("e"))
                + """

                  AND (CAST(:experiment AS uuid) IS NULL OR j.experiment_id = :experiment)
                  AND (CAST(:status AS text) IS NULL OR j.status = :status)
                """;
        long total = jdbc.sql("SELECT count(*) FROM job j JOIN experiment e ON e.id = j.experiment_id " + where)
                .params(ExperimentAccess.parameters(caller))
                .param("experiment", experimentId)
                .param("status", status)
                .query(Long.class).single();
        List<JobViews.Job> items = jdbc.sql(SELECT + where + " ORDER BY j.created_at DESC, j.id LIMIT :limit OFFSET :offset")
                .params(ExperimentAccess.parameters(caller))
                .param("experiment", experimentId)
                .param("status", status)
                .param("limit", size)
                .param("offset", (long) page * size)
                .query(this::job)
                .list();
        return new JobViews.JobPage(items, page, size, total);
    }

    public JobViews.Job get(UUID id, Caller caller) {
        return readable(id, caller).job();
    }

    /** Queued → cancelled at once; leased → cancel requested (the worker stops after its next heartbeat); ended → 409. */
    @Transactional
    public JobViews.Job cancel(UUID id, Caller caller) {
        UUID team = readable(id, caller).teamId();
        caller.requireWriter(team);
        queue.cancel(id);
        audit.record(caller, team, "job.cancelled", "job", id, java.util.Map.of());
        return readable(id, caller).job();
    }

    /**
     * Runs a failed or cancelled job again as a new job of the same kind: an IMP level (same
     * replicate, level and parent) unless that level already has a ticket or a live job; a control
     * unless that control of the ticket has one; an evaluate or calibrate job with the same request
     * unless an identical one is queued, running or done (then that job is the answer).
     */
    @Transactional
    public JobViews.Job retry(UUID id, Caller caller) {
        Owned owned = readable(id, caller);
        caller.requireWriter(owned.teamId());
        audit.record(caller, owned.teamId(), "job.retried", "job", id, java.util.Map.of());
        JobViews.Job job = owned.job();
        if (!job.status().equals("failed") && !job.status().equals("cancelled")) {
            throw ApiException.conflict("job " + id + " is " + job.status() + "; only failed or cancelled jobs can be retried");
        }
        if (JobQueue.KIND_EVALUATE.equals(job.kind()) || JobQueue.KIND_CALIBRATE.equals(job.kind())) {
            String params = json.writeValueAsString(job.params());
            String requestHash = jdbc.sql("SELECT request_hash FROM job WHERE id = :id").param("id", id)
                    .query(String.class).single();
            JobQueue.Enqueued again = queue.enqueueTicketJob(job.experimentId(), job.seed(), job.level(),
                    job.parentTicketId(), job.kind(), params, requestHash, job.pool());
            return readable(again.jobId(), caller).job();
        }
        // lock the experiment so two retries of the same level cannot both pass the check below
        jdbc.sql("SELECT id FROM experiment WHERE id = :id FOR UPDATE").param("id", job.experimentId()).query(UUID.class).single();
        long busy = jdbc.sql("""
                SELECT count(*) FROM job
                WHERE experiment_id = :experiment AND seed = :seed AND level = :level AND kind = :kind
                  AND control IS NOT DISTINCT FROM CAST(:control AS text)
                  AND status IN ('queued', 'leased', 'succeeded')""")
                .param("experiment", job.experimentId()).param("seed", job.seed()).param("level", job.level())
                .param("kind", job.kind()).param("control", job.control())
                .query(Long.class).single();
        if (busy > 0) {
            throw ApiException.conflict((job.control() == null ? "level " + job.level()
                    : "control " + job.control() + " of level " + job.level()) + " of seed " + job.seed()
                    + " already has a queued, running or finished job");
        }
        if (JobQueue.KIND_TRANSFER.equals(job.kind()) || JobQueue.KIND_TRANSFER_RANDOM.equals(job.kind())) {
            Optional<UUID> mask = queue.sourceMask(job.id());
            UUID again = mask.isPresent()
                    ? queue.enqueueMaskTransfer(job.experimentId(), job.seed(), mask.get(), job.kind(), job.pool())
                    : queue.enqueueTransfer(job.experimentId(), job.seed(), job.level(), job.parentTicketId(), job.kind(),
                            job.pool());
            return readable(again, caller).job();
        }
        UUID retried = JobQueue.KIND_CONTROL.equals(job.kind())
                ? queue.enqueueControl(job.experimentId(), job.seed(), job.level(), job.parentTicketId(), job.control(),
                        job.pool())
                : queue.enqueueImpLevel(job.experimentId(), job.seed(), job.level(), job.parentTicketId(), job.pool());
        return readable(retried, caller).job();
    }

    private record Owned(JobViews.Job job, UUID teamId) {
    }

    private Owned readable(UUID id, Caller caller) {
        Owned owned = jdbc.sql(SELECT + " WHERE j.id = :id")
                .param("id", id)
                .query((rs, n) -> new Owned(job(rs, n), rs.getObject("team_id", UUID.class)))
                .optional()
                .orElseThrow(() -> ApiException.notFound("job " + id));
        access.requireReadable(owned.job().experimentId(), caller, "job " + id);
        return owned;
    }

    private JobViews.Job job(ResultSet rs, int n) throws SQLException {
        String progress = rs.getString("progress_json");
        return new JobViews.Job(
                rs.getObject("id", UUID.class),
                rs.getObject("experiment_id", UUID.class),
                rs.getString("kind"),
                rs.getString("status"),
                rs.getLong("seed"),
                rs.getInt("level"),
                rs.getObject("parent_ticket_id", UUID.class),
                rs.getObject("ticket_id", UUID.class),
                rs.getString("pool"),
                rs.getInt("attempts"),
                rs.getInt("max_attempts"),
                rs.getBoolean("cancel_requested"),
                progress == null ? null : json.readValue(progress, OBJECT_MAP),
                rs.getString("last_error"),
                rs.getString("lease_owner"),
                JobQueue.instant(rs, "lease_expires_at"),
                JobQueue.instant(rs, "available_at"),
                JobQueue.instant(rs, "created_at"),
                JobQueue.instant(rs, "updated_at"),
                JobQueue.instant(rs, "finished_at"),
                rs.getString("checkpoint_sha256") == null ? null : new JobCheckpoint(rs.getString("checkpoint_sha256"),
                        rs.getInt("checkpoint_epoch"), rs.getLong("checkpoint_step"),
                        JobQueue.instant(rs, "checkpoint_recorded_at")),
                rs.getString("control"),
                rs.getString("params_json") == null ? null : json.readValue(rs.getString("params_json"), OBJECT_MAP));
    }
}
