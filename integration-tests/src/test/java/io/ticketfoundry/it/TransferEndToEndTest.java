package io.ticketfoundry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.common.safetensors.SafeTensors;
import io.ticketfoundry.common.safetensors.SafeTensorsReader;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.SyntheticIdx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A lineage of IMP tickets found on one dataset transferred, with random tickets of the same
 * layer densities beside them, to another: the transferred tickets keep their sources' masks
 * exactly, the random ones their per-layer counts, and both learn the target.
 */
class TransferEndToEndTest {

    @RegisterExtension
    static final Deployment DEPLOYMENT = new Deployment("e2e-transfer");

    private static FoundryApi api;

    @BeforeAll
    static void start() throws Exception {
        api = DEPLOYMENT.api();
        SyntheticIdx.write(DEPLOYMENT.datasets(), DatasetInfo.MNIST, 400, 200, 41, false);
        SyntheticIdx.write(DEPLOYMENT.datasets(), DatasetInfo.FASHION_MNIST, 400, 200, 42, false);
    }

    private static SafeTensors mask(JsonNode ticket, String token) throws Exception {
        return SafeTensorsReader.read(api.download("api/v1/tickets/" + ticket.path("id").asString() + "/mask", token, null)
                .body());
    }

    private static double accuracy(JsonNode ticket) {
        for (JsonNode metric : ticket.path("metrics")) {
            if (metric.path("name").asString().equals("accuracy")) {
                return metric.path("value").asDouble();
            }
        }
        return -1;
    }

    @Test
    void aLineageFoundOnMnistIsRetrainedOnFashionMnistWithRandomTicketsBesideIt() throws Exception {
        String member = api.member("e2e-transfer", "tom");
        Map<String, Object> training = Map.of("optimizer", "sgd", "learningRate", 0.05, "batchSize", 50, "epochs", 2);
        JsonNode source = api.call("POST", "api/v1/experiments", member, Map.of("name", "source on mnist",
                "spec", Map.of("dataset", "mnist", "training", training, "pruning", Map.of("levels", 1))), 201);
        List<JsonNode> found = api.awaitTickets(source.path("id").asString(), member, 2, Duration.ofMinutes(3));
        JsonNode pruned = found.stream().filter(t -> t.path("level").asInt() == 1).findFirst().orElseThrow();

        JsonNode transfer = api.call("POST", "api/v1/tickets/" + pruned.path("id").asString() + "/transfers", member,
                Map.of("dataset", "fashion-mnist", "lineage", true, "randomTickets", true,
                        "training", Map.of("epochs", 3)), 201).path("experiment");
        assertThat(transfer.path("resolvedSpec").path("dataset").asString()).isEqualTo("fashion-mnist");
        assertThat(transfer.path("resolvedSpec").path("training").path("epochs").asInt()).isEqualTo(3);
        assertThat(transfer.path("resolvedSpec").path("transfer").path("sourceTickets")).hasSize(2);
        String experimentId = transfer.path("id").asString();
        List<JsonNode> tickets = api.awaitTickets(experimentId, member, 4, Duration.ofMinutes(3));
        assertThat(tickets).hasSize(4);

        for (JsonNode ticket : tickets) {
            JsonNode sourceTicket = found.stream()
                    .filter(t -> t.path("id").asString().equals(ticket.path("parentTicketId").asString()))
                    .findFirst().orElseThrow();
            assertThat(ticket.path("level").asInt()).isEqualTo(sourceTicket.path("level").asInt());
            assertThat(ticket.path("prunable").path("remaining").asLong())
                    .as("same class count: every layer keeps the source's count")
                    .isEqualTo(sourceTicket.path("prunable").path("remaining").asLong());
            sourceTicket.path("layers").properties().forEach(layer -> assertThat(
                    ticket.path("layers").path(layer.getKey()).path("remaining").asLong()).as(layer.getKey())
                    .isEqualTo(layer.getValue().path("remaining").asLong()));
            assertThat(accuracy(ticket)).as(ticket.path("kind").asString() + " level " + ticket.path("level").asInt())
                    .isGreaterThan(0.5);
            if (ticket.path("kind").asString().equals("transfer")) {
                SafeTensors mask = mask(ticket, member);
                SafeTensors sourceMask = mask(sourceTicket, member);
                for (String name : sourceMask.names()) {
                    assertThat(mask.get(name).rawData()).as("a transfer keeps its source's mask: " + name)
                            .isEqualTo(sourceMask.get(name).rawData());
                }
            } else {
                assertThat(ticket.path("kind").asString()).isEqualTo("transfer-random");
            }
            assertThat(ticket.path("provenance").path("outputLayer").asString()).isEqualTo("the source's mask and weights");
        }

        JsonNode lineage = api.call("GET", "api/v1/experiments/" + experimentId + "/lineage", member, null, 200);
        long transferEdges = 0;
        for (JsonNode edge : lineage.path("edges")) {
            transferEdges += edge.path("kind").asString().equals("transfer") ? 1 : 0;
        }
        assertThat(transferEdges).isEqualTo(4);
        // the same transfer again is the same experiment
        JsonNode again = api.call("POST", "api/v1/tickets/" + pruned.path("id").asString() + "/transfers", member,
                Map.of("dataset", "fashion-mnist", "lineage", true, "randomTickets", true,
                        "training", Map.of("epochs", 3)), 200).path("experiment");
        assertThat(again.path("id").asString()).isEqualTo(experimentId);
    }
}
