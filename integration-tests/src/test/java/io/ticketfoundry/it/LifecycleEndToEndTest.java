package io.ticketfoundry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.common.safetensors.SafeTensorsReader;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.SyntheticIdx;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Trained tickets through their whole life: a lineage found by a real worker is transferred, exported
 * and imported by another team, and deleted; the transfer keeps tombstones of its sources, the imported
 * copy keeps its (shared) files after both originals are gone, and its masks load as safetensors.
 */
class LifecycleEndToEndTest {

    @RegisterExtension
    static final Deployment DEPLOYMENT = new Deployment("e2e-lifecycle");

    private static FoundryApi api;

    @BeforeAll
    static void start() throws Exception {
        api = DEPLOYMENT.api();
        SyntheticIdx.write(DEPLOYMENT.datasets(), DatasetInfo.MNIST, 300, 100, 51, false);
        SyntheticIdx.write(DEPLOYMENT.datasets(), DatasetInfo.FASHION_MNIST, 300, 100, 52, false);
    }

    @Test
    void trainedTicketsAreTransferredExportedImportedAndDeleted() throws Exception {
        String owner = api.member("e2e-lifecycle-owner", "olga");
        String other = api.member("e2e-lifecycle-other", "otto");
        Map<String, Object> training = Map.of("optimizer", "sgd", "learningRate", 0.05, "batchSize", 50, "epochs", 1);
        JsonNode source = api.call("POST", "api/v1/experiments", owner, Map.of("name", "source",
                "spec", Map.of("dataset", "mnist", "training", training, "pruning", Map.of("levels", 1))), 201);
        String sourceId = source.path("id").asString();
        List<JsonNode> found = api.awaitTickets(sourceId, owner, 2, Duration.ofMinutes(3));
        JsonNode pruned = found.stream().filter(t -> t.path("level").asInt() == 1).findFirst().orElseThrow();
        String prunedId = pruned.path("id").asString();
        String targetId = api.call("POST", "api/v1/tickets/" + prunedId + "/transfers", owner,
                Map.of("dataset", "fashion-mnist"), 201).path("experiment").path("id").asString();
        JsonNode transferred = api.awaitTickets(targetId, owner, 1, Duration.ofMinutes(3)).get(0);

        HttpResponse<byte[]> exported = api.download("api/v1/experiments/" + sourceId + "/export", owner, null);
        assertThat(exported.statusCode()).isEqualTo(200);
        Map<String, byte[]> files = entries(exported.body());
        JsonNode copy = api.postMultipart("api/v1/imports", other, Map.of(),
                Map.of("archive", Map.entry("source.zip", exported.body())), 201);
        Map<String, String> originalOf = new HashMap<>();
        copy.path("replacedTicketIds").properties().forEach(e -> originalOf.put(e.getValue().asString(), e.getKey()));
        String copyId = copy.path("experiment").path("id").asString();

        api.call("DELETE", "api/v1/experiments/" + sourceId, owner, null, 200);
        JsonNode tombstone = api.call("GET", "api/v1/tickets/" + prunedId, owner, null, 200);
        assertThat(tombstone.path("tombstone").asBoolean()).isTrue();
        assertThat(tombstone.path("metrics")).isNotEmpty();
        assertThat(api.download("api/v1/tickets/" + prunedId + "/mask", owner, null).statusCode()).isEqualTo(410);
        assertThat(api.call("GET", "api/v1/tickets/" + transferred.path("id").asString(), owner, null, 200)
                .path("parentTicketId").asString()).isEqualTo(prunedId);
        api.call("DELETE", "api/v1/experiments/" + targetId, owner, null, 200);
        api.call("GET", "api/v1/experiments/" + sourceId, owner, null, 404);

        // the other team's copy: the same tickets, their masks byte-identical and still there
        List<JsonNode> copied = api.tickets(copyId, other);
        assertThat(copied).hasSize(2);
        for (JsonNode ticket : copied) {
            JsonNode original = found.stream()
                    .filter(t -> t.path("id").asString().equals(originalOf.get(ticket.path("id").asString())))
                    .findFirst().orElseThrow();
            assertThat(ticket.path("metrics")).isEqualTo(withJobIds(original.path("metrics"), ticket.path("metrics")));
            byte[] mask = api.download("api/v1/tickets/" + ticket.path("id").asString() + "/mask", other, null).body();
            assertThat(mask).isEqualTo(files.get("artifacts/" + original.path("artifacts").path("mask").path("sha256")
                    .asString()));
            assertThat(SafeTensorsReader.read(mask).names()).contains("fc1.weight");
            String parent = ticket.path("parentTicketId").isNull() ? null : originalOf.get(ticket.path("parentTicketId").asString());
            assertThat(parent).isEqualTo(original.path("parentTicketId").isNull() ? null
                    : original.path("parentTicketId").asString());
        }
    }

    /** The original metrics with the copy's job ids (an import's metrics name the import's jobs). */
    private static JsonNode withJobIds(JsonNode original, JsonNode copy) {
        JsonNode out = original.deepCopy();
        for (int i = 0; i < out.size(); i++) {
            ((tools.jackson.databind.node.ObjectNode) out.get(i)).set("jobId", copy.get(i).path("jobId"));
        }
        return out;
    }

    private static Map<String, byte[]> entries(byte[] archive) throws Exception {
        Map<String, byte[]> out = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                out.put(entry.getName(), zip.readAllBytes());
            }
        }
        return out;
    }
}
