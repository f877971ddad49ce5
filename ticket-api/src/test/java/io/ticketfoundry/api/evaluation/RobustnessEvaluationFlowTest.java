package io.ticketfoundry.api.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.support.QueueTestBase;
import io.ticketfoundry.common.protocol.CompleteRequest;
import io.ticketfoundry.common.protocol.LayerDensity;
import io.ticketfoundry.common.protocol.Lease;
import io.ticketfoundry.common.protocol.LeaseRequest;
import io.ticketfoundry.common.protocol.MetricReport;
import io.ticketfoundry.common.protocol.TicketReport;
import io.ticketfoundry.common.protocol.CorruptedSet;
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
 * The robustness parts of evaluate requests (ood, fgsm, corruptions with their reference ticket)
 * through the API and the worker protocol: validation, defaults, and what the lease carries.
 */
class RobustnessEvaluationFlowTest extends QueueTestBase {

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

    private HttpResponse<String> evaluate(Object body) {
        return fx.post(team.memberToken(), "/api/v1/tickets/" + ticket + "/evaluations", body);
    }

    @Test
    void badRobustnessPartsNameTheirFieldsAndQueueNothing() {
        assertThat(problemFields(evaluate(Map.of("ood", Map.of())))).containsExactly("ood");
        assertThat(problemFields(evaluate(Map.of("ood", Map.of("dataset", "fashion-mnist",
                "gaussianNoise", Map.of()))))).containsExactly("ood");
        assertThat(problemFields(evaluate(Map.of("ood", Map.of("dataset", "nope"))))).containsExactly("ood.dataset");
        assertThat(problemFields(evaluate(Map.of("ood", Map.of("dataset", "cifar10"))))).containsExactly("ood.dataset");
        assertThat(problemFields(evaluate(Map.of("ood", Map.of("gaussianNoise", Map.of("count", 0, "std", -1))))))
                .containsExactlyInAnyOrder("ood.gaussianNoise.count", "ood.gaussianNoise.std");
        assertThat(problemFields(evaluate(Map.of("fgsm", Map.of())))).containsExactly("fgsm.epsilons");
        assertThat(problemFields(evaluate(Map.of("fgsm", Map.of("epsilons", List.of(0.1, 1.5, 0.1))))))
                .containsExactly("fgsm.epsilons[1]", "fgsm.epsilons[2]");
        assertThat(problemFields(evaluate(Map.of("corruptions", List.of())))).containsExactly("corruptions");
        assertThat(problemFields(evaluate(Map.of("corruptions", List.of(Map.of("dataset", "cifar10", "severity", 9))))))
                .containsExactlyInAnyOrder("corruptions[0].dataset", "corruptions[0].corruption",
                        "corruptions[0].severity");
        assertThat(problemFields(evaluate(Map.of("corruptions", List.of(
                Map.of("dataset", "mnist", "corruption", "fog", "severity", 1),
                Map.of("dataset", "fashion-mnist", "corruption", "fog", "severity", 1))))))
                .containsExactly("corruptions[1].severity");
        assertThat(problemFields(evaluate(Map.of("referenceTicketId", ticket.toString()))))
                .containsExactly("referenceTicketId");
        List<Map<String, Object>> fog = List.of(Map.of("dataset", "mnist", "corruption", "fog", "severity", 1));
        assertThat(problemFields(evaluate(Map.of("corruptions", fog, "referenceTicketId", "not-a-uuid"))))
                .containsExactly("referenceTicketId");
        assertThat(problemFields(evaluate(Map.of("corruptions", fog, "referenceTicketId", UUID.randomUUID().toString()))))
                .containsExactly("referenceTicketId");
        HttpResponse<String> none = fx.post(worker, "/api/v1/worker/leases", new LeaseRequest("w"));
        assertThat(none.statusCode()).as("nothing was queued").isEqualTo(204);
    }

    @Test
    void withoutRobustnessPartsTheParamsAndSoTheRequestHashAreAsBefore() {
        HttpResponse<String> response = evaluate(Map.of("data", Map.of("dataset", "mnist")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        List<String> fields = new ArrayList<>();
        fx.tree(response).path("params").propertyNames().forEach(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("data", "evaluation");
    }

    @Test
    void theLeaseCarriesEveryPartWithDefaultsAndTheDenseReferenceTicketsFiles() {
        Map<String, Object> body = Map.of(
                "ood", Map.of("dataset", "fashion-mnist"),
                "fgsm", Map.of("epsilons", List.of(0.0, 8.0 / 255)),
                "corruptions", List.of(Map.of("dataset", "fashion-mnist", "corruption", "fog", "severity", 5)));
        HttpResponse<String> response = evaluate(body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode params = fx.tree(response).path("params");
        assertThat(params.path("ood").path("split").asString()).isEqualTo("test");
        assertThat(params.path("corruptions").get(0).path("split").asString()).isEqualTo("test");
        // the ticket is its experiment's dense level-0 IMP ticket: its own reference by default
        assertThat(params.path("referenceTicketId").asString()).isEqualTo(ticket.toString());
        assertThat(evaluate(body).statusCode()).as("the same request finds the same job").isEqualTo(200);

        Lease lease = lease();
        assertThat(lease.kind()).isEqualTo(Lease.KIND_EVALUATE);
        assertThat(lease.evaluate().ood().dataset()).isEqualTo("fashion-mnist");
        assertThat(lease.evaluate().ood().gaussianNoise()).isNull();
        assertThat(lease.evaluate().fgsm().epsilons()).containsExactly(0.0, 8.0 / 255);
        assertThat(lease.evaluate().corruptions()).containsExactly(new CorruptedSet("fashion-mnist", "test", "fog", 5));
        assertThat(lease.evaluate().referenceTicketId()).isEqualTo(ticket);
        assertThat(lease.reference().parentTicketId()).isEqualTo(ticket);
        assertThat(lease.reference().parentWeightsSha256()).isEqualTo(lease.inputs().parentWeightsSha256());
        for (String sha : List.of(lease.reference().parentWeightsSha256(), lease.reference().parentMaskSha256())) {
            assertThat(fx.getBytes(worker, "/api/v1/worker/jobs/" + lease.jobId() + "/artifacts/" + sha,
                    "X-Fencing-Token", Long.toString(lease.fencingToken())).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> done = fx.post(worker, "/api/v1/worker/jobs/" + lease.jobId() + "/complete",
                new CompleteRequest(lease.fencingToken(), null, List.of(metric("mnist", "test", "ood-auroc", 0.9),
                        metric("mnist", "test", "mce", 1.0))));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    }

    @Test
    void gaussianNoiseGetsItsDefaultsAndANamedReferenceIsCarried() {
        HttpResponse<String> response = evaluate(Map.of("ood", Map.of("gaussianNoise", Map.of("seed", 3)),
                "corruptions", List.of(Map.of("dataset", "mnist", "corruption", "fog", "severity", 1)),
                "referenceTicketId", ticket.toString()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode noise = fx.tree(response).path("params").path("ood").path("gaussianNoise");
        assertThat(noise.path("count").asInt()).isEqualTo(1000);
        assertThat(noise.path("seed").asLong()).isEqualTo(3);
        assertThat(noise.path("mean").asDouble()).isEqualTo(0.5);
        assertThat(noise.path("std").asDouble()).isEqualTo(0.25);
        Lease lease = lease();
        assertThat(lease.evaluate().ood().gaussianNoise().count()).isEqualTo(1000);
        assertThat(lease.reference().parentTicketId()).isEqualTo(ticket);
    }
}
