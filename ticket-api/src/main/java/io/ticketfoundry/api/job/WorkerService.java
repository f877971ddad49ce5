package io.ticketfoundry.api.job;

import io.ticketfoundry.api.artifact.ArtifactService;
import io.ticketfoundry.api.artifact.ArtifactStore;
import io.ticketfoundry.api.artifact.Sha256;
import io.ticketfoundry.api.config.FoundryProperties;
import io.ticketfoundry.api.dataset.DatasetService;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.team.TokenKind;
import io.ticketfoundry.api.ticket.TicketService;
import io.ticketfoundry.api.web.ApiException;
import io.ticketfoundry.common.dataset.DatasetRef;
import io.ticketfoundry.common.protocol.ArtifactReceipt;
import io.ticketfoundry.common.protocol.CalibrateParams;
import io.ticketfoundry.common.protocol.EvaluateParams;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import io.ticketfoundry.common.protocol.CheckpointRequest;
import io.ticketfoundry.common.protocol.JobCheckpoint;
import io.ticketfoundry.common.protocol.CompleteRequest;
import io.ticketfoundry.common.protocol.FailRequest;
import io.ticketfoundry.common.protocol.ReleaseRequest;
import io.ticketfoundry.common.protocol.Heartbeat;
import io.ticketfoundry.common.protocol.HeartbeatResponse;
import io.ticketfoundry.common.protocol.JobInputs;
import io.ticketfoundry.common.protocol.Lease;
import io.ticketfoundry.common.protocol.LeaseRequest;
import io.ticketfoundry.common.protocol.SnapshotReport;
import io.ticketfoundry.common.protocol.TicketReport;
import io.ticketfoundry.common.spec.ExperimentSpec;
import io.ticketfoundry.common.spec.PruningSpec;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.core.io.Resource;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker side of the queue: lease, heartbeat, artifacts, complete, fail. Every call after the
 * lease checks the fencing token under a row lock, so a worker that lost its lease changes nothing.
 */
@Service
public class WorkerService {

    /** What a completion made: the ticket and, unless it was the last level, the next level's job. */
    public record JobCompleted(UUID jobId, UUID ticketId, UUID nextJobId) {
    }

    /** How a failure left the job; {@code availableAt} is set when it was queued again. */
    public record JobFailed(UUID jobId, String status, Instant availableAt, String lastError) {
    }

    private static final int MAX_WORKER_ID_LENGTH = 200;

    private final JobQueue queue;
    private final TicketService tickets;
    private final ArtifactService artifacts;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final FoundryProperties properties;
    private final TransactionTemplate transaction;
    private final DatasetService datasets;

    public WorkerService(JobQueue queue, TicketService tickets, ArtifactService artifacts, JdbcClient jdbc,
            JsonMapper json, FoundryProperties properties, TransactionTemplate transaction, DatasetService datasets) {
        this.datasets = datasets;
        this.queue = queue;
        this.tickets = tickets;
        this.artifacts = artifacts;
        this.jdbc = jdbc;
        this.json = json;
        this.properties = properties;
        this.transaction = transaction;
    }

    public static Caller requireWorker() {
        Caller caller = Caller.current();
        if (caller.kind() != TokenKind.WORKER || caller.workerPool() == null) {
            throw ApiException.forbidden("only worker tokens may use the worker API");
        }
        return caller;
    }

