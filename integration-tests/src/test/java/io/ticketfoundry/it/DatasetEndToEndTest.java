package io.ticketfoundry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.TicketApiApplication;
import io.ticketfoundry.api.support.TestDatabase;
import io.ticketfoundry.worker.WorkerConfig;
import io.ticketfoundry.worker.WorkerMain;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.SyntheticIdx;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Datasets through the whole stack: a team uploads an IDX dataset and registers a recipe over a
 * base dataset; experiments naming them by id run on a worker, which rebuilds the recipe from the
 * base files and downloads (and caches) the upload's files.
 */
class DatasetEndToEndTest {

    private static final String ADMIN = "tf_e2e_data_admin_0123456789abcdef0123456789";
    private static final String WORKER = "tf_e2e_data_worker_0123456789abcdef012345678";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path temp;

    private static ConfigurableApplicationContext api;
    private static URI base;
    private static WorkerMain worker;
    private static Thread workerThread;

    @BeforeAll
    static void start() throws Exception {
        SyntheticIdx.write(temp.resolve("datasets"), DatasetInfo.MNIST, 600, 200, 11, false);
        SyntheticIdx.write(temp.resolve("upload"), DatasetInfo.MNIST, 400, 100, 12, true);
        TestDatabase database = TestDatabase.get();
        api = new SpringApplicationBuilder(TicketApiApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + (database.username() == null ? "" : database.username()),
                "--spring.datasource.password=" + (database.password() == null ? "" : database.password()),
                "--tf.data-dir=" + temp.resolve("api"),
                "--tf.bootstrap-token=" + ADMIN,
                "--tf.bootstrap-worker-token=" + WORKER,
                "--tf.queue.lease-duration=6s");
        base = URI.create("http://localhost:" + api.getEnvironment().getProperty("local.server.port") + "/");
        worker = new WorkerMain(new WorkerConfig(base, WORKER, "e2e-data-worker", temp.resolve("datasets"),
                temp.resolve("worker"), Duration.ofMillis(200)));
        workerThread = new Thread(worker, "e2e-data-worker");
        workerThread.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (worker != null) {
            worker.stop();
            workerThread.join(60_000);
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void experimentsOnAnUploadAndOnARecipeTrainOnTheWorker() throws Exception {
        String teamId = call("POST", "api/v1/teams", ADMIN, Map.of("name", "e2e-data"), 201).path("id").asString();
        String member = call("POST", "api/v1/teams/" + teamId + "/tokens", ADMIN,
                Map.of("name", "dora", "role", "member"), 201).path("token").asString();

        Path dir = temp.resolve("upload/mnist");
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("trainImages", dir.resolve("train-images-idx3-ubyte.gz"));
        files.put("trainLabels", dir.resolve("train-labels-idx1-ubyte.gz"));
        files.put("testImages", dir.resolve("t10k-images-idx3-ubyte.gz"));
        files.put("testLabels", dir.resolve("t10k-labels-idx1-ubyte.gz"));
        JsonNode upload = upload(member, files);
        String uploadId = upload.path("id").asString();
        String trainSha = upload.path("files").path("trainImages").path("sha256").asString();

        JsonNode recipe = call("POST", "api/v1/datasets", member, Map.of("name", "mnist 30 per class",
                "recipe", Map.of("kind", "subset", "base", "mnist", "perClass", 30, "seed", 1)), 201);
        String recipeId = recipe.path("id").asString();

        Map<String, Object> training = Map.of("optimizer", "sgd", "learningRate", 0.05, "batchSize", 32, "epochs", 2);
        for (String dataset : new String[] {uploadId, recipeId}) {
            JsonNode experiment = call("POST", "api/v1/experiments", member, Map.of("name", "on " + dataset,
                    "spec", Map.of("dataset", dataset, "training", training, "pruning", Map.of("levels", 0))), 201);
            JsonNode ticket = awaitOneTicket(experiment.path("id").asString(), member);
            JsonNode full = call("GET", "api/v1/tickets/" + ticket.path("id").asString(), member, null, 200);
            double accuracy = -1;
            for (JsonNode metric : full.path("metrics")) {
                if (metric.path("name").asString().equals("accuracy")) {
                    accuracy = metric.path("value").asDouble();
                    assertThat(metric.path("dataset").asString()).isEqualTo(dataset);
                }
            }
            assertThat(accuracy).as("accuracy on " + dataset).isGreaterThan(0.3);
        }
        assertThat(Files.isRegularFile(temp.resolve("worker/datasets/" + trainSha)))
                .as("the worker caches the upload's files by hash").isTrue();
    }

    private static JsonNode awaitOneTicket(String experimentId, String token) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        while (Instant.now().isBefore(deadline)) {
            for (JsonNode job : call("GET", "api/v1/jobs?experimentId=" + experimentId, token, null, 200).path("items")) {
                assertThat(job.path("status").asString()).as(job.path("lastError").asString()).isNotEqualTo("failed");
            }
            JsonNode tickets = call("GET", "api/v1/experiments/" + experimentId + "/tickets", token, null, 200).path("items");
            if (tickets.size() == 1) {
                return tickets.get(0);
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no ticket for " + experimentId);
    }

    private static JsonNode upload(String token, Map<String, Path> files) throws Exception {
        String boundary = "----tf" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"format\"\r\n\r\nidx\r\n")
                .getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, Path> file : files.entrySet()) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file.getKey() + "\"; filename=\""
                    + file.getValue().getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.write(Files.readAllBytes(file.getValue()));
            body.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve("api/v1/datasets/uploads"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body());
    }

    private static JsonNode call(String method, String path, String token, Object body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }
}
