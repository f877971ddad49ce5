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
        DatasetVerifier.Mode datasetVerification) {

    /** Settings made in code (tests, embedding): dataset hash mismatches are logged, not fatal. */
    public WorkerConfig(URI apiUrl, String token, String workerId, Path datasetRoot, Path workDir, Duration pollInterval) {
        this(apiUrl, token, workerId, datasetRoot, workDir, pollInterval, DatasetVerifier.Mode.WARN);
    }

    public static final String API_URL = "TF_API_URL";
    public static final String WORKER_TOKEN = "TF_WORKER_TOKEN";
    public static final String WORKER_ID = "TF_WORKER_ID";
    public static final String DATASET_ROOT = "TF_DATASET_ROOT";
    public static final String WORK_DIR = "TF_WORK_DIR";
    public static final String POLL_INTERVAL_SECONDS = "TF_POLL_INTERVAL_SECONDS";
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
                verification(env.get(DATASET_VERIFY)));
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
