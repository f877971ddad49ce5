package io.ticketfoundry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.worker.WorkerConfig;
import io.ticketfoundry.worker.WorkerMain;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.SyntheticIdx;
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
import tools.jackson.databind.JsonNode;

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
    private static final int EPOCHS = 6;

    @TempDir
    static Path temp;

    private static FoundryApi api;
    private static final List<Process> workers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        // 3,000 samples at batch 32: 94 steps an epoch
        SyntheticIdx.write(temp.resolve("datasets"), DatasetInfo.FASHION_MNIST, 3000, 300, 7, false);
        api = FoundryApi.start(temp.resolve("api"), ADMIN, WORKER,
                "--tf.queue.lease-duration=4s",
                "--tf.queue.retry-backoff=200ms",
                "--tf.queue.sweep-interval=1s");
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
        env.put(WorkerConfig.API_URL, api.base().toString());
        env.put(WorkerConfig.WORKER_TOKEN, api.workerToken());
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
        String resumed = api.member("resume-a", "m");
        String reference = api.member("resume-b", "m");
        String interrupted = api.call("POST", "api/v1/experiments", resumed,
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
        assertThat(api.call("GET", "api/v1/jobs/" + levelOneJob, resumed, null, 200).path("status").asString())
                .as("the worker died with the level unfinished").isEqualTo("leased");

        String uninterrupted = api.call("POST", "api/v1/experiments", reference,
                Map.of("name", "uninterrupted", "spec", spec, "seeds", List.of(4)), 201).path("id").asString();
        startWorker("worker-2");
        awaitDone(interrupted, resumed);
        awaitDone(uninterrupted, reference);

        JsonNode jobs = api.jobs(interrupted, resumed);
        assertThat(jobs).hasSize(3);
        for (JsonNode job : jobs) {
            assertThat(job.path("status").asString()).isEqualTo("succeeded");
            assertThat(job.path("attempts").asInt()).as("attempts of level %d", job.path("level").asInt())
                    .isEqualTo(job.path("id").asString().equals(levelOneJob) ? 2 : 1);
        }

        List<JsonNode> afterKill = api.tickets(interrupted, resumed);
        List<JsonNode> straight = api.tickets(uninterrupted, reference);
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

    private static JsonNode job(String experimentId, String token, int level) throws Exception {
        for (JsonNode job : api.jobs(experimentId, token)) {
            if (job.path("level").asInt() == level) {
                return job;
            }
        }
        return null;
    }

    private static void awaitDone(String experimentId, String token) throws Exception {
        api.awaitJobsSucceeded(experimentId, token, 3, Duration.ofMinutes(4), () -> "\nworker log:\n" + log("worker-2"));
    }

    private static String log(String worker) {
        try {
            String text = Files.readString(temp.resolve(worker + ".log"));
            return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }
}
