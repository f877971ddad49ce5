package io.ticketfoundry.api.support;

import io.ticketfoundry.api.team.TeamRole;
import io.ticketfoundry.api.team.TokenKind;
import io.ticketfoundry.api.team.TokenService;
import io.ticketfoundry.common.protocol.WorkerHeaders;
import io.ticketfoundry.common.spec.ExperimentSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Teams, tokens and experiments made directly in the database (the team and experiment endpoints
 * live elsewhere), and a small HTTP client for the running service.
 */
public final class QueueFixtures {

    public record Team(UUID id, String memberToken, String viewerToken) {
    }

    private final JdbcClient jdbc;
    private final TokenService tokens;
    private final JsonMapper json;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    public QueueFixtures(JdbcClient jdbc, TokenService tokens, JsonMapper json, int port) {
        this.jdbc = jdbc;
        this.tokens = tokens;
        this.json = json;
        this.port = port;
    }

    public static String uniquePool() {
        return "pool-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public Team team() {
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO team (id, name) VALUES (:id, :name)").param("id", id).param("name", "team-" + id).update();
        String member = tokens.issue("member", TokenKind.USER, id, TeamRole.MEMBER, null).token();
        String viewer = tokens.issue("viewer", TokenKind.USER, id, TeamRole.VIEWER, null).token();
        return new Team(id, member, viewer);
    }

    public String workerToken(String pool) {
        return tokens.issue("worker", TokenKind.WORKER, null, null, pool).token();
    }

    public UUID experiment(UUID teamId, ExperimentSpec spec) {
        UUID id = UUID.randomUUID();
        String resolved = json.writeValueAsString(spec.withDefaults());
        jdbc.sql("""
                INSERT INTO experiment (id, team_id, name, spec, resolved_spec, spec_hash, schema_version)
                VALUES (:id, :team, :name, CAST(:spec AS jsonb), CAST(:resolved AS jsonb), :hash, 1)""")
                .param("id", id)
                .param("team", teamId)
                .param("name", "experiment-" + id)
                .param("spec", json.writeValueAsString(spec))
                .param("resolved", resolved)
                .param("hash", "test-" + id)
                .update();
        return id;
    }

    public UUID experiment(UUID teamId) {
        return experiment(teamId, ExperimentSpec.defaults());
    }

    // ---- HTTP ----

    public URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    public HttpResponse<String> get(String token, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        return send(authorized(request, token, headers), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<byte[]> getBytes(String token, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        return send(authorized(request, token, headers), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> post(String token, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : json.writeValueAsString(body)));
        return send(authorized(request, token), HttpResponse.BodyHandlers.ofString());
    }

    /** Any method with an optional JSON body and extra headers (name, value, ...). */
    public HttpResponse<String> call(String token, String method, String path, Object body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        return send(authorized(request, token, headers), HttpResponse.BodyHandlers.ofString());
    }

    /** A token of a new person who is an admin of the team. */
    public String adminToken(UUID teamId) {
        return tokens.issue("admin", TokenKind.USER, teamId, TeamRole.ADMIN, null).token();
    }

    /** POSTs multipart/form-data: the text fields, then the files (each sent with its part name as file name). */
    public HttpResponse<String> postMultipart(String token, String path, java.util.Map<String, String> fields,
            java.util.Map<String, byte[]> files) {
        String boundary = "----tf" + UUID.randomUUID();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        java.nio.charset.Charset utf8 = java.nio.charset.StandardCharsets.UTF_8;
        fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(utf8)));
        files.forEach((name, bytes) -> {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                    + name + ".bin\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(utf8));
            body.writeBytes(bytes);
            body.writeBytes("\r\n".getBytes(utf8));
        });
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(utf8));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        return send(authorized(request, token), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> put(String token, String path, long fencingToken, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/octet-stream")
                .header(WorkerHeaders.FENCING_TOKEN, Long.toString(fencingToken))
                .PUT(body);
        return send(authorized(request, token), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> upload(String workerToken, UUID jobId, long fencingToken, byte[] bytes) {
        return put(workerToken, "/api/v1/worker/jobs/" + jobId + "/artifacts/" + sha256(bytes), fencingToken,
                HttpRequest.BodyPublishers.ofByteArray(bytes));
    }

    // ---- the worker protocol, as tests drive it ----

    /** Leases the next job of the worker token's pool; fails the test when there is none. */
    public io.ticketfoundry.common.protocol.Lease lease(String workerToken) {
        HttpResponse<String> response = post(workerToken, "/api/v1/worker/leases",
                new io.ticketfoundry.common.protocol.LeaseRequest("w"));
        org.assertj.core.api.Assertions.assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return read(response, io.ticketfoundry.common.protocol.Lease.class);
    }

    /** Uploads 64 random bytes as an artifact of the leased job and answers their SHA-256. */
    public String uploadRandom(String workerToken, io.ticketfoundry.common.protocol.Lease lease, java.util.Random random) {
        byte[] bytes = new byte[64];
        random.nextBytes(bytes);
        HttpResponse<String> response = upload(workerToken, lease.jobId(), lease.fencingToken(), bytes);
        org.assertj.core.api.Assertions.assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return read(response, io.ticketfoundry.common.protocol.ArtifactReceipt.class).sha256();
    }

    /** The fields a 400 problem+json names, in order. */
    public java.util.List<String> problemFields(HttpResponse<String> response) {
        org.assertj.core.api.Assertions.assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        org.assertj.core.api.Assertions.assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> org.assertj.core.api.Assertions.assertThat(type).startsWith("application/problem+json"));
        java.util.List<String> fields = new java.util.ArrayList<>();
        tree(response).path("errors").forEach(e -> fields.add(e.path("field").asString()));
        return fields;
    }

    public <T> T read(HttpResponse<String> response, Class<T> type) {
        return json.readValue(response.body(), type);
    }

    public JsonNode tree(HttpResponse<String> response) {
        return json.readTree(response.body());
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest authorized(HttpRequest.Builder request, String token, String... headers) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return request.build();
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
