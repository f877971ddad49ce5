package io.ticketfoundry.api.mask;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.support.QueueTestBase;
import io.ticketfoundry.common.protocol.CompleteRequest;
import io.ticketfoundry.common.protocol.LayerDensity;
import io.ticketfoundry.common.protocol.Lease;
import io.ticketfoundry.common.protocol.TicketReport;
import io.ticketfoundry.common.safetensors.SafeTensorsReader;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Uploading masks made elsewhere, and retraining them through transfer jobs. */
class MaskFlowTest extends QueueTestBase {

    private static final String LENET = "lenet-300-100";

    QueueFixtures.Team team;
    Map<String, float[]> values;
    byte[] maskFile;

    @BeforeEach
    void setUp() {
        team = fx.team();
        values = MaskFiles.randomMask(LENET, 10, 0.1, 11);
        maskFile = MaskFiles.asF32(LENET, 10, values);
    }

    private HttpResponse<String> upload(String token, Map<String, String> fields, Map<String, byte[]> files) {
        return fx.postMultipart(token, "/api/v1/masks", fields, files);
    }

    @Test
    void anUploadedMaskIsTheTeamsAndTheSameFilesGiveTheSameMask() throws Exception {
        HttpResponse<String> created = upload(team.memberToken(), Map.of("model", LENET, "name", "from my pytorch run",
                "description", "IMP level 10, open_lth"), Map.of("file", maskFile));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode mask = fx.tree(created);
        assertThat(mask.path("model").asString()).isEqualTo(LENET);
        assertThat(mask.path("numClasses").asInt()).isEqualTo(10);
        assertThat(mask.path("prunable").path("total").asLong()).isEqualTo(266_200);
        assertThat(mask.path("prunable").path("remaining").asLong()).isEqualTo(MaskFiles.kept(values));
        assertThat(mask.path("layers").path("fc3.weight").path("total").asLong()).isEqualTo(1_000);
        assertThat(mask.path("uploadedSha256").asString()).isEqualTo(QueueFixtures.sha256(maskFile));
        assertThat(mask.path("weights").isNull()).isTrue();
        String id = mask.path("id").asString();

        HttpResponse<String> again = upload(team.memberToken(), Map.of("model", LENET),
                Map.of("file", MaskFiles.asBool(LENET, 10, values)));
        assertThat(again.statusCode()).as("the same mask in another dtype").isEqualTo(200);
        assertThat(fx.tree(again).path("id").asString()).isEqualTo(id);

        HttpResponse<byte[]> file = fx.getBytes(team.viewerToken(), "/api/v1/masks/" + id + "/file");
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(SafeTensorsReader.read(file.body()).names()).containsExactly("fc1.weight", "fc2.weight", "fc3.weight");
        assertThat(fx.get(team.viewerToken(), "/api/v1/masks/" + id + "/weights").statusCode()).isEqualTo(404);
        List<String> listed = new ArrayList<>();
        fx.tree(fx.get(team.viewerToken(), "/api/v1/masks")).forEach(m -> listed.add(m.path("id").asString()));
        assertThat(listed).containsExactly(id);

        QueueFixtures.Team other = fx.team();
        assertThat(fx.get(other.viewerToken(), "/api/v1/masks/" + id).statusCode()).isEqualTo(404);
        assertThat(fx.get(other.viewerToken(), "/api/v1/masks/" + id + "/file").statusCode()).isEqualTo(404);
        assertThat(fx.tree(fx.get(other.viewerToken(), "/api/v1/masks")).size()).isZero();
    }

    @Test
    void badUploadsNameThePartAndTensorAndStoreNothing() {
        long before = jdbc.sql("SELECT count(*) FROM uploaded_mask").query(Long.class).single();
        Map<String, float[]> wrong = MaskFiles.randomMask(LENET, 10, 0.5, 12);
        wrong.get("fc2.weight")[5] = 2f;
        wrong.remove("fc3.weight");
        assertThat(fx.problemFields(upload(team.memberToken(), Map.of("model", LENET, "numClasses", "10"),
                Map.of("file", MaskFiles.asF32(LENET, 10, wrong)))))
                .containsExactlyInAnyOrder("file[\"fc2.weight\"]", "file[\"fc3.weight\"]");
        assertThat(fx.problemFields(upload(team.memberToken(), Map.of(), Map.of("file", maskFile))))
                .containsExactly("model");
        assertThat(fx.problemFields(upload(team.memberToken(), Map.of("model", "lenet-5"), Map.of("file", maskFile))))
                .contains("file[\"conv1.weight\"]", "file[\"fc1.weight\"]");
        assertThat(fx.problemFields(upload(team.memberToken(), Map.of("model", LENET), Map.of("file", new byte[] {1, 2}))))
                .containsExactly("file");
        assertThat(fx.problemFields(upload(team.memberToken(), Map.of("model", LENET),
                Map.of("file", maskFile, "weights", MaskFiles.weights("lenet-5", 10, 1))))).contains("weights[\"conv1.weight\"]");
        assertThat(jdbc.sql("SELECT count(*) FROM uploaded_mask").query(Long.class).single()).isEqualTo(before);
        assertThat(upload(team.viewerToken(), Map.of("model", LENET), Map.of("file", maskFile)).statusCode())
                .isEqualTo(403);
    }

