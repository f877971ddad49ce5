package io.ticketfoundry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.TicketApiApplication;
import io.ticketfoundry.api.support.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * ticket-api on a random port against {@link TestDatabase}, with a known platform admin token and
 * worker token, and the JSON-over-HTTP calls the end-to-end tests make against it.
 */
final class FoundryApi implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ConfigurableApplicationContext context;
    private final URI base;
    private final String adminToken;
    private final String workerToken;

    private FoundryApi(ConfigurableApplicationContext context, String adminToken, String workerToken) {
        this.context = context;
        this.base = URI.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port") + "/");
        this.adminToken = adminToken;
        this.workerToken = workerToken;
    }

    /**
     * Boots the service with its files under {@code dataDir}; {@code settings} are further
     * {@code --name=value} arguments, such as the queue's lease duration.
     */
    static FoundryApi start(Path dataDir, String adminToken, String workerToken, String... settings) {
        TestDatabase database = TestDatabase.get();
        // command-line arguments outrank application.yml, as they would for a deployed service
        String[] arguments = Stream.concat(Stream.of(
                "--server.port=0",
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + (database.username() == null ? "" : database.username()),
                "--spring.datasource.password=" + (database.password() == null ? "" : database.password()),
                "--tf.data-dir=" + dataDir,
                "--tf.bootstrap-token=" + adminToken,
                "--tf.bootstrap-worker-token=" + workerToken), Stream.of(settings)).toArray(String[]::new);
        return new FoundryApi(new SpringApplicationBuilder(TicketApiApplication.class).run(arguments),
                adminToken, workerToken);
    }

    URI base() {
        return base;
    }

    String workerToken() {
        return workerToken;
    }

    /** A new team named {@code team}, made by the platform admin; returns a member token of it named {@code name}. */
    String member(String team, String name) throws Exception {
        String teamId = call("POST", "api/v1/teams", adminToken, Map.of("name", team), 201).path("id").asString();
        return call("POST", "api/v1/teams/" + teamId + "/tokens", adminToken, Map.of("name", name, "role", "member"), 201)
                .path("token").asString();
    }

    /** Sends {@code body} (if any) as JSON, checks the status and returns the response's JSON (an empty object when none). */
    JsonNode call(String method, String path, String token, Object body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return send(request.build(), expected);
    }

    /** Sends a request built by the caller, checks the status and returns the response's JSON (an empty object when none). */
    JsonNode send(HttpRequest request, int expected) throws Exception {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", request.method(), request.uri(), response.body())
                .isEqualTo(expected);
        return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    /** A GET of {@code path} as bytes, with a {@code Range} header unless {@code range} is null; the status is the caller's to check. */
    /** POSTs multipart/form-data: the text fields, then the files (part name to file name and bytes). */
    JsonNode postMultipart(String path, String token, Map<String, String> fields, Map<String, Map.Entry<String, byte[]>> files,
            int expected) throws Exception {
        String boundary = "----tf" + java.util.UUID.randomUUID();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        java.nio.charset.Charset utf8 = java.nio.charset.StandardCharsets.UTF_8;
        for (Map.Entry<String, String> field : fields.entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
                    + field.getValue() + "\r\n").getBytes(utf8));
        }
        for (Map.Entry<String, Map.Entry<String, byte[]>> file : files.entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file.getKey() + "\"; filename=\""
                    + file.getValue().getKey() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(utf8));
            body.write(file.getValue().getValue());
            body.write("\r\n".getBytes(utf8));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(utf8));
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), expected);
    }

    HttpResponse<byte[]> download(String path, String token, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token);
        if (range != null) {
            request.header("Range", range);
        }
        return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The experiment's jobs as listed by {@code GET /api/v1/jobs}. */
    JsonNode jobs(String experimentId, String token) throws Exception {
        return call("GET", "api/v1/jobs?experimentId=" + experimentId, token, null, 200).path("items");
    }

    /** The experiment's tickets in full, by level. */
    List<JsonNode> tickets(String experimentId, String token) throws Exception {
        return full(call("GET", "api/v1/experiments/" + experimentId + "/tickets", token, null, 200).path("items"), token);
    }

    /**
     * Waits until the experiment has {@code count} jobs and all of them succeeded; fails at once
     * on a failed or cancelled job, and after {@code timeout}. {@code diagnostics} is added to
     * either failure's message.
     */
    void awaitJobsSucceeded(String experimentId, String token, int count, Duration timeout, Supplier<String> diagnostics)
            throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode jobs = null;
        while (Instant.now().isBefore(deadline)) {
            jobs = jobs(experimentId, token);
            boolean done = jobs.size() == count;
            for (JsonNode job : jobs) {
                String status = job.path("status").asString();
                assertThat(status).as(() -> "job " + job.path("id").asString() + ": " + job.path("lastError").asString()
                        + diagnostics.get()).isNotIn("failed", "cancelled");
                done &= status.equals("succeeded");
            }
            if (done) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("jobs did not finish in " + timeout + ": " + jobs + diagnostics.get());
    }

    /**
     * Waits until the experiment has at least {@code count} tickets and returns them in full, by
     * level; fails at once on a failed or cancelled job, and after {@code timeout}.
     */
    List<JsonNode> awaitTickets(String experimentId, String token, int count, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            for (JsonNode job : jobs(experimentId, token)) {
                assertThat(job.path("status").asString()).as("job of %s: %s", experimentId, job.path("lastError").asString())
                        .isNotIn("failed", "cancelled");
            }
            JsonNode summaries = call("GET", "api/v1/experiments/" + experimentId + "/tickets", token, null, 200).path("items");
            if (summaries.size() >= count) {
                return full(summaries, token);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no " + count + " tickets for " + experimentId + " in " + timeout);
    }

    private List<JsonNode> full(JsonNode summaries, String token) throws Exception {
        List<JsonNode> tickets = new ArrayList<>();
        for (JsonNode summary : summaries) {
            tickets.add(call("GET", "api/v1/tickets/" + summary.path("id").asString(), token, null, 200));
        }
        tickets.sort((a, b) -> Integer.compare(a.path("level").asInt(), b.path("level").asInt()));
        return tickets;
    }

    @Override
    public void close() {
        context.close();
    }

    /** Stops {@code worker}, then closes {@code api}, either skipped where it did not start: a test class's teardown. */
    static void stop(InProcessWorker worker, FoundryApi api) throws InterruptedException {
        if (worker != null) {
            worker.close();
        }
        if (api != null) {
            api.close();
        }
    }
}
