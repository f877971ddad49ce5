package io.ticketfoundry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.common.model.StateDictTable;
import io.ticketfoundry.common.safetensors.DType;
import io.ticketfoundry.common.safetensors.SafeTensors;
import io.ticketfoundry.common.safetensors.SafeTensorsReader;
import io.ticketfoundry.common.safetensors.SafeTensorsWriter;
import io.ticketfoundry.common.safetensors.Tensor;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.SyntheticIdx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A lineage of IMP tickets found on one dataset transferred, with random tickets of the same
 * layer densities beside them, to another: the transferred tickets keep their sources' masks
 * exactly, the random ones their per-layer counts, and both learn the target. Masks made elsewhere
 * are uploaded and retrained the same way.
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

    /** A float32 mask of about {@code density} per prunable tensor (the output layer dense), as PyTorch code saves one. */
    private static byte[] foreignMask(StateDictTable table, double density, long seed) {
        Random random = new Random(seed);
        List<Tensor> tensors = new ArrayList<>();
        for (StateDictTable.Entry entry : table.prunable()) {
            float[] values = new float[Math.toIntExact(entry.elementCount())];
            boolean output = entry.name().equals(table.outputWeight().name());
            for (int i = 0; i < values.length; i++) {
                values[i] = output || random.nextDouble() < density ? 1f : 0f;
            }
            tensors.add(Tensor.ofFloats(entry.name(), entry.shape(), values));
        }
        return SafeTensorsWriter.toBytes(new SafeTensors(Map.of("format", "pt"), tensors));
    }

    /** Kaiming-normal weights for the whole state_dict (fresh BatchNorm buffers), as PyTorch code would save them. */
    private static byte[] foreignWeights(StateDictTable table, long seed) {
        Random random = new Random(seed);
        List<Tensor> tensors = new ArrayList<>();
        for (StateDictTable.Entry entry : table.entries()) {
            int n = Math.toIntExact(entry.elementCount());
            if (entry.dtype() == DType.I64) {
                tensors.add(Tensor.ofLongs(entry.name(), entry.shape(), new long[n]));
                continue;
            }
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = entry.prunable() ? (float) (random.nextGaussian() * Math.sqrt(2.0 / entry.fanIn()))
                        : (float) entry.initialValue();
            }
            tensors.add(Tensor.ofFloats(entry.name(), entry.shape(), values));
        }
        return SafeTensorsWriter.toBytes(new SafeTensors(Map.of("format", "pt"), tensors));
    }

    @Test
    void aMaskMadeElsewhereIsUploadedAndRetrainedWithItsWeightsOrFromAFreshStart() throws Exception {
        String member = api.member("e2e-masks", "uma");
        StateDictTable lenet = StateDictTable.of("lenet-300-100", 10);
        byte[] maskFile = foreignMask(lenet, 0.2, 5);
        byte[] weightsFile = foreignWeights(lenet, 6);
        JsonNode mask = api.postMultipart("api/v1/masks", member, Map.of("model", "lenet-300-100", "name", "pytorch mask"),
                Map.of("file", Map.entry("mask.safetensors", maskFile),
                        "weights", Map.entry("init.safetensors", weightsFile)), 201);
        String maskId = mask.path("id").asString();

        JsonNode experiment = api.call("POST", "api/v1/masks/" + maskId + "/transfers", member, Map.of(
                "dataset", "fashion-mnist", "randomTickets", true, "spec", Map.of("training",
                        Map.of("optimizer", "sgd", "learningRate", 0.05, "batchSize", 50, "epochs", 3))), 201);
        List<JsonNode> tickets = api.awaitTickets(experiment.path("id").asString(), member, 2, Duration.ofMinutes(3));
        SafeTensors uploaded = SafeTensorsReader.read(maskFile);
        SafeTensors start = SafeTensorsReader.read(weightsFile);
        for (JsonNode ticket : tickets) {
            assertThat(ticket.path("sourceMaskId").asString()).isEqualTo(maskId);
            assertThat(accuracy(ticket)).as(ticket.path("kind").asString()).isGreaterThan(0.5);
            mask.path("layers").properties().forEach(layer -> assertThat(
                    ticket.path("layers").path(layer.getKey()).path("remaining").asLong()).as(layer.getKey())
                    .isEqualTo(layer.getValue().path("remaining").asLong()));
            SafeTensors kept = mask(ticket, member);
            boolean same = true;
            for (String name : uploaded.names()) {
                float[] values = uploaded.get(name).toFloatArray();
                byte[] bits = kept.get(name).toByteArray();
                for (int i = 0; i < values.length; i++) {
                    same &= bits[i] == (values[i] == 1f ? 1 : 0);
                }
            }
            SafeTensors rewind = SafeTensorsReader.read(api.download("api/v1/tickets/" + ticket.path("id").asString()
                    + "/rewind", member, null).body());
            for (String name : start.names()) {
                assertThat(rewind.get(name).rawData()).as("the uploaded weights are the rewind point: " + name)
                        .isEqualTo(start.get(name).rawData());
            }
            assertThat(same).as(ticket.path("kind").asString() + " keeps the uploaded mask")
                    .isEqualTo(ticket.path("kind").asString().equals("transfer"));
        }

        // a 100-class mask without weights, retrained on a 10-class dataset: a fresh start, the output layer re-made dense
        StateDictTable wide = StateDictTable.of("lenet-300-100", 100);
        JsonNode wideMask = api.postMultipart("api/v1/masks", member, Map.of("model", "lenet-300-100"),
                Map.of("file", Map.entry("cifar100-lenet.safetensors", foreignMask(wide, 0.3, 7))), 201);
        assertThat(wideMask.path("numClasses").asInt()).isEqualTo(100);
        JsonNode fresh = api.call("POST", "api/v1/masks/" + wideMask.path("id").asString() + "/transfers", member,
                Map.of("dataset", "mnist", "spec", Map.of("training", Map.of("learningRate", 0.05, "batchSize", 50,
                        "epochs", 2))), 201);
        JsonNode ticket = api.awaitTickets(fresh.path("id").asString(), member, 1, Duration.ofMinutes(3)).get(0);
        assertThat(ticket.path("provenance").path("outputLayer").asString()).startsWith("re-initialised");
        assertThat(ticket.path("provenance").path("transferFrom").asString()).contains("initialised by the spec");
        assertThat(ticket.path("layers").path("fc3.weight").path("remaining").asLong()).isEqualTo(1_000);
        assertThat(ticket.path("layers").path("fc1.weight").path("remaining").asLong())
                .isEqualTo(wideMask.path("layers").path("fc1.weight").path("remaining").asLong());
        assertThat(accuracy(ticket)).isGreaterThan(0.5);
    }
}