    @Test
    void aTransferOfTheMaskRetrainsItPerSeedWithItsRandomTwin() {
        String pool = QueueFixtures.uniquePool();
        byte[] weights = MaskFiles.weights(LENET, 10, 5);
        JsonNode mask = fx.tree(upload(team.memberToken(), Map.of("model", LENET, "name", "with weights"),
                Map.of("file", maskFile, "weights", weights)));
        String maskId = mask.path("id").asString();
        assertThat(mask.path("weights").path("sha256").asString()).isEqualTo(QueueFixtures.sha256(weights));

        String path = "/api/v1/masks/" + maskId + "/transfers";
        Map<String, Object> request = Map.of("dataset", "fashion-mnist", "seeds", List.of(0, 1), "randomTickets", true,
                "spec", Map.of("training", Map.of("epochs", 1, "learningRate", 0.05)));
        HttpResponse<String> created = fx.post(team.memberToken(), path, request);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode experiment = fx.tree(created);
        JsonNode resolved = experiment.path("resolvedSpec");
        assertThat(resolved.path("model").asString()).isEqualTo(LENET);
        assertThat(resolved.path("dataset").asString()).isEqualTo("fashion-mnist");
        assertThat(resolved.path("transfer").path("sourceMask").asString()).isEqualTo(maskId);
        assertThat(resolved.path("training").path("learningRate").asDouble()).isEqualTo(0.05);
        assertThat(fx.post(team.memberToken(), path, request).statusCode()).isEqualTo(200);

        UUID experimentId = UUID.fromString(experiment.path("id").asString());
        assertThat(jdbc.sql("SELECT kind || ':' || seed || ':' || level FROM job WHERE experiment_id = :e ORDER BY 1")
                .param("e", experimentId).query(String.class).list())
                .containsExactly("transfer-random:0:0", "transfer-random:1:0", "transfer:0:0", "transfer:1:0");

        // the jobs go to the default pool; this test's worker serves its own
        jdbc.sql("UPDATE job SET pool = :pool WHERE experiment_id = :e").param("pool", pool).param("e", experimentId)
                .update();
        String worker = fx.workerToken(pool);
        Random random = new Random(9);
        List<UUID> tickets = new ArrayList<>();
        Lease lease;
        while ((lease = leaseOf(worker, experimentId)) != null) {
            assertThat(lease.inputs().parentTicketId()).isNull();
            assertThat(lease.inputs().parentMaskSha256()).isEqualTo(mask.path("mask").path("sha256").asString());
            assertThat(lease.inputs().rewindSha256()).isEqualTo(QueueFixtures.sha256(weights));
            assertThat(lease.inputs().parentWeightsSha256()).isNull();
            HttpResponse<byte[]> input = fx.getBytes(worker, "/api/v1/worker/jobs/" + lease.jobId() + "/artifacts/"
                    + lease.inputs().rewindSha256(), io.ticketfoundry.common.protocol.WorkerHeaders.FENCING_TOKEN,
                    Long.toString(lease.fencingToken()));
            assertThat(input.body()).isEqualTo(weights);
            TicketReport report = new TicketReport(0, fx.uploadRandom(worker, lease, random),
                    fx.uploadRandom(worker, lease, random), fx.uploadRandom(worker, lease, random), 266_200, 26_620,
                    266_610, 27_030, Map.of("fc1.weight", new LayerDensity(235_200, 23_520)), List.of(), Map.of());
            HttpResponse<String> done = fx.post(worker, "/api/v1/worker/jobs/" + lease.jobId() + "/complete",
                    new CompleteRequest(lease.fencingToken(), report));
            assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
            tickets.add(UUID.fromString(fx.tree(done).path("ticketId").asString()));
        }
        assertThat(tickets).hasSize(4);
        for (UUID ticket : tickets) {
            JsonNode view = fx.tree(fx.get(team.viewerToken(), "/api/v1/tickets/" + ticket));
            assertThat(view.path("sourceMaskId").asString()).isEqualTo(maskId);
            assertThat(view.path("parentTicketId").isNull()).isTrue();
        }
        JsonNode lineage = fx.tree(fx.get(team.viewerToken(), "/api/v1/experiments/" + experimentId + "/lineage"));
        assertThat(lineage.path("nodes")).allSatisfy(node -> assertThat(node.path("sourceMaskId").asString())
                .isEqualTo(maskId));
    }

