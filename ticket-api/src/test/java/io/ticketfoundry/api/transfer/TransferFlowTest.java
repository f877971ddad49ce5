package io.ticketfoundry.api.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.support.QueueTestBase;
import io.ticketfoundry.common.protocol.CompleteRequest;
import io.ticketfoundry.common.protocol.LayerDensity;
import io.ticketfoundry.common.protocol.Lease;
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

/** Transfer requests: validation, the experiment they make, its jobs and the tickets they record. */
class TransferFlowTest extends QueueTestBase {

    String pool;
    String worker;
    QueueFixtures.Team team;
    UUID ticket;
    final Random random = new Random(3);

    @BeforeEach
    void setUp() {
        pool = QueueFixtures.uniquePool();
        worker = fx.workerToken(pool);
        team = fx.team();
        ExperimentSpec spec = new ExperimentSpec(1, "lenet-300-100", "mnist",
                new TrainingSpec("sgd", 0.1, 0.0, 0.0, 128, 1), new PruningSpec("global", 0.2, 0, Map.of(), List.of()),
                new RewindSpec(0, "iterations"), new EvaluationSpec(15), null, List.of());
        UUID experiment = fx.experiment(team.id(), spec);
        queue.enqueueImpLevel(experiment, 0, 0, null, pool);
        ticket = complete(lease(), 0);
    }

    private Lease lease() {
        return fx.lease(worker);
    }

    private String upload(Lease lease) {
        return fx.uploadRandom(worker, lease, random);
    }

    private UUID complete(Lease lease, int level) {
        TicketReport report = new TicketReport(level, upload(lease), upload(lease), upload(lease), 1000, 800, 1010, 810,
                Map.of("fc1.weight", new LayerDensity(1000, 800)), List.of(), Map.of());
        HttpResponse<String> done = fx.post(worker, "/api/v1/worker/jobs/" + lease.jobId() + "/complete",
                new CompleteRequest(lease.fencingToken(), report));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        return UUID.fromString(fx.tree(done).path("ticketId").asString());
    }

    private List<String> problemFields(HttpResponse<String> response) {
        return fx.problemFields(response);
    }

    @Test
    void aTransferMakesAnExperimentWhoseJobsRetrainTheSourceAndItsRandomTwin() {
        String path = "/api/v1/tickets/" + ticket + "/transfers";
        HttpResponse<String> created = fx.post(team.memberToken(), path,
                Map.of("dataset", "fashion-mnist", "randomTickets", true, "training", Map.of("epochs", 2)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode experiment = fx.tree(created).path("experiment");
        assertThat(fx.tree(created).path("targetExperiment").isNull()).isTrue();
        assertThat(experiment.path("resolvedSpec").path("pruning").path("levels").asInt()).isZero();
        assertThat(experiment.path("resolvedSpec").path("transfer").path("sourceTickets").get(0).asString())
                .isEqualTo(ticket.toString());
        assertThat(fx.post(team.memberToken(), path,
                Map.of("dataset", "fashion-mnist", "randomTickets", true, "training", Map.of("epochs", 2))).statusCode())
                .isEqualTo(200);

        List<String> kinds = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Lease lease = lease();
            kinds.add(lease.kind());
            assertThat(lease.inputs().parentTicketId()).isEqualTo(ticket);
            assertThat(lease.spec().dataset()).isEqualTo("fashion-mnist");
            UUID made = complete(lease, 0);
            JsonNode view = fx.tree(fx.get(team.viewerToken(), "/api/v1/tickets/" + made));
            assertThat(view.path("kind").asString()).isEqualTo(lease.kind());
            assertThat(view.path("parentTicketId").asString()).isEqualTo(ticket.toString());
        }
        assertThat(kinds).containsExactlyInAnyOrder("transfer", "transfer-random");
        JsonNode lineage = fx.tree(fx.get(team.viewerToken(),
                "/api/v1/experiments/" + experiment.path("id").asString() + "/lineage"));
        List<String> edges = new ArrayList<>();
        lineage.path("edges").forEach(e -> edges.add(e.path("from").asString() + ":" + e.path("kind").asString()));
        assertThat(edges).containsExactly(ticket + ":transfer", ticket + ":transfer");
    }

    @Test
    void theTicketsFoundOnTheTargetItselfComeInTheSameRequest() {
        HttpResponse<String> created = fx.post(team.memberToken(), "/api/v1/tickets/" + ticket + "/transfers",
                Map.of("dataset", "fashion-mnist", "targetTickets", true));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode target = fx.tree(created).path("targetExperiment");
        assertThat(target.path("resolvedSpec").path("dataset").asString()).isEqualTo("fashion-mnist");
        assertThat(target.path("resolvedSpec").has("transfer")).isFalse();
        assertThat(target.path("resolvedSpec").path("training").path("epochs").asInt()).isEqualTo(1);
        assertThat(lease().kind()).isEqualTo("transfer");
        assertThat(jdbc.sql("SELECT kind FROM job WHERE experiment_id = :e")
                .param("e", UUID.fromString(target.path("id").asString())).query(String.class).list())
                .as("the target's own experiment starts with its dense level").containsExactly("imp-level");
        // asked again: the same two experiments
        JsonNode again = fx.tree(fx.post(team.memberToken(), "/api/v1/tickets/" + ticket + "/transfers",
                Map.of("dataset", "fashion-mnist", "targetTickets", true)));
        assertThat(again.path("targetExperiment").path("id").asString()).isEqualTo(target.path("id").asString());
    }

    @Test
    void badTransfersNameTheirFieldsAndMakeNothing() {
        String path = "/api/v1/tickets/" + ticket + "/transfers";
        long before = jdbc.sql("SELECT count(*) FROM experiment").query(Long.class).single();
        assertThat(problemFields(fx.post(team.memberToken(), path, Map.of("randomTickets", "yes", "colour", 1))))
                .containsExactlyInAnyOrder("dataset", "randomTickets", "colour");
        assertThat(problemFields(fx.post(team.memberToken(), path, Map.of("dataset", "no-such"))))
                .contains("dataset");
        assertThat(problemFields(fx.post(team.memberToken(), path,
                Map.of("dataset", "fashion-mnist", "training", Map.of("epochs", 0))))).containsExactly("training.epochs");
        assertThat(jdbc.sql("SELECT count(*) FROM experiment").query(Long.class).single()).isEqualTo(before);

        assertThat(fx.post(team.viewerToken(), path, Map.of("dataset", "fashion-mnist")).statusCode()).isEqualTo(403);
        assertThat(fx.post(fx.team().memberToken(), path, Map.of("dataset", "fashion-mnist")).statusCode()).isEqualTo(404);
        assertThat(problemFields(fx.post(team.memberToken(), "/api/v1/experiments", Map.of("name", "direct",
                "spec", Map.of("pruning", Map.of("levels", 0), "transfer", Map.of("sourceTickets", List.of(ticket.toString())))))))
                .containsExactly("spec.transfer");
    }
}
