package io.ticketfoundry.worker.client;

import io.ticketfoundry.common.Digests;
import io.ticketfoundry.common.protocol.ArtifactReceipt;
import io.ticketfoundry.common.protocol.CheckpointRequest;
import io.ticketfoundry.common.protocol.JobCheckpoint;
import io.ticketfoundry.common.protocol.CompleteRequest;
import io.ticketfoundry.common.protocol.FailRequest;
import io.ticketfoundry.common.protocol.Heartbeat;
import io.ticketfoundry.common.protocol.HeartbeatResponse;
import io.ticketfoundry.common.protocol.Lease;
import io.ticketfoundry.common.protocol.LeaseRequest;
import io.ticketfoundry.common.protocol.ReleaseRequest;
import io.ticketfoundry.common.protocol.WorkerHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The worker side of the protocol in {@code io.ticketfoundry.common.protocol}, over HTTP with a worker token. */
public class WorkerApiClient {

    private final URI baseUri;
    private final String token;
    private final HttpClient http;
    private final JsonMapper json;

    public WorkerApiClient(URI baseUri, String token) {
        this.baseUri = baseUri;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }

    public Optional<Lease> lease(String workerId) throws IOException, InterruptedException {
        HttpResponse<String> response = send(post("/api/v1/worker/leases", new LeaseRequest(workerId)));
        if (response.statusCode() == 204) {
            return Optional.empty();
        }
        expect(response, 200);
        return Optional.of(json.readValue(response.body(), Lease.class));
    }

    /** A heartbeat that waits at most {@code timeout}: a stalled call must not outlive the lease it extends. */
    public HeartbeatResponse heartbeat(UUID jobId, Heartbeat heartbeat, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = request("/api/v1/worker/jobs/" + jobId + "/heartbeat")
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(heartbeat)))
                .build();
        HttpResponse<String> response = send(request);
        expect(response, 200);
        return json.readValue(response.body(), HeartbeatResponse.class);
    }

    public ArtifactReceipt upload(UUID jobId, long fencingToken, Path file) throws IOException, InterruptedException {
        String sha256 = sha256(file);
        HttpRequest request = request("/api/v1/worker/jobs/" + jobId + "/artifacts/" + sha256)
                .header(WorkerHeaders.FENCING_TOKEN, Long.toString(fencingToken))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(file))
                .build();
        HttpResponse<String> response = send(request);
        expect(response, 201);
        return json.readValue(response.body(), ArtifactReceipt.class);
    }

    /** Downloads an input artifact of the job to {@code target}, verifying its SHA-256 before it appears there. */
    public void download(UUID jobId, long fencingToken, String sha256, Path target) throws IOException, InterruptedException {
        HttpRequest request = request("/api/v1/worker/jobs/" + jobId + "/artifacts/" + sha256)
                .header(WorkerHeaders.FENCING_TOKEN, Long.toString(fencingToken))
                .GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readAllBytes());
            }
            throw new ApiCallException(response.statusCode(), body);
        }
        Path temporary = Files.createTempFile(target.getParent(), ".download-", ".part");
        try {
            MessageDigest digest = Digests.newSha256();
            try (InputStream in = new DigestInputStream(response.body(), digest);
                 OutputStream out = Files.newOutputStream(temporary)) {
                in.transferTo(out);
            }
            String actual = Digests.hex(digest);
            if (!actual.equals(sha256)) {
                throw new IOException("artifact " + sha256 + " arrived with SHA-256 " + actual);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Records an uploaded epoch checkpoint as the job's latest. */
    public JobCheckpoint checkpoint(UUID jobId, CheckpointRequest checkpoint) throws IOException, InterruptedException {
        HttpResponse<String> response = send(post("/api/v1/worker/jobs/" + jobId + "/checkpoint", checkpoint));
        expect(response, 200);
        return json.readValue(response.body(), JobCheckpoint.class);
    }

    public void complete(UUID jobId, CompleteRequest completion) throws IOException, InterruptedException {
        expect(send(post("/api/v1/worker/jobs/" + jobId + "/complete", completion)), 200);
    }

    public void release(UUID jobId, ReleaseRequest release) throws IOException, InterruptedException {
        expect(send(post("/api/v1/worker/jobs/" + jobId + "/release", release)), 200);
    }

    public void fail(UUID jobId, FailRequest failure) throws IOException, InterruptedException {
        expect(send(post("/api/v1/worker/jobs/" + jobId + "/fail", failure)), 200);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(baseUri.resolve(path))
                .timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    private HttpRequest post(String path, Object body) {
        return request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new ApiCallException(response.statusCode(), response.body());
        }
    }

    public static String sha256(Path file) throws IOException {
        return Digests.sha256Hex(file);
    }
}
