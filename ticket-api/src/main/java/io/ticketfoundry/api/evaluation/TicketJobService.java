package io.ticketfoundry.api.evaluation;

import io.ticketfoundry.api.sharing.ExperimentAccess;
import io.ticketfoundry.api.dataset.DatasetService;
import io.ticketfoundry.api.experiment.SpecValidator;
import io.ticketfoundry.api.job.JobQueue;
import io.ticketfoundry.api.job.QueueQuota;
import io.ticketfoundry.api.job.JobService;
import io.ticketfoundry.api.job.JobViews;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.web.ApiException;
import io.ticketfoundry.api.web.FieldProblem;
import io.ticketfoundry.common.Digests;
import io.ticketfoundry.common.protocol.CalibrateParams;
import io.ticketfoundry.common.protocol.DataSelection;
import io.ticketfoundry.common.protocol.CorruptedSet;
import io.ticketfoundry.common.protocol.EvaluateParams;
import io.ticketfoundry.common.protocol.FgsmParams;
import io.ticketfoundry.common.protocol.OodParams;
import io.ticketfoundry.common.spec.EvaluationSpec;
import io.ticketfoundry.common.spec.ExperimentSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Evaluate and calibrate requests on a ticket: validated, defaults filled in, queued as jobs of
 * the ticket's experiment (in the pool its own job ran in). The same request for the same ticket
 * finds the queued, running or finished job instead of queueing another.
 */
@Service
public class TicketJobService {

    /** The job a request led to; {@code created} is false when an identical request already had one. */
    public record Submitted(JobViews.Job job, boolean created) {
    }

    /** The jobs a request over an experiment's tickets led to, one per IMP ticket (seed, level order). */
    public record BatchSubmitted(UUID experimentId, int created, List<JobViews.Job> jobs) {
    }

    private record TicketTarget(UUID id, UUID experimentId, UUID teamId, long seed, int level, String kind, String pool,
            ExperimentSpec spec) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final JobQueue queue;
    private final JobService jobs;
    private final DatasetService datasets;
    private final DataSelectionRules rules;
    private final RobustnessRules robustness;

    private final ExperimentAccess access;
    private final QueueQuota quota;

    TicketJobService(JdbcClient jdbc, JsonMapper json, JobQueue queue, JobService jobs, DatasetService datasets,
            DataSelectionRules rules, RobustnessRules robustness, ExperimentAccess access, QueueQuota quota) {
        this.quota = quota;
        this.access = access;
        this.robustness = robustness;
        this.jdbc = jdbc;
        this.json = json;
        this.queue = queue;
        this.jobs = jobs;
        this.datasets = datasets;
        this.rules = rules;
    }

    /** Queues scoring the ticket on a dataset split (default: its experiment's dataset, test split). */
    @Transactional
    public Submitted evaluate(UUID ticketId, JsonNode body, Caller caller) {
        TicketTarget ticket = target(ticketId, caller);
        List<FieldProblem> problems = new ArrayList<>();
        EvaluateParams request = SpecValidator.readRecord(body, EvaluateParams.class, "", problems);
        if (request == null) {
            throwIfAny(problems);
        }
        DataSelection data = (request.data() == null ? new DataSelection(null, null, null, null) : request.data())
                .withDefaults(ticket.spec().dataset());
        rules.check(data, ticket.teamId(), ticket.spec().dataset(), "data", problems);
        EvaluationSpec evaluation = evaluation(request.evaluation(), ticket, problems);
        RobustnessRules.Target target = new RobustnessRules.Target(ticket.id(), ticket.experimentId(), ticket.teamId(),
                ticket.seed(), ticket.spec());
        OodParams ood = robustness.ood(request.ood(), target, problems);
        FgsmParams fgsm = robustness.fgsm(request.fgsm(), problems);
        List<CorruptedSet> corruptions = robustness.corruptions(request.corruptions(), target, problems);
        UUID reference = robustness.reference(request.referenceTicketId(), corruptions, target, problems);
        throwIfAny(problems);
        Submitted submitted = submit(ticket, JobQueue.KIND_EVALUATE,
                new EvaluateParams(data, evaluation, ood, fgsm, corruptions, reference), caller);
        if (reference != null && submitted.created()) {
            // the reference's mask and weights are inputs of the job, as the ticket's own are
            queue.recordInputs(submitted.job().id(), reference);
        }
        return submitted;
    }

