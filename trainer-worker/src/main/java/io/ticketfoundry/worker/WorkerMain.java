package io.ticketfoundry.worker;

import io.ticketfoundry.common.protocol.Lease;
import io.ticketfoundry.worker.client.JobRunner;
import io.ticketfoundry.worker.client.WorkerApiClient;
import io.ticketfoundry.worker.lottery.LevelRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer worker process: lease a job, run it, repeat. It talks to ticket-api only over HTTP
 * with a worker token. It touches {@code <work dir>/alive} on every poll and every heartbeat, which
 * the container health check reads. On SIGTERM it stops the running level and gives the lease back.
 */
public final class WorkerMain implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

    private final WorkerConfig config;
    private final WorkerApiClient client;
    private final JobRunner jobRunner;
    private static final java.time.Duration SHUTDOWN_GRACE = java.time.Duration.ofSeconds(30);

    private volatile boolean running = true;

    public WorkerMain(WorkerConfig config) {
        this.config = config;
        this.client = new WorkerApiClient(config.apiUrl(), config.token());
        LevelRunner levelRunner = LevelRunner.builder()
                .setDatasetRoot(config.datasetRoot())
                .setWorkerId(config.workerId())
                .optCheckpoints(config.checkpointEveryEpochs(), config.checkpointMinInterval())
                .optDatasetVerification(config.datasetVerification())
                .build();
        this.jobRunner = new JobRunner(client, levelRunner, config.workDir(), this::touchAliveQuietly, () -> !running);
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        WorkerConfig config;
        try {
            config = WorkerConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        WorkerMain worker = new WorkerMain(config);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // stop training at the next check, give the lease back, then let the JVM exit
            worker.stop();
            try {
                main.join(SHUTDOWN_GRACE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "worker-shutdown"));
        worker.run();
    }

    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        log.info("Worker {} leasing from {} (datasets under {})", config.workerId(), config.apiUrl(), config.datasetRoot());
        long failures = 0;
        while (running && !Thread.currentThread().isInterrupted()) {
            try {
                touchAlive();
                Optional<Lease> lease = client.lease(config.workerId());
                failures = 0;
                if (lease.isPresent()) {
                    log.info("Leased job {} ({} level {}, seed {}, attempt {})", lease.get().jobId(), lease.get().kind(),
                            lease.get().level(), lease.get().seed(), lease.get().attempt());
                    jobRunner.run(lease.get());
                } else {
                    Thread.sleep(config.pollInterval().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                failures++;
                long backoff = Math.min(30_000, config.pollInterval().toMillis() * (1L << Math.min(failures, 4)));
                log.warn("Cannot lease from {}: {} (retrying in {} ms)", config.apiUrl(), e.getMessage(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        log.info("Worker {} stopped", config.workerId());
    }

    private void touchAliveQuietly() {
        try {
            touchAlive();
        } catch (IOException e) {
            log.warn("Cannot touch {}: {}", config.workDir().resolve("alive"), e.toString());
        }
    }

    private void touchAlive() throws IOException {
        Path alive = config.workDir().resolve("alive");
        Files.createDirectories(config.workDir());
        if (!Files.exists(alive)) {
            Files.createFile(alive);
        }
        Files.setLastModifiedTime(alive, FileTime.from(Instant.now()));
    }
}
