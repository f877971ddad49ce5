package io.ticketfoundry.worker.client;

import io.ticketfoundry.common.protocol.CheckpointRequest;
import io.ticketfoundry.common.dataset.DatasetRef;
import io.ticketfoundry.common.protocol.CompleteRequest;
import io.ticketfoundry.common.protocol.JobCheckpoint;
import io.ticketfoundry.common.protocol.FailRequest;
import io.ticketfoundry.common.protocol.JobInputs;
import io.ticketfoundry.common.protocol.Lease;
import io.ticketfoundry.common.protocol.ReleaseRequest;
import io.ticketfoundry.common.protocol.TicketReport;
import io.ticketfoundry.worker.train.TrainingCancelledException;
import io.ticketfoundry.worker.lottery.LevelListener;
import io.ticketfoundry.worker.lottery.LevelOutcome;
import io.ticketfoundry.worker.lottery.LevelRunner;
import io.ticketfoundry.worker.lottery.LevelTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Comparator;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one leased job to its end: fetch the inputs, train one IMP level while heartbeating,
 * upload the ticket's files, then complete, or fail (cancelled, retryable or not). Epoch
 * checkpoints of the level are uploaded and recorded as they come; a lease that carries one (an
 * earlier attempt died) resumes the level from it.
 */
public class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final WorkerApiClient client;
    private final LevelRunner levelRunner;
    private final Path workDir;
    private final Runnable onHeartbeat;
    private final BooleanSupplier shuttingDown;

    /**
     * @param onHeartbeat  runs after every heartbeat that got through (the worker's liveness mark)
     * @param shuttingDown true once the worker is stopping: the running job is given back
     */
    public JobRunner(WorkerApiClient client, LevelRunner levelRunner, Path workDir, Runnable onHeartbeat,
            BooleanSupplier shuttingDown) {
        this.client = client;
        this.levelRunner = levelRunner;
        this.workDir = workDir;
        this.onHeartbeat = onHeartbeat;
        this.shuttingDown = shuttingDown;
    }

    public void run(Lease lease) throws InterruptedException {
        if (!Lease.KIND_IMP_LEVEL.equals(lease.kind()) && !Lease.KIND_CONTROL.equals(lease.kind())) {
            failQuietly(lease, "this worker does not run jobs of kind " + lease.kind(), false, false);
            return;
        }
        Path jobDir = workDir.resolve("jobs").resolve(lease.jobId().toString());
        try (LeaseKeeper keeper = new LeaseKeeper(client, lease, onHeartbeat, shuttingDown)) {
            try {
                Files.createDirectories(jobDir);
                prepareDataset(lease);
                LevelTask task = fetchInputs(lease, jobDir);
                LevelOutcome outcome = levelRunner.run(task, new LevelListener() {
                    @Override
                    public void progress(io.ticketfoundry.common.protocol.Progress progress) {
                        keeper.progress(progress);
                    }

                    @Override
                    public boolean cancelRequested() {
                        return keeper.shouldStop();
                    }

                    @Override
                    public void checkpoint(Path file, int epoch, long step) {
                        storeCheckpoint(lease, file, epoch, step);
                    }
                });
                if (keeper.shouldStop()) {
                    stopped(lease, keeper);
                    return;
                }
                complete(lease, outcome);
                log.info("Job {} (experiment {}, seed {}, level {}) completed", lease.jobId(), lease.experimentId(),
                        lease.seed(), lease.level());
            } catch (InterruptedException e) {
                throw e;
            } catch (TrainingCancelledException e) {
                stopped(lease, keeper);
            } catch (Exception e) {
                if (keeper.shouldStop()) {
                    stopped(lease, keeper);
                } else if (e instanceof ApiCallException api && api.leaseLost()) {
                    log.warn("Job {} lost its lease while reporting: {}", lease.jobId(), api.getMessage());
                } else {
                    log.error("Job {} failed", lease.jobId(), e);
                    failQuietly(lease, describe(e), retryable(e), false);
                }
            }
        } finally {
            deleteRecursively(jobDir);
        }
    }

    /** Uploads and records a checkpoint; a failure costs only the resume point, so it is logged, not thrown. */
    private void storeCheckpoint(Lease lease, Path file, int epoch, long step) {
        try {
            String sha256 = client.upload(lease.jobId(), lease.fencingToken(), file).sha256();
            client.checkpoint(lease.jobId(), new CheckpointRequest(lease.fencingToken(), sha256, epoch, step));
            log.info("Job {} (seed {}, level {}): checkpoint of epoch {} recorded", lease.jobId(), lease.seed(),
                    lease.level(), epoch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Job {}: could not store the checkpoint of epoch {}: {}", lease.jobId(), epoch, e.toString());
        }
    }

    /**
     * Makes the lease's derived or uploaded dataset loadable: an upload's files are downloaded once
     * into {@code <workDir>/datasets/<sha256>} (checked against their hash) and reused by later jobs.
     */
    private void prepareDataset(Lease lease) throws IOException, InterruptedException {
        DatasetRef ref = lease.dataset();
        if (ref == null || DatasetRef.BASE.equals(ref.kind())) {
            return;
        }
        Map<String, Path> files = new HashMap<>();
        if (ref.upload() != null) {
            Path cache = Files.createDirectories(workDir.resolve("datasets"));
            for (String sha : ref.upload().files().values()) {
                Path local = cache.resolve(sha);
                if (!Files.isRegularFile(local)) {
                    client.download(lease.jobId(), lease.fencingToken(), sha, local);
                }
                files.put(sha, local);
            }
        }
        levelRunner.datasets().register(ref, files);
    }

    private LevelTask fetchInputs(Lease lease, Path jobDir) throws IOException, InterruptedException {
        LevelTask task = fetchLevelInputs(lease, jobDir);
        JobCheckpoint checkpoint = lease.checkpoint();
        if (checkpoint == null) {
            return task;
        }
        Path file = Files.createDirectories(jobDir.resolve("in")).resolve("checkpoint.safetensors");
        try {
            client.download(lease.jobId(), lease.fencingToken(), checkpoint.sha256(), file);
        } catch (IOException | RuntimeException e) {
            // a lost lease shows at the next heartbeat; anything else costs only the resume point
            log.warn("Job {}: could not fetch checkpoint {} ({}); training the level from its start", lease.jobId(),
                    checkpoint.sha256(), e.toString());
            return task;
        }
        log.info("Job {} (seed {}, level {}) resumes from the checkpoint of epoch {}", lease.jobId(), lease.seed(),
                lease.level(), checkpoint.epoch());
        return task.withResumeCheckpoint(file);
    }

    private LevelTask fetchLevelInputs(Lease lease, Path jobDir) throws IOException, InterruptedException {
        Path outputDir = Files.createDirectories(jobDir.resolve("out"));
        JobInputs inputs = lease.inputs();
        if (Lease.KIND_CONTROL.equals(lease.kind()) && (inputs == null || lease.control() == null)) {
            throw new IllegalArgumentException("a control job needs its control and the controlled ticket's inputs");
        }
        if (lease.level() == 0 || inputs == null) {
            return new LevelTask(lease.spec(), lease.seed(), lease.level(), null, null, null, outputDir);
        }
        Path inputDir = Files.createDirectories(jobDir.resolve("in"));
        Path mask = inputDir.resolve("parent-mask.safetensors");
        Path weights = inputDir.resolve("parent-trained.safetensors");
        Path rewind = inputDir.resolve("rewind.safetensors");
        client.download(lease.jobId(), lease.fencingToken(), inputs.parentMaskSha256(), mask);
        client.download(lease.jobId(), lease.fencingToken(), inputs.parentWeightsSha256(), weights);
        client.download(lease.jobId(), lease.fencingToken(), inputs.rewindSha256(), rewind);
        return new LevelTask(lease.spec(), lease.seed(), lease.level(), mask, weights, rewind, outputDir,
                Lease.KIND_CONTROL.equals(lease.kind()) ? lease.control() : null);
    }

    private void complete(Lease lease, LevelOutcome outcome) throws IOException, InterruptedException {
        String mask = client.upload(lease.jobId(), lease.fencingToken(), outcome.maskPath()).sha256();
        String trained = client.upload(lease.jobId(), lease.fencingToken(), outcome.trainedPath()).sha256();
        String rewind = outcome.rewindWritten()
                ? client.upload(lease.jobId(), lease.fencingToken(), outcome.rewindPath()).sha256()
                : lease.inputs().rewindSha256();
        TicketReport report = outcome.toTicketReport(mask, rewind, trained);
        client.complete(lease.jobId(), new CompleteRequest(lease.fencingToken(), report));
    }

    private void stopped(Lease lease, LeaseKeeper keeper) throws InterruptedException {
        if (keeper.leaseLost()) {
            log.warn("Stopped job {}: the lease went to another worker", lease.jobId());
        } else if (keeper.cancelRequested()) {
            log.info("Stopped job {}: cancelled", lease.jobId());
            failQuietly(lease, "cancelled by request", false, true);
        } else {
            log.info("Giving job {} back: the worker is shutting down", lease.jobId());
            try {
                client.release(lease.jobId(), new ReleaseRequest(lease.fencingToken(), "worker shutting down"));
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                log.warn("Could not give job {} back; its lease will expire instead: {}", lease.jobId(), e.toString());
            }
        }
    }

    private void failQuietly(Lease lease, String error, boolean retryable, boolean cancelled) throws InterruptedException {
        try {
            client.fail(lease.jobId(), new FailRequest(lease.fencingToken(), error, retryable, cancelled));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            log.warn("Could not report the end of job {}: {}", lease.jobId(), e.toString());
        }
    }

    /**
     * Bad input (spec, data files) and requests the API refuses for what they are (4xx other than
     * timeouts and throttling) fail the same way on every worker; anything else may be transient.
     */
    private static boolean retryable(Exception e) {
        if (e instanceof ApiCallException api) {
            int status = api.status();
            return status >= 500 || status == 408 || status == 429;
        }
        return !(e instanceof IllegalArgumentException) && !(e instanceof java.io.FileNotFoundException)
                && !(e instanceof io.ticketfoundry.worker.data.DatasetFormatException)
                && !(e instanceof java.nio.file.NoSuchFileException);
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.warn("Could not clean {}: {}", dir, e.toString());
        }
    }
}
