package io.ticketfoundry.api.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.artifact.FilesystemArtifactStore;
import io.ticketfoundry.api.config.FoundryProperties;
import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.support.QueueTestBase;
import io.ticketfoundry.common.protocol.ArtifactReceipt;
import io.ticketfoundry.common.protocol.CompleteRequest;
import io.ticketfoundry.common.protocol.LayerDensity;
import io.ticketfoundry.common.protocol.Lease;
import io.ticketfoundry.common.protocol.LeaseRequest;
import io.ticketfoundry.common.protocol.MetricReport;
import io.ticketfoundry.common.protocol.SnapshotReport;
import io.ticketfoundry.common.protocol.TicketReport;
import io.ticketfoundry.common.protocol.WorkerHeaders;
import io.ticketfoundry.common.spec.ExperimentSpec;
import io.ticketfoundry.common.spec.PruningSpec;
import io.ticketfoundry.common.spec.SparseTrainingSpec;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** Uploads, completion, tickets, lineage and downloads through the real HTTP API. */
@TestPropertySource(properties = "tf.artifacts.max-upload-size=64KB")
class TicketFlowTest extends QueueTestBase {

    @Autowired
    FoundryProperties properties;

    String pool;
    String worker;
    QueueFixtures.Team team;
    final Random random = new Random();

    @BeforeEach
    void setUp() {
        pool = QueueFixtures.uniquePool();
        worker = fx.workerToken(pool);
        team = fx.team();
    }

