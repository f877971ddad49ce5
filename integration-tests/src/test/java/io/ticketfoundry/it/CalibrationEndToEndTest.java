package io.ticketfoundry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ticketfoundry.common.safetensors.SafeTensors;
import io.ticketfoundry.common.safetensors.SafeTensorsReader;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.SyntheticIdx;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Evaluate and calibrate jobs through the whole stack: a trained ticket is scored on another
 * dataset, then temperature-scaled on half of the test split and judged on the other half.
 */
class CalibrationEndToEndTest {

    @RegisterExtension
    static final Deployment DEPLOYMENT = new Deployment("e2e-cal");

    private static FoundryApi api;

    @BeforeAll
    static void start() throws Exception {
        api = DEPLOYMENT.api();
        SyntheticIdx.write(DEPLOYMENT.datasets(), DatasetInfo.MNIST, 600, 400, 21, false);
        SyntheticIdx.write(DEPLOYMENT.datasets(), DatasetInfo.FASHION_MNIST, 100, 200, 22, false);
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

    private static Map<String, Double> metrics(JsonNode ticket, String dataset, String split) {
        Map<String, Double> values = new HashMap<>();
        for (JsonNode metric : ticket.path("metrics")) {
            if (metric.path("dataset").asString().equals(dataset) && metric.path("split").asString().equals(split)) {
                values.put(metric.path("name").asString(), metric.path("value").asDouble());
            }
        }
        return values;
    }

    private static float[] floats(byte[] safetensors, String name) throws Exception {
        SafeTensors file = SafeTensorsReader.read(safetensors);
        return file.get(name).toFloatArray();
    }

    @Test
    void aTicketIsEvaluatedElsewhereAndCalibratedIntoANewTicketVersion() throws Exception {
        String member = api.member("e2e-calibration", "carl");
        Map<String, Object> training = Map.of("optimizer", "sgd", "learningRate", 0.05, "batchSize", 32, "epochs", 2);
        JsonNode experiment = api.call("POST", "api/v1/experiments", member, Map.of("name", "to calibrate",
                "spec", Map.of("dataset", "mnist", "training", training, "pruning", Map.of("levels", 1))), 201);
        String experimentId = experiment.path("id").asString();
        List<JsonNode> tickets = api.awaitTickets(experimentId, member, 2, Duration.ofMinutes(4));
        JsonNode pruned = tickets.stream().filter(t -> t.path("level").asInt() == 1).findFirst().orElseThrow();
        String ticketId = pruned.path("id").asString();

        JsonNode evaluation = api.call("POST", "api/v1/tickets/" + ticketId + "/evaluations", member,
                Map.of("data", Map.of("dataset", "fashion-mnist")), 202);
        awaitJob(evaluation.path("id").asString(), member);
        JsonNode evaluated = api.call("GET", "api/v1/tickets/" + ticketId, member, null, 200);
        Map<String, Double> elsewhere = metrics(evaluated, "fashion-mnist", "test");
        assertThat(elsewhere).containsKeys("accuracy", "ece", "nll", "brier", "sce", "per-class-accuracy");

        JsonNode calibration = api.call("POST", "api/v1/tickets/" + ticketId + "/calibrations", member, null, 202);
        JsonNode done = awaitJob(calibration.path("id").asString(), member);
        String calibratedId = done.path("ticketId").asString();
        JsonNode calibrated = api.call("GET", "api/v1/tickets/" + calibratedId, member, null, 200);

        assertThat(calibrated.path("kind").asString()).isEqualTo("calibrated");
        assertThat(calibrated.path("parentTicketId").asString()).isEqualTo(ticketId);
        assertThat(calibrated.path("sparsity").asDouble()).isEqualTo(pruned.path("sparsity").asDouble());
        JsonNode fit = calibrated.path("calibration").path("fit");
        double temperature = calibrated.path("calibration").path("temperature").asDouble();
        assertThat(temperature).isPositive();
        assertThat(fit.path("split").asString()).isEqualTo("test:half-a");
        assertThat(fit.path("nllAfter").asDouble()).isLessThanOrEqualTo(fit.path("nllBefore").asDouble());

        Map<String, Double> before = metrics(evaluated = api.call("GET", "api/v1/tickets/" + ticketId, member, null, 200),
                "mnist", "test:half-b");
        Map<String, Double> after = metrics(calibrated, "mnist", "test:half-b");
        assertThat(before).containsKeys("accuracy", "nll", "ece");
        assertThat(after).containsKeys("accuracy", "nll", "ece");
        assertThat(after.get("accuracy")).isCloseTo(before.get("accuracy"), within(1.0 / 200));

        // the calibrated file is the ticket's with the output layer divided by T, and the same mask
        assertThat(calibrated.path("artifacts").path("mask").path("sha256").asString())
                .isEqualTo(evaluated.path("artifacts").path("mask").path("sha256").asString());
        HttpResponse<byte[]> original = api.download("api/v1/tickets/" + ticketId + "/weights", member, null);
        HttpResponse<byte[]> scaled = api.download("api/v1/tickets/" + calibratedId + "/weights", member, null);
        float[] fc3 = floats(original.body(), "fc3.weight");
        float[] fc3Scaled = floats(scaled.body(), "fc3.weight");
        for (int i = 0; i < fc3.length; i += 97) {
            assertThat((double) fc3Scaled[i]).isCloseTo(fc3[i] / temperature, within(1e-6 + 1e-6 * Math.abs(fc3[i])));
        }
        // equal values (a pruned weight may come back as +0 where the file had -0)
        assertThat(floats(scaled.body(), "fc1.weight")).containsExactly(floats(original.body(), "fc1.weight"),
                within(0f));

        JsonNode lineage = api.call("GET", "api/v1/experiments/" + experimentId + "/lineage", member, null, 200);
        boolean edge = false;
        for (JsonNode e : lineage.path("edges")) {
            edge |= e.path("to").asString().equals(calibratedId) && e.path("kind").asString().equals("calibrate");
        }
        assertThat(edge).as("lineage has the calibrate edge").isTrue();
    }
}
