package io.ticketfoundry.api.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.support.QueueTestBase;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Evaluate and calibrate jobs through the API and the worker protocol: validation of the
 * request, deduplication, what the lease carries, and how the results are recorded.
 */
class TicketJobFlowTest extends QueueTestBase {

    String pool;
    String worker;
    QueueFixtures.Team team;
    UUID experiment;
    UUID ticket;
    Lease trained;
    final Random random = new Random(7);

    @BeforeEach
    void setUp() {
        pool = QueueFixtures.uniquePool();
        worker = fx.workerToken(pool);
        team = fx.team();
        ExperimentSpec spec = new ExperimentSpec(1, "lenet-300-100", "mnist",
                new TrainingSpec("sgd", 0.1, 0.0, 0.0, 128, 1), new PruningSpec("global", 0.2, 0, Map.of(), List.of()),
                new RewindSpec(0, "iterations"), new EvaluationSpec(15), null, List.of());
        experiment = fx.experiment(team.id(), spec);
        queue.enqueueImpLevel(experiment, 0, 0, null, pool);
        trained = lease();
        String mask = upload(trained);
        TicketReport report = new TicketReport(0, mask, upload(trained), upload(trained), 1000, 1000, 1010, 1010,
                Map.of("fc1.weight", new LayerDensity(1000, 1000)),
                List.of(metric("mnist", "test", "accuracy", 0.9), metric("mnist", "test", "nll", 0.4)), Map.of());
        HttpResponse<String> done = fx.post(worker, "/api/v1/worker/jobs/" + trained.jobId() + "/complete",
                new CompleteRequest(trained.fencingToken(), report));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        ticket = UUID.fromString(fx.tree(done).path("ticketId").asString());
    }

    private static MetricReport metric(String dataset, String split, String name, double value) {
        return new MetricReport(dataset, split, name, value, Map.of(), null);
    }

    private Lease lease() {
        return fx.lease(worker);
    }

    private String upload(Lease lease) {
        return fx.uploadRandom(worker, lease, random);
    }

    private List<String> problemFields(HttpResponse<String> response) {
        return fx.problemFields(response);
    }

    @Test
    void evaluateQueuesOneJobPerRequestAndAttachesItsMetricsToTheTicket() {
        Map<String, Object> body = Map.of("data", Map.of("dataset", "fashion-mnist", "split", "test"),
                "evaluation", Map.of("eceBins", 10));
        HttpResponse<String> first = fx.post(team.memberToken(), "/api/v1/tickets/" + ticket + "/evaluations", body);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        JsonNode job = fx.tree(first);
        assertThat(job.path("kind").asString()).isEqualTo("evaluate");
        assertThat(job.path("parentTicketId").asString()).isEqualTo(ticket.toString());
        assertThat(job.path("params").path("data").path("dataset").asString()).isEqualTo("fashion-mnist");
        assertThat(job.path("params").path("evaluation").path("eceEdges").asString()).isEqualTo("(lo,hi]");
        assertThat(first.headers().firstValue("Location")).hasValue("/api/v1/jobs/" + job.path("id").asString());

        HttpResponse<String> again = fx.post(team.memberToken(), "/api/v1/tickets/" + ticket + "/evaluations", body);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(fx.tree(again).path("id").asString()).isEqualTo(job.path("id").asString());

        Lease lease = lease();
        assertThat(lease.kind()).isEqualTo(Lease.KIND_EVALUATE);
        assertThat(lease.evaluate().data().dataset()).isEqualTo("fashion-mnist");
        assertThat(lease.evaluate().evaluation().eceBins()).isEqualTo(10);
        assertThat(lease.inputs().parentTicketId()).isEqualTo(ticket);
        assertThat(lease.inputs().parentWeightsSha256()).isNotNull();
        // the ticket's files are the job's inputs
        assertThat(fx.getBytes(worker, "/api/v1/worker/jobs/" + lease.jobId() + "/artifacts/"
                + lease.inputs().parentWeightsSha256(), "X-Fencing-Token", Long.toString(lease.fencingToken()))
                .statusCode()).isEqualTo(200);

        HttpResponse<String> withTicket = fx.post(worker, "/api/v1/worker/jobs/" + lease.jobId() + "/complete",
                new CompleteRequest(lease.fencingToken(), new TicketReport(0, null, null, null, 1, 1, 1, 1, Map.of(),
                        List.of(), Map.of()), List.of(metric("fashion-mnist", "test", "accuracy", 0.1))));
        assertThat(problemFields(withTicket)).contains("ticket");
        HttpResponse<String> done = fx.post(worker, "/api/v1/worker/jobs/" + lease.jobId() + "/complete",
                new CompleteRequest(lease.fencingToken(), null, List.of(metric("fashion-mnist", "test", "accuracy", 0.12),
                        metric("fashion-mnist", "test", "nll", 3.5))));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);

