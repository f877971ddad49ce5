package io.ticketfoundry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.SyntheticIdx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * One evaluate job with every robustness part through the whole stack: OoD detection against
 * Gaussian noise, FGSM at ε = 0 and 0.1, and a derived dataset standing in for a corrupted set with
 * the ticket as its own mCE reference.
 */
class RobustnessEndToEndTest {

    private static final String ADMIN = "tf_e2e_rob_admin_0123456789abcdef0123456789a";
    private static final String WORKER = "tf_e2e_rob_worker_0123456789abcdef012345678";

    @TempDir
    static Path temp;

    private static FoundryApi api;
    private static InProcessWorker worker;

    @BeforeAll
    static void start() throws Exception {
        SyntheticIdx.write(temp.resolve("datasets"), DatasetInfo.MNIST, 600, 300, 31, false);
        SyntheticIdx.write(temp.resolve("datasets"), DatasetInfo.FASHION_MNIST, 100, 200, 32, false);
        api = FoundryApi.start(temp.resolve("api"), ADMIN, WORKER, "--tf.queue.lease-duration=6s");
        worker = InProcessWorker.start(api, "e2e-rob-worker", temp.resolve("datasets"), temp.resolve("worker"),
                Duration.ofMillis(200));
    }

    @AfterAll
    static void stop() throws Exception {
        FoundryApi.stop(worker, api);
    }

    private static JsonNode awaitJob(String jobId, String token) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = api.call("GET", "api/v1/jobs/" + jobId, token, null, 200);
            String status = job.path("status").asString();
            if (!status.equals("queued") && !status.equals("leased")) {
                assertThat(status).as(job.path("lastError").asString()).isEqualTo("succeeded");
                return job;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + jobId + " did not finish");
    }

    private static List<JsonNode> metrics(JsonNode ticket, String jobId, String name) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode metric : ticket.path("metrics")) {
            if (metric.path("jobId").asString().equals(jobId) && metric.path("name").asString().equals(name)) {
                found.add(metric);
            }
        }
        return found;
    }

    @Test
    void oneEvaluateJobMeasuresOodDetectionFgsmAndMce() throws Exception {
        String member = api.member("e2e-robustness", "rita");
        // images the MNIST-trained network gets wrong stand in for a corruption, so its error is not 0
        JsonNode corrupted = api.call("POST", "api/v1/datasets", member, Map.of("name", "stand-in corruption",
                "recipe", Map.of("kind", "subset", "base", "fashion-mnist", "perClass", 10, "seed", 1)), 201);
        String corruptedId = corrupted.path("id").asString();
        Map<String, Object> training = Map.of("optimizer", "sgd", "learningRate", 0.05, "batchSize", 32, "epochs", 2);
        JsonNode experiment = api.call("POST", "api/v1/experiments", member, Map.of("name", "robustness",
                "spec", Map.of("dataset", "mnist", "training", training, "pruning", Map.of("levels", 0))), 201);
        List<JsonNode> tickets = api.awaitTickets(experiment.path("id").asString(), member, 1, Duration.ofMinutes(4));
        String ticketId = tickets.get(0).path("id").asString();

        JsonNode job = api.call("POST", "api/v1/tickets/" + ticketId + "/evaluations", member, Map.of(
                "ood", Map.of("gaussianNoise", Map.of("count", 200, "seed", 5)),
                "fgsm", Map.of("epsilons", List.of(0.0, 0.1)),
                "corruptions", List.of(Map.of("dataset", corruptedId, "corruption", "stand-in", "severity", 3))), 202);
        String jobId = job.path("id").asString();
        assertThat(job.path("params").path("referenceTicketId").asString())
                .as("the dense level-0 ticket is its own reference").isEqualTo(ticketId);
        awaitJob(jobId, member);
        JsonNode ticket = api.call("GET", "api/v1/tickets/" + ticketId, member, null, 200);

        double accuracy = metrics(ticket, jobId, "accuracy").stream()
                .filter(m -> m.path("dataset").asString().equals("mnist")).findFirst().orElseThrow()
                .path("value").asDouble();
        List<JsonNode> fgsm = metrics(ticket, jobId, "fgsm-accuracy");
        assertThat(fgsm).hasSize(2);
        for (JsonNode m : fgsm) {
            double epsilon = m.path("conventions").path("epsilon").asDouble();
            if (epsilon == 0) {
                assertThat(m.path("value").asDouble()).as("ε = 0 changes nothing").isEqualTo(accuracy);
            } else {
                assertThat(m.path("value").asDouble()).isLessThanOrEqualTo(accuracy);
            }
        }

        List<JsonNode> ood = metrics(ticket, jobId, "ood-auroc");
        assertThat(ood).hasSize(1);
        assertThat(ood.get(0).path("value").asDouble()).isBetween(0.0, 1.0);
        assertThat(ood.get(0).path("details").path("ood").path("kind").asString()).isEqualTo("gaussian-noise");
        assertThat(ood.get(0).path("details").path("outSamples").asInt()).isEqualTo(200);

        List<JsonNode> mce = metrics(ticket, jobId, "mce");
        assertThat(mce).hasSize(1);
        assertThat(mce.get(0).path("value").asDouble()).isEqualTo(1.0);
        assertThat(mce.get(0).path("conventions").path("referenceTicketId").asString()).isEqualTo(ticketId);
        List<String> onCorrupted = new ArrayList<>();
        for (JsonNode m : ticket.path("metrics")) {
            if (m.path("dataset").asString().equals(corruptedId)) {
                onCorrupted.add(m.path("name").asString());
                assertThat(m.path("conventions").path("corruption").asString()).isEqualTo("stand-in");
                assertThat(m.path("conventions").path("severity").asInt()).isEqualTo(3);
            }
        }
        assertThat(onCorrupted).containsExactlyInAnyOrder("accuracy", "ece", "nll");
    }
}
