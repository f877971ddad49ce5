package io.ticketfoundry.worker;

import io.ticketfoundry.worker.data.DatasetVerifier;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The worker's settings, from environment variables (the names docker-compose.yml uses):
 * TF_API_URL, TF_WORKER_TOKEN, TF_WORKER_ID, TF_DATASET_ROOT, TF_WORK_DIR, TF_POLL_INTERVAL_SECONDS,
 * TF_CHECKPOINT_EVERY_EPOCHS (default 1; 0 turns epoch checkpoints off) and
 * TF_CHECKPOINT_MIN_INTERVAL_SECONDS (default 30: a level whose epochs are quicker than that
 * checkpoints less often). Checkpoints never change a level's result, so they are a worker
 * setting, not part of an experiment's spec or identity.
 * TF_DATASET_VERIFY ({@code strict} by default: a base dataset file whose SHA-256 differs from the
 * registry's fails the job; {@code warn} logs it and goes on, for generated or patched data).
 */
public record WorkerConfig(
        URI apiUrl,
        String token,
        String workerId,
        Path datasetRoot,
        Path workDir,
        Duration pollInterval,
        int checkpointEveryEpochs,
        Duration checkpointMinInterval,
        DatasetVerifier.Mode datasetVerification) {

    /**
     * Settings made in code (tests, embedding): the default checkpoint policy, and dataset hash
     * mismatches logged, not fatal.
     */
    public WorkerConfig(URI apiUrl, String token, String workerId, Path datasetRoot, Path workDir, Duration pollInterval) {
        this(apiUrl, token, workerId, datasetRoot, workDir, pollInterval, 1, Duration.ofSeconds(30),
                DatasetVerifier.Mode.WARN);
    }

    public static final String API_URL = "TF_API_URL";
    public static final String WORKER_TOKEN = "TF_WORKER_TOKEN";
    public static final String WORKER_ID = "TF_WORKER_ID";
    public static final String DATASET_ROOT = "TF_DATASET_ROOT";
    public static final String WORK_DIR = "TF_WORK_DIR";
    public static final String POLL_INTERVAL_SECONDS = "TF_POLL_INTERVAL_SECONDS";
    public static final String CHECKPOINT_EVERY_EPOCHS = "TF_CHECKPOINT_EVERY_EPOCHS";
    public static final String CHECKPOINT_MIN_INTERVAL_SECONDS = "TF_CHECKPOINT_MIN_INTERVAL_SECONDS";
    public static final String DATASET_VERIFY = "TF_DATASET_VERIFY";

    public static WorkerConfig fromEnvironment(Map<String, String> env) {
        String token = env.get(WORKER_TOKEN);
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException(WORKER_TOKEN + " is not set: create a worker token with "
                    + "POST /api/v1/worker-tokens (platform admin) and pass it in " + WORKER_TOKEN);
        }
        String apiUrl = env.getOrDefault(API_URL, "http://localhost:8080/");
        return new WorkerConfig(
                URI.create(apiUrl.endsWith("/") ? apiUrl : apiUrl + "/"),
                token.trim(),
                env.getOrDefault(WORKER_ID, defaultWorkerId()),
                Path.of(env.getOrDefault(DATASET_ROOT, "/usr/share/datasets")),
                Path.of(env.getOrDefault(WORK_DIR, "data/worker")),
                Duration.ofMillis((long) (Double.parseDouble(env.getOrDefault(POLL_INTERVAL_SECONDS, "2")) * 1000)),
                nonNegative(CHECKPOINT_EVERY_EPOCHS, Integer.parseInt(env.getOrDefault(CHECKPOINT_EVERY_EPOCHS, "1").trim())),
                Duration.ofMillis(nonNegative(CHECKPOINT_MIN_INTERVAL_SECONDS, (long) (Double.parseDouble(
                        env.getOrDefault(CHECKPOINT_MIN_INTERVAL_SECONDS, "30").trim()) * 1000))),
                verification(env.get(DATASET_VERIFY)));
    }

    private static <N extends Number> N nonNegative(String name, N value) {
        if (value.doubleValue() < 0) {
            throw new IllegalArgumentException(name + " must be 0 or more, is " + value);
        }
        return value;
    }

    private static DatasetVerifier.Mode verification(String value) {
        try {
            return DatasetVerifier.Mode.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(DATASET_VERIFY + " must be strict, warn or off, not " + value);
        }
    }

    private static String defaultWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "worker";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