    @Test
    void aFailedMaskTransferIsRetriedFromTheSameMask() {
        String maskId = fx.tree(upload(team.memberToken(), Map.of("model", LENET), Map.of("file", maskFile)))
                .path("id").asString();
        JsonNode experiment = fx.tree(fx.post(team.memberToken(), "/api/v1/masks/" + maskId + "/transfers",
                Map.of("dataset", "mnist")));
        UUID job = jdbc.sql("SELECT id FROM job WHERE experiment_id = :e")
                .param("e", UUID.fromString(experiment.path("id").asString())).query(UUID.class).single();
        jdbc.sql("UPDATE job SET status = 'failed', last_error = 'boom', finished_at = now() WHERE id = :id")
                .param("id", job).update();
        HttpResponse<String> retried = fx.post(team.memberToken(), "/api/v1/jobs/" + job + "/retry", null);
        assertThat(retried.statusCode()).as(retried.body()).isIn(200, 201);
        UUID again = UUID.fromString(fx.tree(retried).path("id").asString());
        assertThat(jdbc.sql("SELECT source_mask_id FROM job WHERE id = :id").param("id", again).query(UUID.class).single())
                .isEqualTo(UUID.fromString(maskId));
        assertThat(jdbc.sql("SELECT count(*) FROM job_artifact WHERE job_id = :id AND role = 'input'").param("id", again)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void badMaskTransfersNameTheirFields() {
        String maskId = fx.tree(upload(team.memberToken(), Map.of("model", LENET), Map.of("file", maskFile)))
                .path("id").asString();
        String path = "/api/v1/masks/" + maskId + "/transfers";
        long before = jdbc.sql("SELECT count(*) FROM experiment").query(Long.class).single();
        assertThat(fx.problemFields(fx.post(team.memberToken(), path, Map.of("randomTickets", 1, "colour", 1))))
                .containsExactlyInAnyOrder("dataset", "randomTickets", "colour");
        assertThat(fx.problemFields(fx.post(team.memberToken(), path,
                Map.of("dataset", "mnist", "spec", Map.of("model", "resnet-20"))))).containsExactly("spec.model");
        assertThat(fx.problemFields(fx.post(team.memberToken(), path, Map.of("dataset", "cifar10"))))
                .containsExactly("dataset");
        assertThat(fx.problemFields(fx.post(team.memberToken(), path,
                Map.of("dataset", "mnist", "spec", Map.of("controls", List.of("reinit")))))).containsExactly("spec.controls");
        assertThat(fx.problemFields(fx.post(team.memberToken(), path,
                Map.of("dataset", "mnist", "spec", Map.of("training", Map.of("epochs", 0))))))
                .containsExactly("spec.training.epochs");
        assertThat(jdbc.sql("SELECT count(*) FROM experiment").query(Long.class).single()).isEqualTo(before);
        assertThat(fx.post(team.viewerToken(), path, Map.of("dataset", "mnist")).statusCode()).isEqualTo(403);
        assertThat(fx.post(fx.team().memberToken(), path, Map.of("dataset", "mnist")).statusCode()).isEqualTo(404);
        assertThat(fx.post(team.memberToken(), "/api/v1/masks/" + UUID.randomUUID() + "/transfers",
                Map.of("dataset", "mnist")).statusCode()).isEqualTo(404);
    }

    private Lease leaseOf(String worker, UUID experimentId) {
        long queued = jdbc.sql("SELECT count(*) FROM job WHERE experiment_id = :e AND status = 'queued'")
                .param("e", experimentId).query(Long.class).single();
        return queued == 0 ? null : fx.lease(worker);
    }
}
