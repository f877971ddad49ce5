package io.ticketfoundry.api.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.mask.MaskFiles;
import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.support.QueueTestBase;
import io.ticketfoundry.common.protocol.CompleteRequest;
import io.ticketfoundry.common.protocol.LayerDensity;
import io.ticketfoundry.common.protocol.Lease;
import io.ticketfoundry.common.protocol.MetricReport;
import io.ticketfoundry.common.protocol.TicketReport;
import io.ticketfoundry.common.protocol.WorkerHeaders;
import io.ticketfoundry.common.spec.ExperimentSpec;
import io.ticketfoundry.common.spec.PruningSpec;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Downloads through the real HTTP API, the same for every artifact store (a subclass picks the
 * store): whole files, one byte range in each form, 416, ranges that are ignored, If-None-Match,
 * If-Range and HEAD, on a ticket's files, an uploaded mask and a worker's input; bytes gone from the
 * store; and deleting an artifact nothing references.
 */
abstract class ArtifactDownloadContract extends QueueTestBase {

    private static final int SIZE = 3000;

    @Autowired
    ArtifactStore store;
    @Autowired
    ArtifactService artifacts;

    final Random random = new Random();
    String pool;
    String worker;
    QueueFixtures.Team team;

    /** Asserts the bytes of {@code sha256} are where this store keeps them (and not elsewhere). */
    protected abstract void assertHeldByTheStore(String sha256);

    @BeforeEach
    void setUp() {
        pool = QueueFixtures.uniquePool();
        worker = fx.workerToken(pool);
        team = fx.team();
    }

    private byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private String uploaded(Lease lease, byte[] bytes) {
        HttpResponse<String> response = fx.upload(worker, lease.jobId(), lease.fencingToken(), bytes);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return QueueFixtures.sha256(bytes);
    }

    /** A completed level-0 ticket whose mask is {@code mask}; answers the ticket's id. */
    private UUID ticketWithMask(byte[] mask) {
        UUID experiment = fx.experiment(team.id(), new ExperimentSpec(null, null, null, null,
                new PruningSpec(null, null, 0, null, null), null, null));
        UUID job = queue.enqueueImpLevel(experiment, 1, 0, null, pool);
        Lease lease = fx.lease(worker);
        assertThat(lease.jobId()).isEqualTo(job);
        String maskSha = uploaded(lease, mask);
        String rewind = uploaded(lease, bytes(500));
        String trained = uploaded(lease, bytes(500));
        TicketReport report = new TicketReport(0, maskSha, rewind, trained, 1000, 1000, 1010, 1010,
                Map.of("fc1.weight", new LayerDensity(1000, 1000)),
                List.of(new MetricReport("mnist", "test", "accuracy", 0.9, Map.of(), null)), Map.of("engine", "test"));
        HttpResponse<String> done = fx.post(worker, "/api/v1/worker/jobs/" + job + "/complete",
                new CompleteRequest(lease.fencingToken(), report));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        return UUID.fromString(fx.tree(done).get("ticketId").asString());
    }

    private HttpResponse<byte[]> get(String path, String... headers) {
        return fx.getBytes(team.viewerToken(), path, headers);
    }

