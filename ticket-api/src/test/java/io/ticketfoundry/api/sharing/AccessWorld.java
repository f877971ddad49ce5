package io.ticketfoundry.api.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.job.JobQueue;
import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.common.protocol.CompleteRequest;
import io.ticketfoundry.common.protocol.LayerDensity;
import io.ticketfoundry.common.protocol.Lease;
import io.ticketfoundry.common.protocol.MetricReport;
import io.ticketfoundry.common.protocol.TicketReport;
import io.ticketfoundry.common.spec.EvaluationSpec;
import io.ticketfoundry.common.spec.ExperimentSpec;
import io.ticketfoundry.common.spec.PruningSpec;
import io.ticketfoundry.common.spec.RewindSpec;
import io.ticketfoundry.common.spec.TrainingSpec;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Three teams around one experiment: {@code owner} runs it (admin, member and viewer tokens),
 * {@code reader} is a team it is shared with, {@code stranger} a team it is not; plus a worker
 * token. The experiment has one finished IMP ticket and one queued job.
 */
final class AccessWorld {

    final QueueFixtures.Team owner;
    final String ownerAdmin;
    final QueueFixtures.Team reader;
    final QueueFixtures.Team stranger;
    final String worker;
    final UUID experiment;
    final UUID ticket;
    final UUID queuedJob;

    AccessWorld(QueueFixtures fx, JobQueue queue, JdbcClient jdbc) {
        String pool = QueueFixtures.uniquePool();
        worker = fx.workerToken(pool);
        owner = fx.team();
        ownerAdmin = fx.adminToken(owner.id());
        reader = fx.team();
        stranger = fx.team();
        ExperimentSpec spec = new ExperimentSpec(1, "lenet-300-100", "mnist",
                new TrainingSpec("sgd", 0.1, 0.0, 0.0, 128, 1), new PruningSpec("global", 0.2, 1, Map.of(), List.of()),
                new RewindSpec(0, "iterations"), new EvaluationSpec(15), null, List.of());
        experiment = fx.experiment(owner.id(), spec);
        queue.enqueueImpLevel(experiment, 0, 0, null, pool);
        Lease lease = fx.lease(worker);
        Random random = new Random(1);
        TicketReport report = new TicketReport(0, fx.uploadRandom(worker, lease, random),
                fx.uploadRandom(worker, lease, random), fx.uploadRandom(worker, lease, random), 1000, 1000, 1010, 1010,
                Map.of("fc1.weight", new LayerDensity(1000, 1000)),
                List.of(new MetricReport("mnist", "test", "accuracy", 0.9, Map.of(), null),
                        new MetricReport("mnist", "test", "ece", 0.05, Map.of(), null)), Map.of());
        HttpResponse<String> done = fx.post(worker, "/api/v1/worker/jobs/" + lease.jobId() + "/complete",
                new CompleteRequest(lease.fencingToken(), report));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        ticket = UUID.fromString(fx.tree(done).path("ticketId").asString());
        // level 1 was queued when level 0 completed
        queuedJob = jdbc.sql("SELECT id FROM job WHERE experiment_id = :e AND status = 'queued'")
                .param("e", experiment).query(UUID.class).single();
        HttpResponse<String> shared = fx.call(owner.memberToken(), "PUT",
                "/api/v1/experiments/" + experiment + "/sharing/teams/" + reader.id(), null);
        assertThat(shared.statusCode()).as(shared.body()).isEqualTo(200);
    }
}