    public Optional<Lease> lease(Caller caller, LeaseRequest request) {
        String workerId = request == null ? null : request.workerId();
        if (workerId == null || workerId.isBlank()) {
            throw ApiException.invalid("workerId", "is required");
        }
        if (workerId.length() > MAX_WORKER_ID_LENGTH) {
            throw ApiException.invalid("workerId", "must have at most " + MAX_WORKER_ID_LENGTH + " characters");
        }
        // one transaction: a lease whose spec or inputs cannot be read is not left held by nobody
        return transaction.execute(status -> queue.lease(caller.workerPool(), workerId, caller.tokenId()).map(job -> {
            String resolved = jdbc.sql("SELECT resolved_spec::text FROM experiment WHERE id = :id")
                    .param("id", job.experimentId()).query(String.class).single();
            ExperimentSpec spec = json.readValue(resolved, ExperimentSpec.class).withDefaults();
            JobInputs inputs = job.parentTicketId() != null ? ticketInputs(job.parentTicketId())
                    : queue.sourceMask(job.id()).map(this::maskInputs).orElse(null);
            DatasetRef dataset = datasets.refForJob(job.experimentId(), spec.dataset(), job.id());
            EvaluateParams evaluate = JobQueue.KIND_EVALUATE.equals(job.kind())
                    ? json.readValue(job.paramsJson(), EvaluateParams.class) : null;
            CalibrateParams calibrate = JobQueue.KIND_CALIBRATE.equals(job.kind())
                    ? json.readValue(job.paramsJson(), CalibrateParams.class) : null;
            // the datasets the params name besides the spec's own
            Set<String> named = new LinkedHashSet<>();
            JobInputs reference = null;
            if (evaluate != null) {
                named.add(evaluate.data().dataset());
                if (evaluate.ood() != null && evaluate.ood().dataset() != null) {
                    named.add(evaluate.ood().dataset());
                }
                if (evaluate.corruptions() != null) {
                    evaluate.corruptions().forEach(set -> named.add(set.dataset()));
                }
                if (evaluate.referenceTicketId() != null) {
                    queue.recordInputs(job.id(), evaluate.referenceTicketId());
                    reference = ticketInputs(evaluate.referenceTicketId());
                }
            }
            if (calibrate != null) {
                named.add(calibrate.fit().dataset());
                named.add(calibrate.evaluate().dataset());
            }
            named.remove(spec.dataset());
            List<DatasetRef> extra = named.stream()
                    .map(id -> datasets.refForJob(job.experimentId(), id, job.id()))
                    .filter(java.util.Objects::nonNull)
                    .toList();
            long leaseSeconds = properties.queue().leaseDuration().toSeconds();
            return new Lease(job.id(), job.fencingToken(), job.kind(), job.attempts(), job.leaseExpiresAt(),
                    Math.max(1, leaseSeconds / 3), job.experimentId(), job.seed(), job.level(), spec, inputs, job.control(),
                    queue.latestCheckpoint(job.id()).orElse(null), dataset, evaluate, calibrate,
                    extra.isEmpty() ? null : extra, reference);
        }));
    }

    /**
     * An uploaded mask's files as a transfer job's inputs: the mask, and the weights uploaded with
     * it as the rewind point (null without any: the worker initialises by the spec); no ticket, no trained weights.
     */
    private JobInputs maskInputs(UUID maskId) {
        return jdbc.sql("SELECT mask_sha256, weights_sha256 FROM uploaded_mask WHERE id = :id")
                .param("id", maskId)
                .query((rs, n) -> new JobInputs(null, rs.getString("mask_sha256"), null, rs.getString("weights_sha256")))
                .single();
    }

    /** A ticket's files as a job's inputs (null when the ticket is gone). */
    private JobInputs ticketInputs(UUID ticketId) {
        return jdbc.sql("""
                SELECT id, mask_sha256, trained_sha256, rewind_sha256 FROM ticket WHERE id = :id""")
                .param("id", ticketId)
                .query((rs, n) -> new JobInputs(rs.getObject("id", UUID.class), rs.getString("mask_sha256"),
                        rs.getString("trained_sha256"), rs.getString("rewind_sha256")))
                .optional().orElse(null);
    }

    public HeartbeatResponse heartbeat(UUID jobId, Caller caller, Heartbeat heartbeat) {
        if (heartbeat == null) {
            throw ApiException.invalid("body", "is required");
        }
        return transaction.execute(status -> {
            JobQueue.HeldJob job = queue.holdLease(jobId, caller, heartbeat.fencingToken());
            String progress = heartbeat.progress() == null ? null : json.writeValueAsString(heartbeat.progress());
            Instant expires = queue.extendLease(jobId, progress);
            return new HeartbeatResponse(job.cancelRequested(), expires);
        });
    }