        JsonNode view = fx.tree(fx.get(team.viewerToken(), "/api/v1/tickets/" + ticket));
        List<String> measured = new ArrayList<>();
        view.path("metrics").forEach(m -> measured.add(m.path("dataset").asString() + "/" + m.path("name").asString()
                + "/" + (m.path("jobId").asString().equals(lease.jobId().toString()) ? "evaluate" : "own")));
        assertThat(measured).containsExactlyInAnyOrder("mnist/accuracy/own", "mnist/nll/own",
                "fashion-mnist/accuracy/evaluate", "fashion-mnist/nll/evaluate");
        // the listing's headline stays the ticket's own test metric
        JsonNode listed = fx.tree(fx.get(team.viewerToken(), "/api/v1/experiments/" + experiment + "/tickets"));
        assertThat(listed.path("items").get(0).path("accuracy").asDouble()).isEqualTo(0.9);
        // a succeeded identical request is the answer to a later one
        assertThat(fx.post(team.memberToken(), "/api/v1/tickets/" + ticket + "/evaluations", body).statusCode())
                .isEqualTo(200);
    }

    @Test
    void badEvaluateRequestsNameTheirFieldsAndQueueNothing() {
        String path = "/api/v1/tickets/" + ticket + "/evaluations";
        assertThat(problemFields(fx.post(team.memberToken(), path, Map.of("data", Map.of("dataset", "no-such")))))
                .containsExactly("data.dataset");
        assertThat(problemFields(fx.post(team.memberToken(), path, Map.of("data", Map.of("dataset", "cifar100")))))
                .containsExactly("data.dataset");
        assertThat(problemFields(fx.post(team.memberToken(), path, Map.of("data", Map.of("dataset", "cifar10")))))
                .containsExactly("data.dataset");
        assertThat(problemFields(fx.post(team.memberToken(), path,
                Map.of("data", Map.of("split", "validation", "half", "c", "seed", 3)))))
                .containsExactlyInAnyOrder("data.split", "data.half");
        assertThat(problemFields(fx.post(team.memberToken(), path, Map.of("data", Map.of("seed", 3)))))
                .containsExactly("data.seed");
        assertThat(problemFields(fx.post(team.memberToken(), path,
                Map.of("evaluation", Map.of("eceBins", 0), "colour", "red"))))
                .containsExactlyInAnyOrder("colour", "evaluation.eceBins");
        assertThat(jdbc.sql("SELECT count(*) FROM job WHERE kind = 'evaluate' AND parent_ticket_id = :t")
                .param("t", ticket).query(Long.class).single()).isZero();

        assertThat(fx.post(team.viewerToken(), path, Map.of()).statusCode()).isEqualTo(403);
        QueueFixtures.Team other = fx.team();
        assertThat(fx.post(other.memberToken(), path, Map.of()).statusCode()).isEqualTo(404);
        assertThat(fx.post(team.memberToken(), "/api/v1/tickets/" + UUID.randomUUID() + "/evaluations", Map.of())
                .statusCode()).isEqualTo(404);
    }

    @Test
    void calibrateDefaultsToTheTestSplitsHalvesAndRecordsACalibratedTicketWithLineage() {
        HttpResponse<String> submitted = fx.post(team.memberToken(), "/api/v1/tickets/" + ticket + "/calibrations", null);
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        JsonNode params = fx.tree(submitted).path("params");
        assertThat(params.path("method").asString()).isEqualTo("temperature");
        assertThat(params.path("fit").path("split").asString()).isEqualTo("test");
        assertThat(params.path("fit").path("half").asString()).isEqualTo("a");
        assertThat(params.path("evaluate").path("half").asString()).isEqualTo("b");

        Lease lease = lease();
        assertThat(lease.kind()).isEqualTo(Lease.KIND_CALIBRATE);
        assertThat(lease.calibrate().fit().splitLabel()).isEqualTo("test:half-a");
        assertThat(lease.calibrate().evaluate().splitLabel()).isEqualTo("test:half-b");

        String calibratedWeights = upload(lease);
        Map<String, Object> calibration = Map.of("method", "temperature", "temperature", 2.5);
        TicketReport report = new TicketReport(0, lease.inputs().parentMaskSha256(), lease.inputs().rewindSha256(),
                calibratedWeights, 1000, 1000, 1010, 1010, Map.of("fc1.weight", new LayerDensity(1000, 1000)),
                List.of(metric("mnist", "test:half-b", "nll", 0.30)), Map.of(), calibration);
        HttpResponse<String> done = fx.post(worker, "/api/v1/worker/jobs/" + lease.jobId() + "/complete",
                new CompleteRequest(lease.fencingToken(), report, List.of(metric("mnist", "test:half-b", "nll", 0.45))));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        UUID calibrated = UUID.fromString(fx.tree(done).path("ticketId").asString());

        JsonNode view = fx.tree(fx.get(team.viewerToken(), "/api/v1/tickets/" + calibrated));
        assertThat(view.path("kind").asString()).isEqualTo("calibrated");
        assertThat(view.path("parentTicketId").asString()).isEqualTo(ticket.toString());
        assertThat(view.path("calibration").path("temperature").asDouble()).isEqualTo(2.5);
        assertThat(view.path("metrics").get(0).path("value").asDouble()).isEqualTo(0.30);
        JsonNode parent = fx.tree(fx.get(team.viewerToken(), "/api/v1/tickets/" + ticket));
        List<String> splits = new ArrayList<>();
        parent.path("metrics").forEach(m -> splits.add(m.path("split").asString() + "=" + m.path("value").asDouble()));
        assertThat(splits).contains("test:half-b=0.45");

        JsonNode lineage = fx.tree(fx.get(team.viewerToken(), "/api/v1/experiments/" + experiment + "/lineage"));
        List<String> edges = new ArrayList<>();
        lineage.path("edges").forEach(e -> edges.add(e.path("from").asString() + ">" + e.path("to").asString() + ":"
                + e.path("kind").asString()));
        assertThat(edges).containsExactly(ticket + ">" + calibrated + ":calibrate");

        // a calibrated ticket is not calibrated again; another held-out choice makes another version
        assertThat(fx.post(team.memberToken(), "/api/v1/tickets/" + calibrated + "/calibrations", null).statusCode())
                .isEqualTo(409);
        HttpResponse<String> other = fx.post(team.memberToken(), "/api/v1/tickets/" + ticket + "/calibrations",
                Map.of("fit", Map.of("split", "test", "half", "b"), "evaluate", Map.of("split", "test", "half", "a")));
        assertThat(other.statusCode()).as(other.body()).isEqualTo(202);
    }

    @Test
    void calibrationRefusesToBeJudgedOnTheDataItIsFittedOn() {
        String path = "/api/v1/tickets/" + ticket + "/calibrations";
        assertThat(problemFields(fx.post(team.memberToken(), path,
                Map.of("fit", Map.of("split", "test"), "evaluate", Map.of("split", "test", "half", "b")))))
                .containsExactly("evaluate");
        assertThat(problemFields(fx.post(team.memberToken(), path,
                Map.of("fit", Map.of("half", "a"), "evaluate", Map.of("half", "a")))))
                .containsExactly("evaluate");
        // halves drawn with different seeds share examples
        assertThat(problemFields(fx.post(team.memberToken(), path,
                Map.of("fit", Map.of("half", "a", "seed", 0), "evaluate", Map.of("half", "b", "seed", 1)))))
                .containsExactly("evaluate");
        assertThat(jdbc.sql("SELECT count(*) FROM job WHERE kind = 'calibrate' AND parent_ticket_id = :t")
                .param("t", ticket).query(Long.class).single()).isZero();
    }

    @Test
    void aCompletedCalibrationMustCarryItsCalibrationAndATrainingTicketMustNot() {
        fx.post(team.memberToken(), "/api/v1/tickets/" + ticket + "/calibrations", null);
        Lease lease = lease();
        TicketReport report = new TicketReport(0, lease.inputs().parentMaskSha256(), lease.inputs().rewindSha256(),
                upload(lease), 1000, 1000, 1010, 1010, Map.of(), List.of(), Map.of());
        HttpResponse<String> done = fx.post(worker, "/api/v1/worker/jobs/" + lease.jobId() + "/complete",
                new CompleteRequest(lease.fencingToken(), report, List.of()));
        assertThat(problemFields(done)).containsExactly("ticket.calibration");
    }

    @Test
    void anExperimentsTicketsAreCalibratedAndEvaluatedInOneRequest() {
        String path = "/api/v1/experiments/" + experiment + "/calibrations";
        assertThat(problemFields(fx.post(team.memberToken(), path, Map.of("method", "platt")))).containsExactly("method");
        assertThat(fx.post(team.viewerToken(), path, null).statusCode()).isEqualTo(403);
        assertThat(fx.post(fx.team().memberToken(), path, null).statusCode()).isEqualTo(404);
        assertThat(fx.post(team.memberToken(), "/api/v1/experiments/" + fx.experiment(team.id()) + "/calibrations", null)
                .statusCode()).isEqualTo(409);

        HttpResponse<String> first = fx.post(team.memberToken(), path, null);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        JsonNode batch = fx.tree(first);
        assertThat(batch.path("created").asInt()).isEqualTo(1);
        assertThat(batch.path("jobs").get(0).path("parentTicketId").asString()).isEqualTo(ticket.toString());
        HttpResponse<String> again = fx.post(team.memberToken(), path, null);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(fx.tree(again).path("created").asInt()).isZero();

        HttpResponse<String> evaluations = fx.post(team.memberToken(), "/api/v1/experiments/" + experiment + "/evaluations",
                Map.of("data", Map.of("dataset", "fashion-mnist")));
        assertThat(evaluations.statusCode()).as(evaluations.body()).isEqualTo(202);
        assertThat(fx.tree(evaluations).path("jobs").get(0).path("kind").asString()).isEqualTo("evaluate");
    }
}
