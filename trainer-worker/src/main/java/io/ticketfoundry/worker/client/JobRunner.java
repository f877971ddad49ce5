package io.ticketfoundry.worker.client;

import io.ticketfoundry.common.protocol.CheckpointRequest;
import io.ticketfoundry.common.dataset.DatasetRef;
import io.ticketfoundry.common.protocol.CompleteRequest;
import io.ticketfoundry.common.protocol.JobCheckpoint;
import io.ticketfoundry.common.protocol.FailRequest;
import io.ticketfoundry.common.protocol.JobInputs;
import io.ticketfoundry.common.protocol.Lease;
import io.ticketfoundry.common.protocol.ReleaseRequest;
import io.ticketfoundry.common.protocol.SnapshotReport;
import io.ticketfoundry.common.protocol.TicketReport;
import io.ticketfoundry.worker.train.TrainingCancelledException;
import io.ticketfoundry.worker.lottery.LevelListener;
import io.ticketfoundry.worker.lottery.LevelOutcome;
import io.ticketfoundry.worker.lottery.LevelRunner;
import io.ticketfoundry.worker.lottery.LevelTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.ticketfoundry.common.protocol.CalibrateParams;
import io.ticketfoundry.common.protocol.LayerDensity;
import io.ticketfoundry.common.protocol.MetricReport;
import io.ticketfoundry.worker.calibrate.TicketCalibration;
import io.ticketfoundry.worker.evaluate.ModelEvaluator;
import io.ticketfoundry.worker.evaluate.TicketEvaluation;
import io.ticketfoundry.worker.evaluate.TrainedTicket;
import io.ticketfoundry.worker.io.CheckpointFiles;
import io.ticketfoundry.worker.lottery.Provenance;
import io.ticketfoundry.worker.prune.Mask;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Comparator;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one leased job to its end: fetch the inputs, train one IMP level or control (or evaluate or
 * calibrate a ticket) while heartbeating, upload the ticket's files, then complete, or fail
 * (cancelled, retryable or not). Epoch
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

    /** The work of one job kind, up to and including its completion. */
    @FunctionalInterface
    private interface JobWork {
        void run(Lease lease, Path jobDir, LeaseKeeper keeper) throws Exception;
    }

    public void run(Lease lease) throws InterruptedException {
        JobWork work = switch (lease.kind() == null ? "" : lease.kind()) {
            case Lease.KIND_IMP_LEVEL, Lease.KIND_CONTROL, Lease.KIND_TRANSFER, Lease.KIND_TRANSFER_RANDOM -> this::trainLevel;
            case Lease.KIND_EVALUATE -> this::evaluate;
            case Lease.KIND_CALIBRATE -> this::calibrate;
            default -> null;
        };
        if (work == null) {
            failQuietly(lease, "this worker does not run jobs of kind " + lease.kind(), false, false);
            return;
        }
        Path jobDir = workDir.resolve("jobs").resolve(lease.jobId().toString());
        try (LeaseKeeper keeper = new LeaseKeeper(client, lease, onHeartbeat, shuttingDown)) {
            try {
                Files.createDirectories(jobDir);
                prepareDatasets(lease);
                work.run(lease, jobDir, keeper);
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

    private void trainLevel(Lease lease, Path jobDir, LeaseKeeper keeper) throws Exception {
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
    }

    private void evaluate(Lease lease, Path jobDir, LeaseKeeper keeper) throws Exception {
        if (lease.evaluate() == null || lease.evaluate().data() == null) {
            throw new IllegalArgumentException("an evaluate job needs its data selection");
        }
        TrainedTicket ticket = fetchTicket(lease, jobDir);
        TrainedTicket reference = null;
        if (lease.evaluate().corruptions() != null && !lease.evaluate().corruptions().isEmpty()) {
            reference = fetchTicket(lease, lease.reference(), jobDir.resolve("reference"));
        }
        List<MetricReport> metrics = new TicketEvaluation(levelRunner.datasets(),
                new ModelEvaluator(levelRunner.evaluationBatchSize()), levelRunner.evaluationBatchSize())
                .run(ticket, reference, lease.evaluate());
        if (keeper.shouldStop()) {
            stopped(lease, keeper);
            return;
        }
        client.complete(lease.jobId(), new CompleteRequest(lease.fencingToken(), null, metrics));
        log.info("Job {} evaluated ticket {} on {} {}", lease.jobId(), lease.inputs().parentTicketId(),
                metrics.get(0).dataset(), metrics.get(0).split());
    }

    private void calibrate(Lease lease, Path jobDir, LeaseKeeper keeper) throws Exception {
        CalibrateParams params = lease.calibrate();
        if (params == null || params.fit() == null || params.evaluate() == null) {
            throw new IllegalArgumentException("a calibrate job needs its method, fit data and evaluation data");
        }
        TrainedTicket ticket = fetchTicket(lease, jobDir);
        TicketCalibration.Outcome outcome = new TicketCalibration(levelRunner.datasets(),
                new ModelEvaluator(levelRunner.evaluationBatchSize())).run(ticket, params);
        if (keeper.shouldStop()) {
            stopped(lease, keeper);
            return;
        }
        Map<String, String> provenance = new LinkedHashMap<>(Provenance.environment(levelRunner.workerId()));
        provenance.put("model", ticket.model().name());
        provenance.put("dataset", ticket.spec().dataset());
        provenance.put("calibratedFrom", lease.inputs().parentTicketId().toString());
        provenance.put("fitData", levelRunner.datasets().contentDescription(params.fit().withDefaults(
                ticket.spec().dataset()).dataset()));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("model", ticket.model().name());
        metadata.put("kind", "trained");
        metadata.put("calibration", "temperature " + outcome.calibration().get("temperature")
                + " folded into the output layer");
        Path weights = Files.createDirectories(jobDir.resolve("out")).resolve("calibrated.safetensors");
        CheckpointFiles.writeWeights(outcome.calibratedWeights(), weights, metadata);
        String trained = client.upload(lease.jobId(), lease.fencingToken(), weights).sha256();
        Mask mask = ticket.mask();
        Map<String, LayerDensity> layers = mask.layerDensities();
        long totalParameters = ticket.model().totalParameterCount();
        JobInputs inputs = lease.inputs();
        TicketReport report = new TicketReport(lease.level(), inputs.parentMaskSha256(), inputs.rewindSha256(), trained,
                mask.total(), mask.remaining(), totalParameters, mask.remainingParameters(),
                layers, outcome.after(), provenance, outcome.calibration());
        client.complete(lease.jobId(), new CompleteRequest(lease.fencingToken(), report, outcome.before()));
        log.info("Job {} calibrated ticket {}: T = {}", lease.jobId(), inputs.parentTicketId(),
                outcome.calibration().get("temperature"));
    }

    /** Downloads the job's input ticket (trained weights and mask) and reads it. */
    private TrainedTicket fetchTicket(Lease lease, Path jobDir) throws IOException, InterruptedException {
        return fetchTicket(lease, lease.inputs(), jobDir);
    }

    /**
     * Downloads a ticket the job works with (its own, or an evaluate job's mCE reference) and reads
     * it with the job's spec (the API checks a reference has the same model and training data).
     */
    private TrainedTicket fetchTicket(Lease lease, JobInputs inputs, Path jobDir) throws IOException, InterruptedException {
        if (inputs == null || inputs.parentWeightsSha256() == null || inputs.parentMaskSha256() == null) {
            throw new IllegalArgumentException("a " + lease.kind() + " job needs its ticket's weights and mask"
                    + (inputs == lease.inputs() ? "" : " and its reference ticket's"));
        }
        Path inputDir = Files.createDirectories(jobDir.resolve("in"));
        Path mask = inputDir.resolve("mask.safetensors");
        Path weights = inputDir.resolve("trained.safetensors");
        client.download(lease.jobId(), lease.fencingToken(), inputs.parentMaskSha256(), mask);
        client.download(lease.jobId(), lease.fencingToken(), inputs.parentWeightsSha256(), weights);
        return TrainedTicket.read(lease.spec(), levelRunner.datasets(), levelRunner.models(), weights, mask);
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
    private void prepareDatasets(Lease lease) throws IOException, InterruptedException {
        prepareDataset(lease, lease.dataset());
        for (DatasetRef ref : lease.datasets() == null ? List.<DatasetRef>of() : lease.datasets()) {
            prepareDataset(lease, ref);
        }
    }

    private void prepareDataset(Lease lease, DatasetRef ref) throws IOException, InterruptedException {
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
        boolean transfer = Lease.KIND_TRANSFER.equals(lease.kind()) || Lease.KIND_TRANSFER_RANDOM.equals(lease.kind());
        if (transfer && inputs == null) {
            throw new IllegalArgumentException("a transfer job needs its source ticket's inputs");
        }
        if (!transfer && (lease.level() == 0 || inputs == null)) {
            return new LevelTask(lease.spec(), lease.seed(), lease.level(), null, null, null, outputDir);
        }
        Path inputDir = Files.createDirectories(jobDir.resolve("in"));
        Path mask = inputDir.resolve("parent-mask.safetensors");
        client.download(lease.jobId(), lease.fencingToken(), inputs.parentMaskSha256(), mask);
        // an uploaded mask comes without trained weights, and without a rewind point unless weights were uploaded
        Path weights = downloadIfGiven(lease, inputs.parentWeightsSha256(), inputDir.resolve("parent-trained.safetensors"));
        Path rewind = downloadIfGiven(lease, inputs.rewindSha256(), inputDir.resolve("rewind.safetensors"));
        return new LevelTask(lease.spec(), lease.seed(), lease.level(), mask, weights, rewind, outputDir,
                transfer ? lease.kind() : Lease.KIND_CONTROL.equals(lease.kind()) ? lease.control() : null);
    }

    private Path downloadIfGiven(Lease lease, String sha256, Path target) throws IOException, InterruptedException {
        if (sha256 == null) {
            return null;
        }
        client.download(lease.jobId(), lease.fencingToken(), sha256, target);
        return target;
    }

    private void complete(Lease lease, LevelOutcome outcome) throws IOException, InterruptedException {
        String mask = client.upload(lease.jobId(), lease.fencingToken(), outcome.maskPath()).sha256();
        String trained = client.upload(lease.jobId(), lease.fencingToken(), outcome.trainedPath()).sha256();
        String rewind = outcome.rewindWritten()
                ? client.upload(lease.jobId(), lease.fencingToken(), outcome.rewindPath()).sha256()
                : lease.inputs().rewindSha256();
        TicketReport report = outcome.toTicketReport(mask, rewind, trained);
        List<SnapshotReport> snapshots = new java.util.ArrayList<>();
        for (LevelOutcome.Snapshot snapshot : outcome.snapshots()) {
            String snapshotMask = client.upload(lease.jobId(), lease.fencingToken(), snapshot.maskPath()).sha256();
            String snapshotWeights = client.upload(lease.jobId(), lease.fencingToken(), snapshot.trainedPath()).sha256();
            snapshots.add(new SnapshotReport(snapshot.step(),
                    snapshot.toTicketReport(outcome.level(), snapshotMask, rewind, snapshotWeights)));
        }
        client.complete(lease.jobId(), new CompleteRequest(lease.fencingToken(), report, null,
                snapshots.isEmpty() ? null : snapshots));
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