    /**
     * Queues temperature scaling of the ticket. Default data: fit on the dataset's validation split
     * and report on its test split when it has one (validation-split recipes); otherwise fit on
     * half a of the test split and report on half b.
     */
    @Transactional
    public Submitted calibrate(UUID ticketId, JsonNode body, Caller caller) {
        TicketTarget ticket = target(ticketId, caller);
        if (JobQueue.TICKET_KIND_CALIBRATED.equals(ticket.kind())) {
            throw ApiException.conflict("ticket " + ticketId + " is already calibrated; calibrate the ticket it came from");
        }
        List<FieldProblem> problems = new ArrayList<>();
        CalibrateParams request = SpecValidator.readRecord(body, CalibrateParams.class, "", problems);
        if (request == null) {
            throwIfAny(problems);
        }
        String method = request.method() == null ? CalibrateParams.TEMPERATURE : request.method();
        if (!CalibrateParams.METHODS.contains(method)) {
            problems.add(new FieldProblem("method", "must be one of " + CalibrateParams.METHODS));
        }
        String dataset = ticket.spec().dataset();
        DataSelection fit;
        if (request.fit() != null) {
            fit = request.fit().withDefaults(dataset);
        } else if (datasets.splits(ticket.teamId(), dataset).contains(DataSelection.VALIDATION)) {
            fit = DataSelection.whole(dataset, DataSelection.VALIDATION);
        } else {
            fit = DataSelection.half(dataset, DataSelection.TEST, DataSelection.HALF_A);
        }
        DataSelection evaluate;
        if (request.evaluate() != null) {
            evaluate = request.evaluate().withDefaults(dataset);
        } else if (fit.half() != null && DataSelection.HALVES.contains(fit.half())) {
            evaluate = fit.otherHalf();
        } else {
            evaluate = DataSelection.whole(fit.dataset(), DataSelection.TEST);
        }
        rules.check(fit, ticket.teamId(), dataset, "fit", problems);
        rules.check(evaluate, ticket.teamId(), dataset, "evaluate", problems);
        EvaluationSpec evaluation = evaluation(request.evaluation(), ticket, problems);
        if (problems.isEmpty() && DataSelectionRules.overlap(fit, evaluate)) {
            problems.add(new FieldProblem("evaluate", "shares examples with fit (" + fit.dataset() + " "
                    + fit.splitLabel() + "); a calibration must be judged on data it was not fitted on"));
        }
        throwIfAny(problems);
        return submit(ticket, JobQueue.KIND_CALIBRATE, new CalibrateParams(method, fit, evaluate, evaluation), caller);
    }

    /** {@link #evaluate} for every IMP ticket of the experiment, in one transaction (all queued or none). */
    @Transactional
    public BatchSubmitted evaluateExperiment(UUID experimentId, JsonNode body, Caller caller) {
        return forEachTicket(experimentId, caller, ticket -> evaluate(ticket, body, caller));
    }

    /** {@link #calibrate} for every IMP ticket of the experiment, in one transaction (all queued or none). */
    @Transactional
    public BatchSubmitted calibrateExperiment(UUID experimentId, JsonNode body, Caller caller) {
        return forEachTicket(experimentId, caller, ticket -> calibrate(ticket, body, caller));
    }

    private BatchSubmitted forEachTicket(UUID experimentId, Caller caller,
            java.util.function.Function<UUID, Submitted> submit) {
        // jobs run in the experiment's own team: readers of a share get a 403
        access.requireWritable(experimentId, caller, "experiment " + experimentId);
        List<UUID> tickets = jdbc.sql("""
                SELECT id FROM ticket WHERE experiment_id = :id AND kind = 'imp' ORDER BY seed, level""")
                .param("id", experimentId).query(UUID.class).list();
        if (tickets.isEmpty()) {
            throw ApiException.conflict("experiment " + experimentId + " has no IMP tickets yet");
        }
        List<JobViews.Job> queued = new ArrayList<>();
        int created = 0;
        for (UUID ticket : tickets) {
            Submitted submitted = submit.apply(ticket);
            queued.add(submitted.job());
            created += submitted.created() ? 1 : 0;
        }
        return new BatchSubmitted(experimentId, created, queued);
    }

    private Submitted submit(TicketTarget ticket, String kind, Object params, Caller caller) {
        String paramsJson = json.writeValueAsString(params);
        String requestHash = Digests.sha256Hex(kind + "\n" + paramsJson);
        JobQueue.Enqueued enqueued = queue.enqueueTicketJob(ticket.experimentId(), ticket.seed(), ticket.level(),
                ticket.id(), kind, paramsJson, requestHash, ticket.pool());
        quota.requireRoom(ticket.teamId());
        return new Submitted(jobs.get(enqueued.jobId(), caller), enqueued.created());
    }

    private static EvaluationSpec evaluation(EvaluationSpec requested, TicketTarget ticket, List<FieldProblem> problems) {
        EvaluationSpec evaluation = (requested == null ? ticket.spec().evaluation() : requested).withDefaults();
        problems.addAll(SpecValidator.checkEvaluation(evaluation, "evaluation"));
        return evaluation;
    }

    private TicketTarget target(UUID ticketId, Caller caller) {
        TicketTarget ticket = jdbc.sql("""
                SELECT t.id, t.experiment_id, e.team_id, t.seed, t.level, t.kind, j.pool, e.resolved_spec::text AS spec
                FROM ticket t JOIN experiment e ON e.id = t.experiment_id JOIN job j ON j.id = t.job_id
                WHERE t.id = :id""")
                .param("id", ticketId)
                .query((rs, n) -> new TicketTarget(rs.getObject("id", UUID.class), rs.getObject("experiment_id", UUID.class),
                        rs.getObject("team_id", UUID.class), rs.getLong("seed"), rs.getInt("level"), rs.getString("kind"),
                        rs.getString("pool"), json.readValue(rs.getString("spec"), ExperimentSpec.class).withDefaults()))
                .optional()
                .orElseThrow(() -> ApiException.notFound("ticket " + ticketId));
        access.requireWritable(ticket.experimentId(), caller, "ticket " + ticketId);
        return ticket;
    }

    private static void throwIfAny(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
    }
}