    /**
     * Stores an uploaded artifact of a held job. The lease is checked before the bytes are read and
     * again, under the row lock, before the artifact is recorded as the job's output.
     */
    public ArtifactReceipt upload(UUID jobId, String sha256, long fencingToken, Caller caller, InputStream content,
            long contentLength, String mediaType) {
        if (!Sha256.isValid(sha256)) {
            throw ApiException.invalid("sha256", "must be 64 lower-case hex digits");
        }
        transaction.executeWithoutResult(status -> queue.holdLease(jobId, caller, fencingToken));
        ArtifactStore.StoredObject stored = artifacts.store(content, contentLength, sha256);
        String media = mediaType == null || mediaType.isBlank() ? "application/octet-stream" : mediaType;
        try {
            transaction.executeWithoutResult(status -> {
                queue.holdLease(jobId, caller, fencingToken);
                artifacts.recordOutput(jobId, stored, media);
            });
        } catch (RuntimeException e) {
            // the lease ended (or the job went with its experiment) while the bytes arrived
            artifacts.discardIfUnrecorded(stored);
            throw e;
        }
        return new ArtifactReceipt(stored.sha256(), stored.size());
    }

    /** The bytes of one of a held job's inputs (or of its own outputs). */
    public ResponseEntity<Resource> download(UUID jobId, String sha256, long fencingToken, Caller caller) {
        Boolean usable = transaction.execute(status -> {
            queue.holdLease(jobId, caller, fencingToken);
            return jdbc.sql("SELECT count(*) FROM job_artifact WHERE job_id = :job AND sha256 = :sha")
                    .param("job", jobId).param("sha", sha256).query(Long.class).single() > 0;
        });
        if (!Boolean.TRUE.equals(usable)) {
            throw ApiException.notFound("artifact " + sha256 + " of job " + jobId);
        }
        return artifacts.download(sha256, null);
    }

    /**
     * Records an epoch checkpoint of a held job: an artifact the job uploaded, taken at
     * {@code epoch}/{@code step}. The job keeps only its latest checkpoint (by step), which the next
     * lease of the job carries.
     */
    public JobCheckpoint checkpoint(UUID jobId, Caller caller, CheckpointRequest request) {
        if (request == null) {
            throw ApiException.invalid("body", "is required");
        }
        if (!Sha256.isValid(request.sha256())) {
            throw ApiException.invalid("sha256", "must be 64 lower-case hex digits");
        }
        if (request.epoch() < 1) {
            throw ApiException.invalid("epoch", "must be 1 or more");
        }
        if (request.step() < 1) {
            throw ApiException.invalid("step", "must be 1 or more");
        }
        return transaction.execute(status -> {
            queue.holdLease(jobId, caller, request.fencingToken());
            boolean uploaded = jdbc.sql("""
                    SELECT count(*) FROM job_artifact WHERE job_id = :job AND sha256 = :sha AND role = 'output'""")
                    .param("job", jobId).param("sha", request.sha256()).query(Long.class).single() > 0;
            if (!uploaded) {
                throw ApiException.invalid("sha256", "is not an artifact this job uploaded");
            }
            return queue.recordCheckpoint(jobId, request.sha256(), request.epoch(), request.step(), request.fencingToken());
        });
    }