    private Lease lease() {
        HttpResponse<String> response = fx.post(worker, "/api/v1/worker/leases", new LeaseRequest("gpu-1"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return fx.read(response, Lease.class);
    }

    private byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private String uploaded(Lease lease, byte[] bytes) {
        HttpResponse<String> response = fx.upload(worker, lease.jobId(), lease.fencingToken(), bytes);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        ArtifactReceipt receipt = fx.read(response, ArtifactReceipt.class);
        assertThat(receipt.size()).isEqualTo(bytes.length);
        assertThat(receipt.sha256()).isEqualTo(QueueFixtures.sha256(bytes));
        return receipt.sha256();
    }

    private long count(String sql, Object param) {
        return jdbc.sql(sql).param("p", param).query(Long.class).single();
    }

    private boolean stored(String sha) {
        return Files.exists(properties.artifactRoot().resolve(FilesystemArtifactStore.keyOf(sha)));
    }

    private static TicketReport report(int level, String mask, String rewind, String trained, long remaining) {
        return new TicketReport(level, mask, rewind, trained, 1000, remaining, 1010, remaining + 10,
                Map.of("fc1.weight", new LayerDensity(800, remaining * 8 / 10), "fc2.weight", new LayerDensity(200, remaining * 2 / 10)),
                List.of(new MetricReport("mnist", "test", "accuracy", 0.97 - level * 0.01, Map.of(), null),
                        new MetricReport("mnist", "test", "ece", 0.03, Map.of("bins", 15, "edges", "(lo, hi]"),
                                Map.of("confidence", List.of(0.5, 0.9), "accuracy", List.of(0.4, 0.95)))),
                Map.of("engine", "pytorch 2.7.1"));
    }

    @Test
    void anUploadWhoseChecksumDoesNotMatchIsRejectedAndNothingIsKept() {
        fx.experiment(team.id());
        queue.enqueueImpLevel(fx.experiment(team.id()), 0, 0, null, pool);
        Lease lease = lease();
        byte[] bytes = bytes(1000);
        String claimed = QueueFixtures.sha256(bytes(10));
        HttpResponse<String> response = fx.put(worker, "/api/v1/worker/jobs/" + lease.jobId() + "/artifacts/" + claimed,
                lease.fencingToken(), HttpRequest.BodyPublishers.ofByteArray(bytes));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
        assertThat(fx.tree(response).get("errors").get(0).get("field").asString()).isEqualTo("sha256");
        String actual = QueueFixtures.sha256(bytes);
        assertThat(count("SELECT count(*) FROM artifact WHERE sha256 IN (:p)", List.of(claimed, actual))).isZero();
        assertThat(count("SELECT count(*) FROM job_artifact WHERE job_id = :p", lease.jobId())).isZero();
        assertThat(stored(claimed)).isFalse();
        assertThat(stored(actual)).isFalse();
        assertThat(properties.artifactRoot().resolve("tmp").toFile().list()).isEmpty();

        HttpResponse<String> badName = fx.put(worker, "/api/v1/worker/jobs/" + lease.jobId() + "/artifacts/not-a-hash",
                lease.fencingToken(), HttpRequest.BodyPublishers.ofByteArray(bytes));
        assertThat(badName.statusCode()).isEqualTo(400);
    }

    @Test
    void anUploadOverTheLimitIsRejectedWith413() {
        queue.enqueueImpLevel(fx.experiment(team.id()), 0, 0, null, pool);
        Lease lease = lease();
        byte[] big = bytes(65 * 1024);
        String sha = QueueFixtures.sha256(big);
        HttpResponse<String> declared = fx.upload(worker, lease.jobId(), lease.fencingToken(), big);
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
        // without a Content-Length (chunked) the limit holds while streaming
        HttpResponse<String> streamed = fx.put(worker, "/api/v1/worker/jobs/" + lease.jobId() + "/artifacts/" + sha,
                lease.fencingToken(), HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));
        assertThat(streamed.statusCode()).isEqualTo(413);
        assertThat(count("SELECT count(*) FROM artifact WHERE sha256 = :p", sha)).isZero();
        assertThat(stored(sha)).isFalse();
        assertThat(properties.artifactRoot().resolve("tmp").toFile().list()).isEmpty();
    }

    @Test
    void completingLevelsMakesTicketsLineageAndDownloads() {
        ExperimentSpec spec = new ExperimentSpec(null, null, null, null, new PruningSpec(null, null, 1, null, null), null, null);
        UUID experiment = fx.experiment(team.id(), spec);
        UUID job0 = queue.enqueueImpLevel(experiment, 42, 0, null, pool);

        // level 0
        Lease lease0 = lease();
        assertThat(lease0.jobId()).isEqualTo(job0);
        assertThat(lease0.spec().pruning().levels()).isEqualTo(1);
        byte[] mask0 = bytes(3000);
        byte[] rewind = bytes(4000);
        byte[] trained0 = bytes(4000);
        String mask0Sha = uploaded(lease0, mask0);
        String rewindSha = uploaded(lease0, rewind);
        String trained0Sha = uploaded(lease0, trained0);
        assertThat(uploaded(lease0, rewind)).as("uploading the same bytes again is harmless").isEqualTo(rewindSha);
        HttpResponse<String> done0 = fx.post(worker, "/api/v1/worker/jobs/" + job0 + "/complete",
                new CompleteRequest(lease0.fencingToken(), report(0, mask0Sha, rewindSha, trained0Sha, 1000)));
        assertThat(done0.statusCode()).as(done0.body()).isEqualTo(200);
        UUID ticket0 = UUID.fromString(fx.tree(done0).get("ticketId").asString());
        UUID job1 = UUID.fromString(fx.tree(done0).get("nextJobId").asString());
        HttpResponse<String> again = fx.post(worker, "/api/v1/worker/jobs/" + job0 + "/complete",
                new CompleteRequest(lease0.fencingToken(), report(0, mask0Sha, rewindSha, trained0Sha, 1000)));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(count("SELECT count(*) FROM ticket WHERE experiment_id = :p", experiment)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM metric WHERE ticket_id = :p", ticket0)).isEqualTo(2);
        assertThat(jdbc.sql("SELECT status FROM job WHERE id = :id").param("id", job0).query(String.class).single())
                .isEqualTo("succeeded");
        Map<String, Object> next = jdbc.sql("SELECT level, seed, parent_ticket_id, pool, status FROM job WHERE id = :id")
                .param("id", job1).query().singleRow();
        assertThat(next).containsEntry("level", 1).containsEntry("seed", 42L).containsEntry("parent_ticket_id", ticket0)
                .containsEntry("pool", pool).containsEntry("status", "queued");
        assertThat(count("SELECT count(*) FROM job_artifact WHERE role = 'input' AND job_id = :p", job1)).isEqualTo(3);

        // level 1 starts from the level 0 ticket's files
        Lease lease1 = lease();
        assertThat(lease1.jobId()).isEqualTo(job1);
        assertThat(lease1.level()).isEqualTo(1);
        assertThat(lease1.inputs().parentTicketId()).isEqualTo(ticket0);
        assertThat(lease1.inputs().parentMaskSha256()).isEqualTo(mask0Sha);
        assertThat(lease1.inputs().parentWeightsSha256()).isEqualTo(trained0Sha);
        assertThat(lease1.inputs().rewindSha256()).isEqualTo(rewindSha);
        String inputPath = "/api/v1/worker/jobs/" + job1 + "/artifacts/" + trained0Sha;
        HttpResponse<byte[]> input = fx.getBytes(worker, inputPath, WorkerHeaders.FENCING_TOKEN, Long.toString(lease1.fencingToken()));
        assertThat(input.statusCode()).isEqualTo(200);
        assertThat(input.body()).isEqualTo(trained0);
        assertThat(fx.getBytes(worker, inputPath, WorkerHeaders.FENCING_TOKEN, Long.toString(lease0.fencingToken())).statusCode())
                .isEqualTo(409);
        assertThat(fx.getBytes(worker, "/api/v1/worker/jobs/" + job1 + "/artifacts/" + QueueFixtures.sha256(new byte[] {1}),
                WorkerHeaders.FENCING_TOKEN, Long.toString(lease1.fencingToken())).statusCode()).isEqualTo(404);

        byte[] mask1 = bytes(3000);
        byte[] trained1 = bytes(4000);
        String notUploaded = QueueFixtures.sha256(mask1);
        HttpResponse<String> missing = fx.post(worker, "/api/v1/worker/jobs/" + job1 + "/complete",
                new CompleteRequest(lease1.fencingToken(), report(1, notUploaded, rewindSha, trained0Sha, 800)));
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(fx.tree(missing).get("errors").get(0).get("field").asString()).isEqualTo("ticket.maskSha256");
        HttpResponse<String> wrongLevel = fx.post(worker, "/api/v1/worker/jobs/" + job1 + "/complete",
                new CompleteRequest(lease1.fencingToken(), report(0, mask0Sha, rewindSha, trained0Sha, 800)));
        assertThat(wrongLevel.statusCode()).isEqualTo(400);
        assertThat(fx.tree(wrongLevel).get("errors").get(0).get("field").asString()).isEqualTo("ticket.level");
        String mask1Sha = uploaded(lease1, mask1);
        String trained1Sha = uploaded(lease1, trained1);
        HttpResponse<String> done1 = fx.post(worker, "/api/v1/worker/jobs/" + job1 + "/complete",
                new CompleteRequest(lease1.fencingToken(), report(1, mask1Sha, rewindSha, trained1Sha, 800)));
        assertThat(done1.statusCode()).as(done1.body()).isEqualTo(200);
        UUID ticket1 = UUID.fromString(fx.tree(done1).get("ticketId").asString());
        assertThat(fx.tree(done1).get("nextJobId").isNull()).as("levels = 1 was the last level").isTrue();
        assertThat(count("SELECT count(*) FROM job WHERE experiment_id = :p", experiment)).isEqualTo(2);

        // reading the ticket
        HttpResponse<String> read = fx.get(team.viewerToken(), "/api/v1/tickets/" + ticket1);
        assertThat(read.statusCode()).isEqualTo(200);
        JsonNode ticket = fx.tree(read);
        assertThat(ticket.get("experimentId").asString()).isEqualTo(experiment.toString());
        assertThat(ticket.get("parentTicketId").asString()).isEqualTo(ticket0.toString());
        assertThat(ticket.get("jobId").asString()).isEqualTo(job1.toString());
        assertThat(ticket.get("seed").asLong()).isEqualTo(42);
        assertThat(ticket.get("level").asInt()).isEqualTo(1);
        assertThat(ticket.get("sparsity").asDouble()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(ticket.get("prunable").get("total").asLong()).isEqualTo(1000);
        assertThat(ticket.get("prunable").get("remaining").asLong()).isEqualTo(800);
        assertThat(ticket.get("allParameters").get("total").asLong()).isEqualTo(1010);
        assertThat(ticket.get("allParameters").get("remaining").asLong()).isEqualTo(810);
        assertThat(ticket.get("allParameters").get("density").asDouble()).isCloseTo(810.0 / 1010, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(ticket.get("layers").get("fc1.weight").get("density").asDouble()).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(ticket.get("metrics").size()).isEqualTo(2);
        JsonNode ece = ticket.get("metrics").get(1);
        assertThat(ece.get("name").asString()).isEqualTo("ece");
        assertThat(ece.get("conventions").get("bins").asInt()).isEqualTo(15);
        assertThat(ece.get("details").get("confidence").size()).isEqualTo(2);
        assertThat(ticket.get("provenance").get("workerId").asString()).isEqualTo("gpu-1");
        assertThat(ticket.get("provenance").get("engine").asString()).isEqualTo("pytorch 2.7.1");
        assertThat(ticket.get("artifacts").get("mask").get("sha256").asString()).isEqualTo(mask1Sha);
        assertThat(ticket.get("artifacts").get("mask").get("size").asLong()).isEqualTo(3000);
        assertThat(ticket.get("artifacts").get("mask").get("url").asString()).isEqualTo("/api/v1/tickets/" + ticket1 + "/mask");
        assertThat(ticket.get("artifacts").get("rewind").get("sha256").asString()).isEqualTo(rewindSha);
        assertThat(ticket.get("artifacts").get("weights").get("sha256").asString()).isEqualTo(trained1Sha);
        JsonNode job1View = fx.tree(fx.get(team.viewerToken(), "/api/v1/jobs/" + job1));
        assertThat(job1View.get("status").asString()).isEqualTo("succeeded");
        assertThat(job1View.get("ticketId").asString()).isEqualTo(ticket1.toString());

        JsonNode list = fx.tree(fx.get(team.viewerToken(), "/api/v1/experiments/" + experiment + "/tickets"));
        assertThat(list.get("items").size()).isEqualTo(2);
        assertThat(list.get("items").get(0).get("level").asInt()).isZero();
        assertThat(list.get("items").get(0).get("accuracy").asDouble()).isEqualTo(0.97);
        assertThat(fx.tree(fx.get(team.viewerToken(), "/api/v1/experiments/" + experiment + "/tickets?seed=41"))
                .get("items").size()).isZero();
        assertThat(fx.tree(fx.get(team.viewerToken(), "/api/v1/experiments/" + experiment + "/tickets?seed=42"))
                .get("items").size()).isEqualTo(2);

        JsonNode lineage = fx.tree(fx.get(team.viewerToken(), "/api/v1/experiments/" + experiment + "/lineage"));
        assertThat(lineage.get("nodes").size()).isEqualTo(2);
        assertThat(lineage.get("nodes").get(1).get("sparsity").asDouble()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(lineage.get("nodes").get(1).get("accuracy").asDouble()).isCloseTo(0.96, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(lineage.get("edges").size()).isEqualTo(1);
        JsonNode edge = lineage.get("edges").get(0);
        assertThat(edge.get("from").asString()).isEqualTo(ticket0.toString());
        assertThat(edge.get("to").asString()).isEqualTo(ticket1.toString());
        assertThat(edge.get("kind").asString()).isEqualTo("prune");

        // downloads: whole, ranged, conditional
        String maskPath = "/api/v1/tickets/" + ticket1 + "/mask";
        HttpResponse<byte[]> whole = fx.getBytes(team.viewerToken(), maskPath);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(mask1);
        assertThat(whole.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(whole.headers().firstValue("ETag")).hasValue("\"" + mask1Sha + "\"");
        assertThat(whole.headers().firstValue("Content-Disposition")).hasValueSatisfying(
                v -> assertThat(v).contains("attachment").contains("filename=\"" + ticket1 + "-mask.safetensors\""));
        HttpResponse<byte[]> range = fx.getBytes(team.viewerToken(), maskPath, "Range", "bytes=100-199");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 100-199/3000");
        assertThat(range.body()).isEqualTo(Arrays.copyOfRange(mask1, 100, 200));
        HttpResponse<byte[]> notModified = fx.getBytes(team.viewerToken(), maskPath, "If-None-Match", "\"" + mask1Sha + "\"");
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(fx.getBytes(team.viewerToken(), maskPath, "If-None-Match", "\"" + rewindSha + "\"").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> weights = fx.getBytes(team.memberToken(), "/api/v1/tickets/" + ticket1 + "/weights");
        assertThat(weights.body()).isEqualTo(trained1);
        assertThat(weights.headers().firstValue("Content-Disposition")).hasValueSatisfying(
                v -> assertThat(v).contains(ticket1 + "-weights.safetensors"));
        assertThat(fx.getBytes(team.memberToken(), "/api/v1/tickets/" + ticket1 + "/rewind").body()).isEqualTo(rewind);

        // another team sees none of it
        String stranger = fx.team().memberToken();
        assertThat(fx.get(stranger, "/api/v1/tickets/" + ticket1).statusCode()).isEqualTo(404);
        assertThat(fx.getBytes(stranger, maskPath).statusCode()).isEqualTo(404);
        assertThat(fx.get(stranger, "/api/v1/experiments/" + experiment + "/tickets").statusCode()).isEqualTo(404);
        assertThat(fx.get(stranger, "/api/v1/experiments/" + experiment + "/lineage").statusCode()).isEqualTo(404);
        assertThat(fx.get(worker, "/api/v1/tickets/" + ticket1).statusCode()).isEqualTo(404);
        assertThat(fx.get(team.viewerToken(), "/api/v1/tickets/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
    }

    @Test
    void aJobCompletedAfterACancelRequestQueuesNoFurtherLevel() {
        UUID experiment = fx.experiment(team.id());
        UUID job = queue.enqueueImpLevel(experiment, 1, 0, null, pool);
        Lease lease = lease();
        assertThat(fx.post(team.memberToken(), "/api/v1/jobs/" + job + "/cancel", null).statusCode()).isEqualTo(200);
        String mask = uploaded(lease, bytes(100));
        String rewind = uploaded(lease, bytes(100));
        String trained = uploaded(lease, bytes(100));
        assertThat(fx.upload(team.memberToken(), job, lease.fencingToken(), bytes(10)).statusCode())
                .as("only worker tokens upload").isEqualTo(403);
        HttpResponse<String> done = fx.post(worker, "/api/v1/worker/jobs/" + job + "/complete",
                new CompleteRequest(lease.fencingToken(), report(0, mask, rewind, trained, 1000)));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(fx.tree(done).get("nextJobId").isNull()).isTrue();
        assertThat(count("SELECT count(*) FROM job WHERE experiment_id = :p", experiment)).isEqualTo(1);
    }

    @Test
    void aSparseTrainingJobRecordsItsTicketAndSnapshotsAsAChainAndQueuesNoLevel() {
        ExperimentSpec spec = new ExperimentSpec(null, null, null, null, new PruningSpec(null, null, 0, null, null), null,
                null, null, null, new SparseTrainingSpec("rigl", 0.8, null, null, null, null, null, null, null, null,
                        List.of(10, 20)));
        UUID experiment = fx.experiment(team.id(), spec);
        UUID job = queue.enqueueImpLevel(experiment, 5, 0, null, pool);
        Lease lease = lease();
        assertThat(lease.spec().sparseTraining().snapshotSteps()).containsExactly(10, 20);
        String rewind = uploaded(lease, bytes(100));
        String mask10 = uploaded(lease, bytes(100));
        String weights10 = uploaded(lease, bytes(100));
        String mask20 = uploaded(lease, bytes(100));
        String weights20 = uploaded(lease, bytes(100));
        String mask = uploaded(lease, bytes(100));
        String trained = uploaded(lease, bytes(100));
        List<SnapshotReport> snapshots = List.of(new SnapshotReport(10, report(0, mask10, rewind, weights10, 200)),
                new SnapshotReport(20, report(0, mask20, rewind, weights20, 200)));
        TicketReport plain = report(0, mask, rewind, trained, 200);
        TicketReport sparse = new TicketReport(0, mask, rewind, trained, plain.prunableWeights(), plain.remainingPrunable(),
                plain.totalParameters(), plain.remainingTotal(), plain.layers(), plain.metrics(),
                Map.of("engine", "pytorch 2.7.1", "sparseMethod", "rigl"));

        // a worker that predates sparse training would report a dense ticket without saying how it trained
        HttpResponse<String> dense = fx.post(worker, "/api/v1/worker/jobs/" + job + "/complete",
                new CompleteRequest(lease.fencingToken(), plain));
        assertThat(dense.statusCode()).isEqualTo(400);
        assertThat(fx.tree(dense).get("errors").get(0).get("field").asString()).isEqualTo("ticket.provenance.sparseMethod");

        HttpResponse<String> unordered = fx.post(worker, "/api/v1/worker/jobs/" + job + "/complete",
                new CompleteRequest(lease.fencingToken(), sparse, null, List.of(snapshots.get(1), snapshots.get(0))));
        assertThat(unordered.statusCode()).isEqualTo(400);
        assertThat(fx.tree(unordered).get("errors").get(0).get("field").asString()).isEqualTo("snapshots[1].step");
        HttpResponse<String> notUploaded = fx.post(worker, "/api/v1/worker/jobs/" + job + "/complete",
                new CompleteRequest(lease.fencingToken(), sparse, null,
                        List.of(new SnapshotReport(10, report(0, QueueFixtures.sha256(bytes(5)), rewind, weights10, 200)))));
        assertThat(notUploaded.statusCode()).isEqualTo(400);
        assertThat(fx.tree(notUploaded).get("errors").get(0).get("field").asString()).isEqualTo("snapshots[0].ticket.maskSha256");
        assertThat(count("SELECT count(*) FROM ticket WHERE experiment_id = :p", experiment)).isZero();

        HttpResponse<String> done = fx.post(worker, "/api/v1/worker/jobs/" + job + "/complete",
                new CompleteRequest(lease.fencingToken(), sparse, null, snapshots));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        UUID ticket = UUID.fromString(fx.tree(done).get("ticketId").asString());
        assertThat(fx.tree(done).get("nextJobId").isNull()).as("sparse training makes no IMP level").isTrue();
        assertThat(count("SELECT count(*) FROM job WHERE experiment_id = :p", experiment)).isEqualTo(1);

        JsonNode items = fx.tree(fx.get(team.viewerToken(), "/api/v1/experiments/" + experiment + "/tickets")).get("items");
        assertThat(items.size()).isEqualTo(3);
        assertThat(items.get(0).get("id").asString()).isEqualTo(ticket.toString());
        assertThat(items.get(0).get("kind").asString()).isEqualTo("imp");
        assertThat(items.get(0).get("step").isNull()).isTrue();
        assertThat(items.get(1).get("kind").asString()).isEqualTo("snapshot");
        assertThat(items.get(1).get("step").asLong()).isEqualTo(10);
        assertThat(items.get(2).get("step").asLong()).isEqualTo(20);
        String first = items.get(1).get("id").asString();
        String second = items.get(2).get("id").asString();
        assertThat(items.get(1).get("parentTicketId").isNull()).isTrue();
        assertThat(items.get(2).get("parentTicketId").asString()).isEqualTo(first);
        assertThat(items.get(0).get("parentTicketId").asString()).isEqualTo(second);

        JsonNode snapshot = fx.tree(fx.get(team.viewerToken(), "/api/v1/tickets/" + second));
        assertThat(snapshot.get("step").asLong()).isEqualTo(20);
        assertThat(snapshot.get("provenance").get("snapshotStep").asString()).isEqualTo("20");
        assertThat(snapshot.get("provenance").get("jobId").asString()).isEqualTo(job.toString());
        assertThat(snapshot.get("artifacts").get("mask").get("sha256").asString()).isEqualTo(mask20);
        assertThat(snapshot.get("artifacts").get("rewind").get("sha256").asString()).isEqualTo(rewind);
        assertThat(snapshot.get("metrics").size()).isEqualTo(2);
        assertThat(fx.getBytes(team.viewerToken(), "/api/v1/tickets/" + first + "/weights").statusCode()).isEqualTo(200);

        JsonNode lineage = fx.tree(fx.get(team.viewerToken(), "/api/v1/experiments/" + experiment + "/lineage"));
        assertThat(lineage.get("nodes").size()).isEqualTo(3);
        assertThat(lineage.get("edges").size()).isEqualTo(2);
        for (JsonNode edge : lineage.get("edges")) {
            assertThat(edge.get("kind").asString()).isEqualTo("evolve");
        }
        JsonNode jobView = fx.tree(fx.get(team.viewerToken(), "/api/v1/jobs/" + job));
        assertThat(jobView.get("ticketId").asString()).as("the job's ticket is its final one").isEqualTo(ticket.toString());
        assertThat(fx.tree(fx.get(team.viewerToken(), "/api/v1/jobs?experimentId=" + experiment)).get("items").size())
                .isEqualTo(1);
    }

    @Test
    void onlyASparseTrainingJobMayReportSnapshots() {
        UUID experiment = fx.experiment(team.id());
        UUID job = queue.enqueueImpLevel(experiment, 1, 0, null, pool);
        Lease lease = lease();
        String mask = uploaded(lease, bytes(100));
        String rewind = uploaded(lease, bytes(100));
        String trained = uploaded(lease, bytes(100));
        HttpResponse<String> done = fx.post(worker, "/api/v1/worker/jobs/" + job + "/complete",
                new CompleteRequest(lease.fencingToken(), report(0, mask, rewind, trained, 1000), null,
                        List.of(new SnapshotReport(3, report(0, mask, rewind, trained, 1000)))));
        assertThat(done.statusCode()).isEqualTo(400);
        assertThat(fx.tree(done).get("errors").get(0).get("field").asString()).isEqualTo("snapshots");
        HttpResponse<String> plain = fx.post(worker, "/api/v1/worker/jobs/" + job + "/complete",
                new CompleteRequest(lease.fencingToken(), report(0, mask, rewind, trained, 1000), null, List.of()));
        assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
    }
}
