package io.ticketfoundry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.TicketApiApplication;
import io.ticketfoundry.api.support.TestDatabase;
import io.ticketfoundry.worker.WorkerConfig;
import io.ticketfoundry.worker.WorkerMain;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.SyntheticIdx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kills a real worker process in the middle of an IMP level, after it recorded an epoch
 * checkpoint, and lets a second worker process take the job over when the lease expires. The
 * lineage ends with exactly one ticket per level, the interrupted level's job counts two attempts
 * and resumed from the checkpoint, and every ticket's mask, rewind point and trained weights are
 * byte-identical to those of an uninterrupted run of the same spec and seed (in a second team, as
 * identical specs are one experiment per team).
 */
class ResumeAfterKillTest {

    private static final String ADMIN = "tf_resume_admin_0123456789abcdef0123456789";
    private static final String WORKER = "tf_resume_worker_0123456789abcdef0123456789";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int EPOCHS = 6;

    @TempDir
    static Path temp;

    private static ConfigurableApplicationContext api;
    private static URI base;
    private static final List<Process> workers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        // 3,000 samples at batch 32: 94 steps an epoch
        SyntheticIdx.write(temp.resolve("datasets"), DatasetInfo.FASHION_MNIST, 3000, 300, 7, false);
        TestDatabase database = TestDatabase.get();
        api = new SpringApplicationBuilder(TicketApiApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + database.jdbcUrl(),
                "--spring.datasource.username=" + (database.username() == null ? "" : database.username()),
                "--spring.datasource.password=" + (database.password() == null ? "" : database.password()),
                "--tf.data-dir=" + temp.resolve("api"),
                "--tf.bootstrap-token=" + ADMIN,
                "--tf.bootstrap-worker-token=" + WORKER,
                "--tf.queue.lease-duration=4s",
                "--tf.queue.retry-backoff=200ms",
                "--tf.queue.sweep-interval=1s");
        base = URI.create("http://localhost:" + api.getEnvironment().getProperty("local.server.port") + "/");
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process worker : workers) {
            worker.destroyForcibly().waitFor();
        }
        if (api != null) {
            api.close();
        }
    }

    /** A trainer worker in its own JVM, on this test's class path, talking to the API over HTTP. */
    private static Process startWorker(String id) throws Exception {
        Path log = temp.resolve(id + ".log");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"),
                WorkerMain.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put(WorkerConfig.API_URL, base.toString());
        env.put(WorkerConfig.WORKER_TOKEN, WORKER);
        env.put(WorkerConfig.WORKER_ID, id);
        env.put(WorkerConfig.DATASET_ROOT, temp.resolve("datasets").toString());
        env.put(WorkerConfig.WORK_DIR, temp.resolve(id).toString());
        env.put(WorkerConfig.POLL_INTERVAL_SECONDS, "0.2");
        env.put(WorkerConfig.CHECKPOINT_EVERY_EPOCHS, "1");
        env.put(WorkerConfig.CHECKPOINT_MIN_INTERVAL_SECONDS, "0");
        // the generated fashion-mnist is not Debian's: accept its hash, as a worker run on patched data would
        env.put(WorkerConfig.DATASET_VERIFY, "warn");
        Process process = builder.start();
        workers.add(process);
        return process;
    }

    @Test
    void aWorkerKilledMidLevelIsResumedFromItsCheckpointAndTheTicketsMatchAnUninterruptedRun() throws Exception {
        Map<String, Object> spec = Map.of(
                "model", "lenet-300-100",
                "dataset", "fashion-mnist",
                "training", Map.of("optimizer", "sgd", "learningRate", 0.05, "momentum", 0.9, "batchSize", 32,
                        "epochs", EPOCHS),
                "pruning", Map.of("fraction", 0.2, "levels", 2),
                "rewind", Map.of("step", 10, "unit", "iterations"));
        String resumed = member("resume-a");
        String reference = member("resume-b");
        String interrupted = call("POST", "api/v1/experiments", resumed,
                Map.of("name", "interrupted", "spec", spec, "seeds", List.of(4)), 201).path("id").asString();

        Process first = startWorker("worker-1");
        // wait for level 1 to record a checkpoint with epochs still to go, then kill the worker
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        JsonNode levelOne = null;
        while (Instant.now().isBefore(deadline) && first.isAlive()) {
            levelOne = job(interrupted, resumed, 1);
            if (levelOne != null && "leased".equals(levelOne.path("status").asString())
                    && levelOne.path("checkpoint").path("epoch").asInt() >= 1) {
                break;
            }
            Thread.sleep(50);
        }
        first.destroyForcibly().waitFor();
        assertThat(levelOne).as("level 1 was queued; worker log:\n%s", log("worker-1")).isNotNull();
        int epochAtKill = levelOne.path("checkpoint").path("epoch").asInt();
        assertThat(epochAtKill).as("killed after a checkpoint of level 1; worker log:\n%s", log("worker-1"))
                .isBetween(1, EPOCHS - 1);
        String levelOneJob = levelOne.path("id").asString();
        assertThat(call("GET", "api/v1/jobs/" + levelOneJob, resumed, null, 200).path("status").asString())
                .as("the worker died with the level unfinished").isEqualTo("leased");

        String uninterrupted = call("POST", "api/v1/experiments", reference,
                Map.of("name", "uninterrupted", "spec", spec, "seeds", List.of(4)), 201).path("id").asString();
        startWorker("worker-2");
        awaitDone(interrupted, resumed);
        awaitDone(uninterrupted, reference);

        JsonNode jobs = call("GET", "api/v1/jobs?experimentId=" + interrupted, resumed, null, 200).path("items");
        assertThat(jobs).hasSize(3);
        for (JsonNode job : jobs) {
            assertThat(job.path("status").asString()).isEqualTo("succeeded");
            assertThat(job.path("attempts").asInt()).as("attempts of level %d", job.path("level").asInt())
                    .isEqualTo(job.path("id").asString().equals(levelOneJob) ? 2 : 1);
        }

        List<JsonNode> afterKill = tickets(interrupted, resumed);
        List<JsonNode> straight = tickets(uninterrupted, reference);
        assertThat(afterKill).extracting(t -> t.path("level").asInt()).containsExactly(0, 1, 2);
        assertThat(straight).extracting(t -> t.path("level").asInt()).containsExactly(0, 1, 2);

        Map<String, String> levelOneProvenance = new HashMap<>();
        afterKill.get(1).path("provenance").properties().forEach(e -> levelOneProvenance.put(e.getKey(), e.getValue().asString()));
        assertThat(levelOneProvenance).containsEntry("workerId", "worker-2");
        assertThat(levelOneProvenance.get("resumedFromCheckpointSha256")).matches("[0-9a-f]{64}");
        assertThat(Integer.parseInt(levelOneProvenance.get("resumedFromEpoch"))).isBetween(epochAtKill, EPOCHS - 1);
        assertThat(afterKill.get(0).path("provenance").path("workerId").asString()).isEqualTo("worker-1");
        assertThat(afterKill.get(2).path("provenance").has("resumedFromEpoch")).isFalse();

        for (int level = 0; level <= 2; level++) {
            for (String file : List.of("mask", "rewind", "trained")) {
                assertThat(afterKill.get(level).path("artifacts").path(file).path("sha256").asString())
                        .as("%s of level %d", file, level)
                        .isEqualTo(straight.get(level).path("artifacts").path(file).path("sha256").asString());
            }
        }
    }

    private static String member(String team) throws Exception {
        String teamId = call("POST", "api/v1/teams", ADMIN, Map.of("name", team), 201).path("id").asString();
        return call("POST", "api/v1/teams/" + teamId + "/tokens", ADMIN, Map.of("name", "m", "role", "member"), 201)
                .path("token").asString();
    }

    private static JsonNode job(String experimentId, String token, int level) throws Exception {
        for (JsonNode job : call("GET", "api/v1/jobs?experimentId=" + experimentId, token, null, 200).path("items")) {
            if (job.path("level").asInt() == level) {
                return job;
            }
        }
        return null;
    }

    private static List<JsonNode> tickets(String experimentId, String token) throws Exception {
        List<JsonNode> tickets = new ArrayList<>();
        for (JsonNode summary : call("GET", "api/v1/experiments/" + experimentId + "/tickets", token, null, 200).path("items")) {
            tickets.add(call("GET", "api/v1/tickets/" + summary.path("id").asString(), token, null, 200));
        }
        tickets.sort((a, b) -> Integer.compare(a.path("level").asInt(), b.path("level").asInt()));
        return tickets;
    }

    private static void awaitDone(String experimentId, String token) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        JsonNode jobs = null;
        while (Instant.now().isBefore(deadline)) {
            jobs = call("GET", "api/v1/jobs?experimentId=" + experimentId, token, null, 200).path("items");
            boolean done = jobs.size() == 3;
            for (JsonNode job : jobs) {
                String status = job.path("status").asString();
                assertThat(status).as("job %s: %s; worker log:\n%s", job.path("id").asString(),
                        job.path("lastError").asString(), log("worker-2")).isNotIn("failed", "cancelled");
                done &= status.equals("succeeded");
            }
            if (done) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("jobs did not finish: " + jobs + "\nworker log:\n" + log("worker-2"));
    }

    private static String log(String worker) {
        try {
            String text = Files.readString(temp.resolve(worker + ".log"));
            return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
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
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(expected);
        return JSON.readTree(response.body());
    }
}
