package io.ticketfoundry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.common.safetensors.SafeTensors;
import io.ticketfoundry.common.safetensors.SafeTensorsReader;
import io.ticketfoundry.common.safetensors.Tensor;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.SyntheticIdx;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The whole spine: ticket-api on real PostgreSQL, one trainer worker talking to it over HTTP with a
 * worker token, an experiment submitted by a team member, two IMP levels after the dense one on
 * generated IDX data, masks downloaded and checked against the tickets' reports.
 */
class LotteryEndToEndTest {

    @RegisterExtension
    static final Deployment DEPLOYMENT = new Deployment("e2e");

    private static FoundryApi api;

    @BeforeAll
    static void start() throws Exception {
        api = DEPLOYMENT.api();
        SyntheticIdx.write(DEPLOYMENT.datasets(), DatasetInfo.FASHION_MNIST, 2000, 500, 7, true);
    }

    @Test
    void aCancelledJobStopsOnTheWorkerAndMakesNoTicket() throws Exception {
        String member = api.member("e2e-cancel", "bob");
        Map<String, Object> spec = Map.of("dataset", "fashion-mnist",
                "training", Map.of("epochs", 5000, "batchSize", 32), "pruning", Map.of("levels", 1));
        String experimentId = api.call("POST", "api/v1/experiments", member,
                Map.of("name", "long run", "spec", spec), 201).path("id").asString();

        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        JsonNode job = null;
        while (Instant.now().isBefore(deadline)) {
            job = api.jobs(experimentId, member).get(0);
            if ("train".equals(job.path("progress").path("phase").asString())) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(job.path("progress").path("phase").asString()).as("the job reached training").isEqualTo("train");
        String jobId = job.path("id").asString();

        api.call("POST", "api/v1/jobs/" + jobId + "/cancel", member, null, 200);
        Instant cancelled = Instant.now();
        String status = "leased";
        while (Instant.now().isBefore(cancelled.plusSeconds(30)) && !status.equals("cancelled")) {
            Thread.sleep(100);
            status = api.call("GET", "api/v1/jobs/" + jobId, member, null, 200).path("status").asString();
        }
        assertThat(status).isEqualTo("cancelled");
        assertThat(api.call("GET", "api/v1/experiments/" + experimentId + "/tickets", member, null, 200).path("items")).isEmpty();
        assertThat(api.call("GET", "api/v1/experiments/" + experimentId, member, null, 200).path("status").asString())
                .isEqualTo("cancelled");
    }

    @Test
    void anExperimentBecomesThreeTicketsWhoseMasksDownloadAndMatchTheirReports() throws Exception {
        String member = api.member("e2e", "alice");

        Map<String, Object> spec = Map.of(
                "model", "lenet-300-100",
                "dataset", "fashion-mnist",
                "training", Map.of("optimizer", "sgd", "learningRate", 0.05, "batchSize", 64, "epochs", 2),
                "pruning", Map.of("scope", "global", "fraction", 0.2, "levels", 2, "layerFractions", Map.of("fc3.weight", 0.1)),
                "rewind", Map.of("step", 10, "unit", "iterations"));
        JsonNode experiment = api.call("POST", "api/v1/experiments", member,
                Map.of("name", "e2e lenet", "spec", spec, "seeds", List.of(3)), 201);
        String experimentId = experiment.path("id").asString();

        api.awaitJobsSucceeded(experimentId, member, 3, Duration.ofMinutes(6), () -> "");

        List<JsonNode> tickets = api.tickets(experimentId, member);
        assertThat(tickets).extracting(t -> t.path("level").asInt()).containsExactly(0, 1, 2);

        long prunable = 784 * 300 + 300 * 100 + 100 * 10;
        byte[] previousMask = null;
        String rewind = null;
        for (JsonNode ticket : tickets) {
            int level = ticket.path("level").asInt();
            assertThat(ticket.path("prunable").path("total").asLong()).isEqualTo(prunable);
            assertThat(ticket.path("allParameters").path("total").asLong()).isEqualTo(prunable + 300 + 100 + 10);
            assertThat(ticket.path("allParameters").path("remaining").asLong())
                    .isEqualTo(ticket.path("prunable").path("remaining").asLong() + 300 + 100 + 10);
            if (level > 0) {
                assertThat(ticket.path("parentTicketId").asString()).isEqualTo(tickets.get(level - 1).path("id").asString());
            }
            String ticketRewind = ticket.path("artifacts").path("rewind").path("sha256").asString();
            if (rewind == null) {
                rewind = ticketRewind;
            }
            assertThat(ticketRewind).as("one rewind point for the lineage").isEqualTo(rewind);
            assertThat(metric(ticket, "accuracy")).as("accuracy at level " + level).isGreaterThan(0.5);
            assertThat(metric(ticket, "ece")).isBetween(0.0, 1.0);
            assertThat(metric(ticket, "nll")).isPositive();
            assertThat(metric(ticket, "brier")).isBetween(0.0, 2.0);

            HttpResponse<byte[]> download = api.download("api/v1/tickets/" + ticket.path("id").asString() + "/mask", member, null);
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.headers().firstValue("ETag")).hasValue("\"" + QueueFixtures.sha256(download.body()) + "\"");
            Path maskFile = Files.write(DEPLOYMENT.scratch("masks").resolve("mask-" + level + ".safetensors"), download.body());
            SafeTensors mask = SafeTensorsReader.read(maskFile);

            assertThat(mask.names()).containsExactlyInAnyOrder("fc1.weight", "fc2.weight", "fc3.weight");
            byte[] flat = new byte[(int) prunable];
            int offset = 0;
            long kept = 0;
            for (String name : List.of("fc1.weight", "fc2.weight", "fc3.weight")) {
                Tensor tensor = mask.get(name);
                assertThat(tensor.dtype().name()).isEqualTo("U8");
                byte[] values = tensor.rawData();
                for (byte value : values) {
                    assertThat(value == 0 || value == 1).as("mask values are 0/1").isTrue();
                    kept += value;
                }
                System.arraycopy(values, 0, flat, offset, values.length);
                offset += values.length;
            }
            assertThat(mask.get("fc1.weight").shape()).containsExactly(300L, 784L);
            assertThat(mask.get("fc3.weight").shape()).containsExactly(10L, 100L);
            assertThat(kept).isEqualTo(ticket.path("prunable").path("remaining").asLong());
            assertThat(download.headers().firstValue("ETag"))
                    .hasValue("\"" + ticket.path("artifacts").path("mask").path("sha256").asString() + "\"");
            if (previousMask != null) {
                for (int i = 0; i < flat.length; i++) {
                    assertThat(flat[i] <= previousMask[i]).as("a pruned weight never comes back").isTrue();
                }
            }
            previousMask = flat;
        }
        long fc3Kept = 0;
        // level 2 of fc3 (1000 weights, 10% a level): 1000 - 100 = 900, then 900 - 90 = 810
        byte[] fc3 = SafeTensorsReader.read(DEPLOYMENT.scratch("masks").resolve("mask-2.safetensors")).get("fc3.weight").rawData();
        for (byte value : fc3) {
            fc3Kept += value;
        }
        assertThat(fc3Kept).isEqualTo(810);

        String last = tickets.get(2).path("id").asString();
        HttpResponse<byte[]> range = api.download("api/v1/tickets/" + last + "/weights", member, "bytes=0-7");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).hasSize(8);

        JsonNode lineage = api.call("GET", "api/v1/experiments/" + experimentId + "/lineage", member, null, 200);
        assertThat(lineage.path("nodes")).hasSize(3);
        assertThat(lineage.path("edges")).hasSize(2);
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