    private static void assertPartial(HttpResponse<byte[]> response, byte[] whole, int first, int last) {
        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes " + first + "-" + last + "/" + whole.length);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(last - first + 1);
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(whole, first, last + 1));
    }

    private static void assertWhole(HttpResponse<byte[]> response, byte[] whole) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Range")).isEmpty();
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(whole.length);
        assertThat(response.body()).isEqualTo(whole);
    }

    @Test
    void aTicketFileDownloadsWholeOrByOneRange() {
        byte[] mask = bytes(SIZE);
        String sha = QueueFixtures.sha256(mask);
        UUID ticket = ticketWithMask(mask);
        assertHeldByTheStore(sha);
        String path = "/api/v1/tickets/" + ticket + "/mask";

        HttpResponse<byte[]> whole = get(path);
        assertWhole(whole, mask);
        assertThat(whole.headers().firstValue("ETag")).hasValue("\"" + sha + "\"");
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(whole.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(whole.headers().firstValue("Content-Disposition")).hasValueSatisfying(
                v -> assertThat(v).contains("attachment").contains(ticket + "-mask.safetensors"));

        assertPartial(get(path, "Range", "bytes=100-199"), mask, 100, 199);
        assertPartial(get(path, "Range", "bytes=0-0"), mask, 0, 0);
        assertPartial(get(path, "Range", "bytes=2990-"), mask, 2990, 2999);
        assertPartial(get(path, "Range", "bytes=-8"), mask, 2992, 2999);
        assertPartial(get(path, "Range", "bytes=2500-999999"), mask, 2500, 2999);
        assertPartial(get(path, "Range", "bytes=-999999"), mask, 0, 2999);
        HttpResponse<byte[]> partial = get(path, "Range", "bytes=1-2");
        assertThat(partial.headers().firstValue("ETag")).hasValue("\"" + sha + "\"");

        for (String unsatisfiable : List.of("bytes=3000-", "bytes=3000-3100", "bytes=-0")) {
            HttpResponse<String> refused = fx.get(team.viewerToken(), path, "Range", unsatisfiable);
            assertThat(refused.statusCode()).as(unsatisfiable).isEqualTo(416);
            assertThat(refused.headers().firstValue("Content-Range")).hasValue("bytes */3000");
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("application/problem+json"));
        }
        for (String ignored : List.of("bytes=0-1,5-6", "bytes=9-5", "items=0-5", "bytes=abc")) {
            assertWhole(get(path, "Range", ignored), mask);
        }
    }

    @Test
    void conditionalRequestsUseTheSha256AsETag() {
        byte[] mask = bytes(SIZE);
        String sha = QueueFixtures.sha256(mask);
        String path = "/api/v1/tickets/" + ticketWithMask(mask) + "/mask";
        String etag = "\"" + sha + "\"";
        String other = "\"" + QueueFixtures.sha256(bytes(4)) + "\"";

        for (String matching : List.of(etag, "W/" + etag, other + ", " + etag, "*")) {
            HttpResponse<byte[]> notModified = get(path, "If-None-Match", matching);
            assertThat(notModified.statusCode()).as(matching).isEqualTo(304);
            assertThat(notModified.body()).isEmpty();
            assertThat(notModified.headers().firstValue("ETag")).hasValue(etag);
        }
        assertThat(get(path, "If-None-Match", etag, "Range", "bytes=0-9").statusCode())
                .as("a matching If-None-Match wins over Range").isEqualTo(304);
        assertWhole(get(path, "If-None-Match", other), mask);
        assertPartial(get(path, "If-None-Match", other, "Range", "bytes=10-19"), mask, 10, 19);

        assertPartial(get(path, "If-Range", etag, "Range", "bytes=10-19"), mask, 10, 19);
        assertWhole(get(path, "If-Range", other, "Range", "bytes=10-19"), mask);
        assertWhole(get(path, "If-Range", "W/" + etag, "Range", "bytes=10-19"), mask);
        assertWhole(get(path, "If-Range", "Tue, 15 Nov 1994 08:12:31 GMT", "Range", "bytes=10-19"), mask);
    }

    @Test
    void headAnswersTheHeadersWithoutTheBytes() throws Exception {
        byte[] mask = bytes(SIZE);
        String path = "/api/v1/tickets/" + ticketWithMask(mask) + "/mask";
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(fx.uri(path))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + team.viewerToken()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(SIZE);
        assertThat(head.headers().firstValue("ETag")).hasValue("\"" + QueueFixtures.sha256(mask) + "\"");
        assertThat(head.body()).isEmpty();
        HttpResponse<byte[]> ranged = http.send(HttpRequest.newBuilder(fx.uri(path))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Range", "bytes=0-9")
                .header("Authorization", "Bearer " + team.viewerToken()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(ranged.headers().firstValue("Content-Range")).hasValue("bytes 0-9/" + SIZE);
    }

    @Test
    void anUploadedMaskDownloadsByRange() {
        byte[] file = MaskFiles.asF32("lenet-300-100", 10, MaskFiles.randomMask("lenet-300-100", 10, 0.2, 3));
        byte[] weights = MaskFiles.weights("lenet-300-100", 10, 4);
        HttpResponse<String> created = fx.postMultipart(team.memberToken(), "/api/v1/masks",
                Map.of("model", "lenet-300-100"), Map.of("file", file, "weights", weights));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = fx.tree(created).path("id").asString();

        HttpResponse<byte[]> mask = get("/api/v1/masks/" + id + "/file");
        assertThat(mask.statusCode()).isEqualTo(200);
        assertHeldByTheStore(QueueFixtures.sha256(mask.body()));
        int size = mask.body().length;
        assertPartial(get("/api/v1/masks/" + id + "/file", "Range", "bytes=0-7"), mask.body(), 0, 7);
        assertPartial(get("/api/v1/masks/" + id + "/file", "Range", "bytes=-100"), mask.body(), size - 100, size - 1);
        assertPartial(get("/api/v1/masks/" + id + "/weights", "Range", "bytes=8-1031"), weights, 8, 1031);
    }

    @Test
    void aWorkerReadsARangeOfAnArtifactOfItsLease() {
        queue.enqueueImpLevel(fx.experiment(team.id()), 2, 0, null, pool);
        Lease lease = fx.lease(worker);
        byte[] bytes = bytes(SIZE);
        String sha = uploaded(lease, bytes);
        HttpResponse<byte[]> range = fx.getBytes(worker, "/api/v1/worker/jobs/" + lease.jobId() + "/artifacts/" + sha,
                WorkerHeaders.FENCING_TOKEN, Long.toString(lease.fencingToken()), "Range", "bytes=1000-1999");
        assertPartial(range, bytes, 1000, 1999);
    }

    @Test
    void bytesMissingFromTheStoreAnswer503() {
        byte[] mask = bytes(SIZE);
        UUID ticket = ticketWithMask(mask);
        store.delete(ArtifactStore.keyOf(QueueFixtures.sha256(mask)));
        HttpResponse<String> gone = fx.get(team.viewerToken(), "/api/v1/tickets/" + ticket + "/mask");
        assertThat(gone.statusCode()).isEqualTo(503);
        assertThat(fx.tree(gone).path("title").asString()).isEqualTo("Artifact unavailable");
        assertThat(fx.get(team.viewerToken(), "/api/v1/tickets/" + ticket + "/mask", "Range", "bytes=0-9").statusCode())
                .isEqualTo(503);
    }

    @Test
    void anArtifactNothingReferencesIsDeletedFromTheStore() {
        UUID job = queue.enqueueImpLevel(fx.experiment(team.id()), 3, 0, null, pool);
        Lease lease = fx.lease(worker);
        String sha = uploaded(lease, bytes(SIZE));
        assertThat(artifacts.deleteIfUnreferenced(sha)).isEqualTo(ArtifactService.Deletion.REFERENCED);
        assertThat(artifacts.references(sha)).containsExactly("job_artifact.sha256");
        assertThat(store.exists(ArtifactStore.keyOf(sha))).isTrue();

        jdbc.sql("DELETE FROM job_artifact WHERE job_id = :job AND sha256 = :sha").param("job", job).param("sha", sha).update();
        assertThat(artifacts.deleteIfUnreferenced(sha)).isEqualTo(ArtifactService.Deletion.DELETED);
        assertThat(artifacts.find(sha)).isEmpty();
        assertThat(store.exists(ArtifactStore.keyOf(sha))).isFalse();
        assertThat(artifacts.deleteIfUnreferenced(sha)).isEqualTo(ArtifactService.Deletion.ABSENT);
    }
}