    /**
     * Records the ticket (and a sparse-training job's snapshots), marks the job succeeded and queues
     * the next IMP level, all in one transaction; a second completion finds the lease over (409).
     */
    public JobCompleted complete(UUID jobId, Caller caller, CompleteRequest request) {
        if (request == null) {
            throw ApiException.invalid("body", "is required");
        }
        return transaction.execute(status -> {
            JobQueue.HeldJob job = queue.holdLease(jobId, caller, request.fencingToken());
            if (JobQueue.KIND_EVALUATE.equals(job.kind())) {
                if (request.ticket() != null) {
                    throw ApiException.invalid("ticket", "an evaluate job makes no ticket; send its metrics");
                }
                if (request.metrics() == null || request.metrics().isEmpty()) {
                    throw ApiException.invalid("metrics", "an evaluate job must report its metrics");
                }
                tickets.recordMetrics(job, request.metrics());
                queue.markSucceeded(jobId);
                return new JobCompleted(jobId, null, null);
            }
            if (request.ticket() == null) {
                throw ApiException.invalid("ticket", "is required");
            }
            List<SnapshotReport> snapshots = request.snapshots() == null ? List.of() : request.snapshots();
            boolean sparseLevel = JobQueue.KIND_IMP_LEVEL.equals(job.kind())
                    && resolvedSpec(job.experimentId()).sparseTraining() != null;
            if (!snapshots.isEmpty() && !(sparseLevel && job.level() == 0)) {
                throw ApiException.invalid("snapshots", "only the level-0 job of a sparse-training experiment keeps snapshots");
            }
            String method = sparseLevel ? resolvedSpec(job.experimentId()).sparseTraining().method() : null;
            if (sparseLevel && (request.ticket().provenance() == null
                    || !method.equals(request.ticket().provenance().get("sparseMethod")))) {
                // a worker that predates sparse training would ignore the section and train a dense network
                throw ApiException.invalid("ticket.provenance.sparseMethod", "must be " + method
                        + ": this experiment trains sparsely, and the ticket does not say it did");
            }
            UUID ticketId = tickets.record(job, request.ticket(), snapshots);
            if (JobQueue.KIND_CALIBRATE.equals(job.kind())) {
                tickets.recordMetrics(job, request.metrics());
                queue.markSucceeded(jobId);
                return new JobCompleted(jobId, ticketId, null);
            }
            if (request.metrics() != null && !request.metrics().isEmpty()) {
                throw ApiException.invalid("metrics", "only evaluate and calibrate jobs report metrics of their input ticket");
            }
            queue.markSucceeded(jobId);
            UUID next = null;
            if (!job.cancelRequested() && JobQueue.KIND_IMP_LEVEL.equals(job.kind())) {
                ExperimentSpec spec = resolvedSpec(job.experimentId());
                // a sparse-training experiment makes one ticket per seed, at level 0
                if (spec.sparseTraining() == null && continues(spec.pruning(), job.level(), request.ticket())) {
                    next = queue.enqueueImpLevel(job.experimentId(), job.seed(), job.level() + 1, ticketId, job.pool());
                }
                if (job.level() >= 1) {
                    for (String control : spec.controls()) {
                        queue.enqueueControl(job.experimentId(), job.seed(), job.level(), ticketId, control, job.pool());
                    }
                }
            }
            return new JobCompleted(jobId, ticketId, next);
        });
    }

    public JobFailed fail(UUID jobId, Caller caller, FailRequest request) {
        if (request == null) {
            throw ApiException.invalid("body", "is required");
        }
        return transaction.execute(status -> {
            JobQueue.HeldJob job = queue.holdLease(jobId, caller, request.fencingToken());
            JobQueue.FailOutcome outcome = queue.fail(job, request.error(), request.retryable(), request.cancelled());
            return new JobFailed(jobId, outcome.status(), outcome.availableAt(), outcome.lastError());
        });
    }

    public JobReleased release(UUID jobId, Caller caller, ReleaseRequest request) {
        if (request == null) {
            throw ApiException.invalid("body", "is required");
        }
        return transaction.execute(status -> {
            JobQueue.HeldJob job = queue.holdLease(jobId, caller, request.fencingToken());
            return new JobReleased(jobId, queue.release(job, request.reason()));
        });
    }

    public record JobReleased(UUID jobId, String status) {
    }

    /**
     * Whether another IMP level follows the one that made {@code ticket}: with a target sparsity,
     * until the ticket's surviving prunable weights are down to
     * {@code floor((1 − target) × prunable weights)} (at most {@link #MAX_TARGET_LEVELS} levels);
     * otherwise until {@code levels}. A one-shot strategy ends with its level 1, whatever the count:
     * the method reaches its target in one step by definition (its budget may be counted over the
     * tensors it does not ignore, IMP's over every prunable tensor).
     */
    static boolean continues(PruningSpec pruning, int level, TicketReport ticket) {
        if (pruning.oneShot()) {
            return level < 1;
        }
        if (pruning.targetSparsity() == null) {
            return level < pruning.levels();
        }
        long target = java.math.BigDecimal.ONE.subtract(new java.math.BigDecimal(Double.toString(pruning.targetSparsity())))
                .multiply(java.math.BigDecimal.valueOf(ticket.prunableWeights()))
                .setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
        return ticket.remainingPrunable() > target && level < MAX_TARGET_LEVELS;
    }

    /** A safety bound on the levels of a target-sparsity run (0.8^100 is far below any target). */
    public static final int MAX_TARGET_LEVELS = 100;

    private ExperimentSpec resolvedSpec(UUID experimentId) {
        String resolved = jdbc.sql("SELECT resolved_spec::text FROM experiment WHERE id = :id")
                .param("id", experimentId).query(String.class).single();
        return json.readValue(resolved, ExperimentSpec.class).withDefaults();
    }
}
