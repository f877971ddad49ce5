package io.ticketfoundry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.common.safetensors.SafeTensors;
import io.ticketfoundry.common.safetensors.SafeTensorsReader;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.SyntheticIdx;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A RigL experiment through the API: one job, no IMP level after it, a ticket at exactly the
 * target density that learned the generated data, and the masks kept at two steps as snapshot
 * tickets chained to it.
 */
class SparseTrainingEndToEndTest {

    private static final long PRUNABLE = 784 * 300 + 300 * 100 + 100 * 10;
    /** floor((1 − 0.9) × 266,200). */
    private static final long KEPT = 26_620;

    @RegisterExtension
    static final Deployment DEPLOYMENT = new Deployment("e2e-sparse");

    private static FoundryApi api;

    @BeforeAll
    static void start() throws Exception {
        api = DEPLOYMENT.api();
        SyntheticIdx.write(DEPLOYMENT.datasets(), DatasetInfo.MNIST, 640, 200, 21, true);
    }

    @Test
    void aRigLExperimentLearnsAtExactlyTheTargetDensityAndKeepsItsMaskEvolution() throws Exception {
        String member = api.member("e2e-sparse", "erin");
        // 640 samples at batch 32: 20 steps an epoch, 60 in all; masks updated after steps 10, 20, ..., 40
        Map<String, Object> spec = Map.of(
                "dataset", "mnist",
                "training", Map.of("optimizer", "sgd", "learningRate", 0.05, "momentum", 0.9, "batchSize", 32, "epochs", 3),
                "pruning", Map.of("levels", 0),
                "sparseTraining", Map.of("method", "rigl", "sparsity", 0.9, "updateInterval", 10,
                        "snapshotSteps", List.of(10, 30)));
        JsonNode experiment = api.call("POST", "api/v1/experiments", member,
                Map.of("name", "rigl lenet", "spec", spec, "seeds", List.of(4)), 201);
        String experimentId = experiment.path("id").asString();
        assertThat(experiment.path("resolvedSpec").path("sparseTraining").path("distribution").asString())
                .as("the resolved spec spells out the defaults").isEqualTo("erk");

        // exactly one job: completing it queues no level 1
        api.awaitJobsSucceeded(experimentId, member, 1, Duration.ofMinutes(4), () -> "");
        Thread.sleep(300);
        assertThat(api.jobs(experimentId, member)).hasSize(1);
        assertThat(api.call("GET", "api/v1/experiments/" + experimentId, member, null, 200).path("status").asString())
                .isEqualTo("succeeded");

        List<JsonNode> tickets = api.tickets(experimentId, member);
        assertThat(tickets).extracting(t -> t.path("kind").asString()).containsExactly("imp", "snapshot", "snapshot");
        JsonNode ticket = tickets.get(0);
        assertThat(ticket.path("level").asInt()).isZero();
        assertThat(ticket.path("prunable").path("total").asLong()).isEqualTo(PRUNABLE);
        assertThat(ticket.path("prunable").path("remaining").asLong()).as("exactly the target density").isEqualTo(KEPT);
        assertThat(ticket.path("sparsity").asDouble()).isGreaterThanOrEqualTo(0.9).isLessThan(0.9 + 1.0 / PRUNABLE);
        assertThat(metric(ticket, "accuracy")).as("10 classes: chance is 0.1").isGreaterThan(0.5);
        assertThat(ticket.path("provenance").path("sparseMethod").asString()).isEqualTo("rigl");
        assertThat(ticket.path("provenance").path("sparseMaskUpdates").asString()).isEqualTo("4");
        assertThat(ticket.path("step").isNull()).isTrue();

        JsonNode first = tickets.get(1);
        JsonNode second = tickets.get(2);
        assertThat(first.path("step").asLong()).isEqualTo(10);
        assertThat(second.path("step").asLong()).isEqualTo(30);
        for (JsonNode snapshot : List.of(first, second)) {
            assertThat(snapshot.path("prunable").path("remaining").asLong()).isEqualTo(KEPT);
            assertThat(snapshot.path("artifacts").path("rewind").path("sha256").asString())
                    .isEqualTo(ticket.path("artifacts").path("rewind").path("sha256").asString());
            assertThat(metric(snapshot, "accuracy")).isBetween(0.0, 1.0);
        }
        assertThat(first.path("parentTicketId").isNull()).isTrue();
        assertThat(second.path("parentTicketId").asString()).isEqualTo(first.path("id").asString());
        assertThat(ticket.path("parentTicketId").asString()).isEqualTo(second.path("id").asString());
        JsonNode lineage = api.call("GET", "api/v1/experiments/" + experimentId + "/lineage", member, null, 200);
        assertThat(lineage.path("nodes")).hasSize(3);
        assertThat(lineage.path("edges")).hasSize(2).allSatisfy(e -> assertThat(e.path("kind").asString()).isEqualTo("evolve"));

        long[] kept = new long[3];
        byte[][] masks = new byte[3][];
        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> download = api.download("api/v1/tickets/" + tickets.get(i).path("id").asString() + "/mask",
                    member, null);
            assertThat(download.statusCode()).isEqualTo(200);
            SafeTensors mask = SafeTensorsReader.read(Files.write(DEPLOYMENT.scratch("masks").resolve("mask-" + i + ".safetensors"), download.body()));
            masks[i] = mask.get("fc1.weight").rawData();
            for (String name : List.of("fc1.weight", "fc2.weight", "fc3.weight")) {
                for (byte b : mask.get(name).rawData()) {
                    kept[i] += b;
                }
            }
        }
        assertThat(kept).containsOnly(KEPT);
        assertThat(masks[1]).as("the mask moved between steps 10 and 30").isNotEqualTo(masks[2]);

        // the same spec again is the same experiment
        JsonNode again = api.call("POST", "api/v1/experiments", member,
                Map.of("name", "rigl lenet again", "spec", spec, "seeds", List.of(4)), 200);
        assertThat(again.path("id").asString()).isEqualTo(experimentId);
    }

    private static double metric(JsonNode ticket, String name) {
        for (JsonNode metric : ticket.path("metrics")) {
            if (name.equals(metric.path("name").asString())) {
                return metric.path("value").asDouble();
            }
        }
        throw new AssertionError("ticket has no metric " + name + ": " + ticket);
    }
}
