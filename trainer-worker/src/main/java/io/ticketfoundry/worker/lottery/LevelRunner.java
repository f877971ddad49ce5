package io.ticketfoundry.worker.lottery;

import io.ticketfoundry.common.Digests;
import ai.djl.ndarray.NDManager;
import io.ticketfoundry.common.protocol.LayerDensity;
import io.ticketfoundry.common.protocol.MetricReport;
import io.ticketfoundry.common.protocol.Progress;
import io.ticketfoundry.common.spec.ExperimentSpec;
import io.ticketfoundry.common.spec.PruningSpec;
import io.ticketfoundry.common.spec.RewindSpec;
import io.ticketfoundry.worker.Seeds;
import io.ticketfoundry.worker.model.Initializers;
import io.ticketfoundry.worker.prune.ControlMasks;
import io.ticketfoundry.worker.data.DatasetLoader;
import io.ticketfoundry.worker.data.DatasetVerifier;
import io.ticketfoundry.worker.data.InMemoryDataset;
import io.ticketfoundry.worker.data.Split;
import io.ticketfoundry.worker.evaluate.ModelEvaluator;
import io.ticketfoundry.worker.io.CheckpointFiles;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ModelRegistry;
import io.ticketfoundry.worker.model.Weights;
import io.ticketfoundry.worker.prune.MagnitudePruning;
import io.ticketfoundry.worker.prune.Mask;
import io.ticketfoundry.worker.prune.GraspScoringWeights;
import io.ticketfoundry.worker.prune.OneShotPruning;
import io.ticketfoundry.worker.prune.OneShotRequest;
import io.ticketfoundry.worker.prune.OneShotResult;
import io.ticketfoundry.worker.prune.PruningMethods;
import io.ticketfoundry.worker.prune.ScoringData;
import io.ticketfoundry.worker.train.TrainingCallback;
import io.ticketfoundry.worker.train.TrainingCancelledException;
import io.ticketfoundry.worker.train.TrainingLoop;
import io.ticketfoundry.worker.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import io.ticketfoundry.worker.io.EpochCheckpoint;
import io.ticketfoundry.worker.train.TrainingState;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one level of iterative magnitude pruning with rewinding.
 *
 * <p>Level 0 trains the dense network from the seeded initialisation and keeps the weights at
 * the rewind step k as the rewind point. Level L ≥ 1 prunes level L−1's trained weights
 * (see {@link MagnitudePruning}), resets every parameter to the rewind point, applies the new
 * mask and retrains. As in open_lth, a level with k > 0 retrains from step k to the end of the
 * schedule (the same steps and data order a dense run would take from there), so every level
 * ends at the same step count.
 *
 * <p>Outputs in the task's directory: {@value #MASK_FILE} (U8), {@value #TRAINED_FILE} (F32) and,
 * at level 0 only, {@value #REWIND_FILE} (F32). Each is written under a temporary name and
 * renamed. Metrics are computed on the dataset's test split.
 *
 * <p>Epoch checkpoints: with {@link Builder#optCheckpoints} the runner writes an
 * {@link EpochCheckpoint} every few epochs (never after the last) and hands it to
 * {@link LevelListener#checkpoint}; a task whose {@link LevelTask#resumeCheckpoint()} names one
 * continues from it and ends bit-identical to a run that never stopped. A checkpoint that does
 * not belong to the task (other level, seed, mask or optimizer) is ignored and the level starts over.
 */
public final class LevelRunner {

    private static final Logger log = LoggerFactory.getLogger(LevelRunner.class);

    public static final String MASK_FILE = "mask.safetensors";
    public static final String REWIND_FILE = "rewind.safetensors";
    public static final String TRAINED_FILE = "trained.safetensors";

    private static final tools.jackson.databind.json.JsonMapper PROVENANCE_JSON =
            tools.jackson.databind.json.JsonMapper.builder().build();

    private final DatasetLoader datasets;
    private final String workerId;
    private final ModelRegistry models;
    private final int evaluationBatchSize;
    private final int cancelCheckInterval;
    private final int progressInterval;
    private final int checkpointEveryEpochs;
    private final Duration checkpointMinInterval;

    private LevelRunner(Builder builder) {
        datasets = new DatasetLoader(Objects.requireNonNull(builder.datasetRoot, "datasetRoot"),
                new DatasetVerifier(builder.datasetVerification));
        workerId = Objects.requireNonNull(builder.workerId, "workerId");
        models = builder.models;
        evaluationBatchSize = builder.evaluationBatchSize;
        cancelCheckInterval = builder.cancelCheckInterval;
        progressInterval = builder.progressInterval;
        checkpointEveryEpochs = builder.checkpointEveryEpochs;
        checkpointMinInterval = builder.checkpointMinInterval;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ModelRegistry models() {
        return models;
    }

    public int evaluationBatchSize() {
        return evaluationBatchSize;
    }

    public String workerId() {
        return workerId;
    }

    /** Where the datasets come from; the job runner registers a lease's derived and uploaded datasets here. */
    public DatasetLoader datasets() {
        return datasets;
    }

    /**
     * Runs the level. Throws {@link TrainingCancelledException} when the listener asks to stop
     * (no output file is written then), {@link IOException} for unreadable inputs or missing data,
     * {@link IllegalArgumentException} for a spec the engine cannot run.
     */
    public LevelOutcome run(LevelTask task, LevelListener listener) throws IOException {
        ExperimentSpec spec = task.resolvedSpec().withDefaults();
        if (spec.sparseTraining() != null) {
            return new SparseTrainingRun(this).run(task, listener);
        }
        int level = task.level();
        int epochs = spec.training().epochs();
        Phases phases = new Phases(level, epochs, listener);

        phases.enter("load");
        try (NDManager manager = NDManager.newBaseManager();
                InMemoryDataset train = datasets.load(manager, spec.dataset(), Split.TRAIN);
                InMemoryDataset test = datasets.load(manager, spec.dataset(), Split.TEST)) {
            ModelDefinition model = models.get(spec.model(), train.numClasses());
            if (train.numClasses() != model.numClasses()) {
                throw new IllegalArgumentException("model " + model.name() + " has " + model.numClasses()
                        + " outputs but dataset " + train.name() + " has " + train.numClasses() + " classes");
            }
            long perEpoch = TrainingLoop.iterationsPerEpoch(train.size(), spec.training().batchSize());
            long rewindStep = rewindStep(spec.rewind(), perEpoch);
            long totalSteps = perEpoch * epochs;
            if (rewindStep >= totalSteps) {
                throw new IllegalArgumentException("rewind step " + rewindStep + " leaves nothing of the " + totalSteps
                        + " steps of training to retrain");
            }

            Mask mask;
            Weights start;
            long startStep;
            Map<String, Object> pruningRecord = null; // what a one-shot method did, for provenance
            Weights newRewind = null; // new random weights a level starts from (reinit, controls)
            boolean outputReinitialized = false;
            if (task.transfer()) {
                // the source ticket was found on another dataset: its files are on the source's class count
                ModelDefinition source = models.get(spec.model(), sourceClasses(task.parentMask(), model));
                phases.enter("prune");
                // a mask uploaded without weights starts where a dense run of this spec and seed would
                Weights sourceStart = task.rewindPoint() != null ? CheckpointFiles.readWeights(task.rewindPoint(), source)
                        : Initializers.create(spec.initializer(), source, task.seed());
                TransferStart moved = TransferStart.of(CheckpointFiles.readMask(task.parentMask(), source), sourceStart,
                        model, spec.initializer(), task.seed());
                if (LevelTask.TRANSFER_RANDOM.equals(task.control())) {
                    moved = moved.randomBaseline(task.seed(), level);
                }
                mask = moved.mask();
                newRewind = moved.weights();
                start = moved.startWeights();
                startStep = 0;
                outputReinitialized = moved.outputLayerReinitialized();
            } else if (task.control() != null) {
                Mask ticketMask = CheckpointFiles.readMask(task.parentMask(), model);
                phases.enter("prune");
                mask = ControlMasks.build(task.control(), ticketMask, spec.pruning().ignore(), task.seed(), level);
                if (ExperimentSpec.CONTROL_LAYER_PERMUTED.equals(task.control())) {
                    start = Rewinding.resetTo(CheckpointFiles.readWeights(task.rewindPoint(), model), mask);
                    startStep = rewindStep;
                } else {
                    newRewind = Initializers.create(spec.initializer(), model,
                            ControlMasks.weightSeed(task.control(), task.seed(), level));
                    start = Rewinding.resetTo(newRewind, mask);
                    startStep = 0;
                }
            } else if (level == 0) {
                mask = Mask.allOnes(model);
                start = Initializers.create(spec.initializer(), model, task.seed());
                startStep = 0;
            } else {
                Mask parentMask = CheckpointFiles.readMask(task.parentMask(), model);
                Weights parentWeights = CheckpointFiles.readWeights(task.parentWeights(), model);
                phases.enter("prune");
                if (scoresOneShot(spec.pruning())) {
                    // one-shot methods score the trained weights (omp) or the rewind point (pruning at init)
                    Weights scored = PruningSpec.OMP.equals(spec.pruning().strategy())
                            ? parentWeights : CheckpointFiles.readWeights(task.rewindPoint(), model);
                    long pruneSeed = Seeds.derive(task.seed(), "prune", level);
                    boolean redraw = PruningSpec.GRASP.equals(spec.pruning().strategy())
                            && spec.pruning().graspRedrawLinear();
                    OneShotResult oneShot = OneShotPruning.prune(oneShotRequest(spec.pruning(), model,
                            GraspScoringWeights.of(model, scored, redraw, pruneSeed), parentMask, train, pruneSeed));
                    mask = oneShot.mask();
                    pruningRecord = new LinkedHashMap<>(oneShot.record());
                    if (PruningSpec.GRASP.equals(spec.pruning().strategy())) {
                        pruningRecord.put("scoredWeights", redraw
                                ? "a copy with every Linear weight re-drawn from Xavier normal (seeded), as GraSP's reference"
                                : "the rewind point's weights");
                    }
                } else {
                    mask = pruneLevel(spec.pruning(), parentWeights, parentMask);
                }
                if (RewindSpec.REINIT.equals(spec.rewind().mode())) {
                    newRewind = Initializers.create(spec.initializer(), model, Seeds.derive(task.seed(), "reinit", level));
                    start = Rewinding.resetTo(newRewind, mask);
                    startStep = 0;
                } else {
                    Weights rewindPoint = CheckpointFiles.readWeights(task.rewindPoint(), model);
                    start = Rewinding.resetTo(rewindPoint, mask);
                    startStep = rewindStep;
                }
            }

            EpochCheckpoint resume = usableCheckpoint(task, model, mask, spec, startStep, rewindStep, perEpoch * epochs);
            Map<String, String> resumeProvenance = new LinkedHashMap<>();
            if (resume != null) {
                resumeProvenance.put("resumedFromEpoch", String.valueOf(resume.epoch()));
                resumeProvenance.put("resumedFromStep", String.valueOf(resume.state().step()));
                resumeProvenance.put("resumedFromCheckpointSha256", Digests.sha256Hex(task.resumeCheckpoint()));
                listener.progress(new Progress(level, resume.epoch(), epochs, resume.state().step(), null, "resume"));
            }
            phases.enter("train");
            boolean firstLevel = level == 0 && task.control() == null; // the level that captures the rewind point
            RewindCapture capture = new RewindCapture(firstLevel ? rewindStep : -1, phases,
                    new Checkpointing(task, mask, epochs, listener));
            if (resume != null && resume.rewind() != null) {
                capture.captured = resume.rewind();
            }
            TrainingLoop.Builder loop = TrainingLoop.builder()
                    .setModel(model)
                    .setTraining(spec.training())
                    .setData(train)
                    .setInitialWeights(start)
                    .optMask(mask)
                    .setSeed(task.seed())
                    .optAugmentation(datasets.trainAugmentation(spec.dataset()).orElse(null))
                    .optLevel(level)
                    .optStartStep(startStep)
                    .optCallback(capture)
                    .optCancellation(listener::cancelRequested, cancelCheckInterval)
                    .optProgressInterval(progressInterval);
            if (resume != null) {
                loop.optResumeFrom(resume.state());
            }
            TrainingResult result = loop.build().run();

            phases.enter("evaluate");
            List<MetricReport> metrics = new ModelEvaluator(evaluationBatchSize)
                    .evaluate(model, result.weights(), test, spec.evaluation());

            phases.enter("write");
            Map<String, String> provenance = provenance(spec, model, task, rewindStep, perEpoch, result);
            if (pruningRecord != null) {
                provenance.put("pruning", PROVENANCE_JSON.writeValueAsString(pruningRecord));
            }
            provenance.putAll(resumeProvenance);
            Map<String, String> fileMetadata = fileMetadata(spec, task);
            Path out = Files.createDirectories(task.outputDir());
            Path rewindPath;
            if (firstLevel) {
                rewindPath = out.resolve(REWIND_FILE);
                CheckpointFiles.writeWeights(capture.captured(), rewindPath,
                        with(fileMetadata, "kind", "rewind", "step", String.valueOf(rewindStep)));
            } else if (newRewind != null) {
                rewindPath = out.resolve(REWIND_FILE);
                CheckpointFiles.writeWeights(newRewind, rewindPath, with(fileMetadata, "kind", "rewind", "step", "0"));
            } else {
                rewindPath = task.rewindPoint();
            }
            Path maskPath = out.resolve(MASK_FILE);
            CheckpointFiles.writeMask(mask, maskPath, with(fileMetadata, "kind", "mask", "step", ""));
            Path trainedPath = out.resolve(TRAINED_FILE);
            CheckpointFiles.writeWeights(result.weights(), trainedPath,
                    with(fileMetadata, "kind", "trained", "step", String.valueOf(result.finalStep())));

            Map<String, LayerDensity> layers = mask.layerDensities();
            long totalParameters = model.totalParameterCount();
            long pruned = mask.total() - mask.remaining();
            phases.enter("done");
            if (task.transfer()) {
                provenance.put("transferFrom", task.rewindPoint() != null
                        ? "source mask and rewind weights, retrained from step 0 on " + spec.dataset()
                        : "source mask with weights initialised by the spec's initializer (seed " + task.seed()
                                + "), trained from step 0 on " + spec.dataset());
                provenance.put("outputLayer", outputReinitialized
                        ? "re-initialised (the class counts differ) and dense" : "the source's mask and weights");
            }
            return new LevelOutcome(level, maskPath, rewindPath, firstLevel || newRewind != null, trainedPath,
                    mask.total(), mask.remaining(), totalParameters, totalParameters - pruned,
                    layers, metrics, provenance, result.finalStep() - startStep, result.lastEpochMeanLoss());
        }
    }

    /**
     * The mask of an IMP level L ≥ 1. Without a target sparsity, an ordinary round. With one, the
     * level that would pass the target prunes exactly to it instead; strategy {@code omp} prunes
     * to it at once (level 1).
     */
    static Mask pruneLevel(PruningSpec pruning, Weights parentWeights, Mask parentMask) {
        if (pruning.targetSparsity() == null) {
            if (PruningSpec.OMP.equals(pruning.strategy())) {
                throw new IllegalArgumentException("pruning.strategy omp needs pruning.targetSparsity");
            }
            return MagnitudePruning.prune(parentWeights, parentMask, pruning);
        }
        long target = MagnitudePruning.targetRemaining(parentMask.total(), pruning.targetSparsity());
        if (PruningSpec.OMP.equals(pruning.strategy())) {
            return MagnitudePruning.pruneToRemaining(parentWeights, parentMask, pruning, target);
        }
        Mask ordinary = MagnitudePruning.prune(parentWeights, parentMask, pruning);
        return ordinary.remaining() < target
                ? MagnitudePruning.pruneToRemaining(parentWeights, parentMask, pruning, target)
                : ordinary;
    }

    /** The class count a source ticket was found with: the rows of the output layer in its mask file. */
    static int sourceClasses(Path mask, ModelDefinition target) throws IOException {
        String output = target.outputLayer().weight();
        io.ticketfoundry.common.safetensors.SafeTensors file = io.ticketfoundry.common.safetensors.SafeTensorsReader.read(mask);
        if (!file.contains(output)) {
            throw new IllegalArgumentException("the source mask has no " + output + " tensor");
        }
        return Math.toIntExact(file.get(output).shape()[0]);
    }

    /** Whether level 1 is made by {@link OneShotPruning}: the scored methods, and omp spread by ERK. */
    static boolean scoresOneShot(PruningSpec pruning) {
        return pruning.oneShot() && (!PruningSpec.OMP.equals(pruning.strategy())
                || PruningSpec.ERK.equals(pruning.layerDistribution()));
    }

    static OneShotRequest oneShotRequest(PruningSpec pruning, ModelDefinition model, Weights scored, Mask current,
            InMemoryDataset train, long seed) {
        String method = PruningSpec.OMP.equals(pruning.strategy()) ? PruningMethods.MAGNITUDE : pruning.strategy();
        OneShotRequest.Builder request = OneShotRequest.builder(model, scored, method, pruning.targetSparsity())
                .mask(current)
                .scope(pruning.scope())
                .ignore(pruning.ignore())
                .seed(seed);
        if (PruningSpec.LAYERWISE.equals(pruning.scope())) {
            request.distribution(pruning.layerDistribution());
        }
        if (PruningSpec.SNIP.equals(method) || PruningSpec.GRASP.equals(method)) {
            request.scoringData(ScoringData.of(train)).samplesPerClass(pruning.scoreSamplesPerClass());
        }
        if (PruningSpec.SYNFLOW.equals(method)) {
            request.rounds(pruning.synflowRounds());
        }
        return request.build();
    }

    /** The task's checkpoint if it belongs to this level and run, else null (the level starts over). */
    private static EpochCheckpoint usableCheckpoint(LevelTask task, ModelDefinition model, Mask mask, ExperimentSpec spec,
            long startStep, long rewindStep, long totalSteps) {
        if (task.resumeCheckpoint() == null) {
            return null;
        }
        String problem;
        EpochCheckpoint checkpoint = null;
        try {
            checkpoint = EpochCheckpoint.read(task.resumeCheckpoint(), model);
            long step = checkpoint.state().step();
            if (checkpoint.level() != task.level() || checkpoint.seed() != task.seed()) {
                problem = "it was made for seed " + checkpoint.seed() + " level " + checkpoint.level();
            } else if (!EpochCheckpoint.maskDigest(mask).equals(checkpoint.maskSha256())) {
                problem = "it was made under a different mask";
            } else if (!spec.training().optimizer().equals(checkpoint.state().optimizer().optimizer())) {
                problem = "it holds " + checkpoint.state().optimizer().optimizer() + " state";
            } else if (step <= startStep || step >= totalSteps) {
                problem = "its step " + step + " is outside (" + startStep + ", " + totalSteps + ")";
            } else if (task.level() == 0 && task.control() == null && step >= rewindStep && checkpoint.rewind() == null) {
                problem = "it lacks the rewind point of step " + rewindStep;
            } else {
                return checkpoint;
            }
        } catch (IOException | RuntimeException e) {
            problem = e.getMessage();
        }
        log.warn("Not resuming seed {} level {} from {}: {}; training the level from its start", task.seed(),
                task.level(), task.resumeCheckpoint(), problem);
        return null;
    }

    static long rewindStep(RewindSpec rewind, long iterationsPerEpoch) {
        RewindSpec spec = rewind.withDefaults();
        if (spec.step() < 0) {
            throw new IllegalArgumentException("rewind.step must be >= 0, is " + spec.step());
        }
        return switch (spec.unit()) {
            case RewindSpec.ITERATIONS -> spec.step();
            case RewindSpec.EPOCHS -> spec.step() * iterationsPerEpoch;
            default -> throw new IllegalArgumentException("unknown rewind.unit \"" + spec.unit() + "\"; expected "
                    + RewindSpec.ITERATIONS + " or " + RewindSpec.EPOCHS);
        };
    }

    private Map<String, String> provenance(ExperimentSpec spec, ModelDefinition model, LevelTask task, long rewindStep, long perEpoch,
            TrainingResult result) {
        Map<String, String> values = new LinkedHashMap<>(Provenance.environment(workerId));
        values.put("model", spec.model());
        values.put("dataset", spec.dataset());
        values.put("datasetContent", datasets.contentDescription(spec.dataset()));
        values.put("metricsSplit", Split.TEST.label());
        values.put("seed", String.valueOf(task.seed()));
        values.put("level", String.valueOf(task.level()));
        values.put("rewindStepIterations", String.valueOf(rewindStep));
        values.put("iterationsPerEpoch", String.valueOf(perEpoch));
        values.put("finalStep", String.valueOf(result.finalStep()));
        values.put("pruneCounting", spec.pruning().counting());
        values.put("pruneStrategy", spec.pruning().strategy());
        if (spec.pruning().targetSparsity() != null) {
            values.put("targetSparsity", String.valueOf(spec.pruning().targetSparsity()));
            values.put("targetRounding", "remaining = floor((1 - targetSparsity) x prunable weights), exact decimal");
        }
        values.put("rewindMode", spec.rewind().mode());
        if (task.control() != null) {
            values.put("control", task.control());
        }
        values.put("pruneRounding", "ceil(fraction x remaining), exact decimal product, per group");
        values.put("pruneTieBreak", "tensor order, then flat row-major index");
        values.put("retrainFrom", "rewind step (open_lth)");
        values.put("dataOrder", "permutation per (seed, level, epoch); last batch partial");
        values.put("init", Initializers.describe(spec.initializer(), model));
        values.put("objective", io.ticketfoundry.worker.loss.Objectives.describe(spec.training().objective()));
        values.put("optimizerImpl", "DJL " + (spec.training().nesterov() ? "nag (sgd nesterov)" : spec.training().optimizer())
                + ", learning-rate schedule " + spec.training().schedule().kind());
        return values;
    }

    private static Map<String, String> fileMetadata(ExperimentSpec spec, LevelTask task) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("model", spec.model());
        metadata.put("dataset", spec.dataset());
        metadata.put("seed", String.valueOf(task.seed()));
        metadata.put("level", String.valueOf(task.level()));
        return metadata;
    }

    private static Map<String, String> with(Map<String, String> base, String k1, String v1, String k2, String v2) {
        Map<String, String> all = new LinkedHashMap<>(base);
        all.put(k1, v1);
        if (!v2.isEmpty()) {
            all.put(k2, v2);
        }
        return all;
    }

    /** Forwards phase changes and training progress to the listener as {@link Progress}. */
    private static final class Phases {
        private final int level;
        private final int epochs;
        private final LevelListener listener;

        Phases(int level, int epochs, LevelListener listener) {
            this.level = level;
            this.epochs = epochs;
            this.listener = listener;
        }

        void enter(String phase) {
            if (!"done".equals(phase) && listener.cancelRequested()) {
                throw new TrainingCancelledException(phase);
            }
            listener.progress(new Progress(level, null, epochs, null, null, phase));
        }

        void training(int epoch, long step, double loss) {
            listener.progress(new Progress(level, epoch, epochs, step, Double.isFinite(loss) ? loss : null, "train"));
        }
    }

    /** Writes an epoch checkpoint every few epochs and hands it to the listener. */
    private final class Checkpointing {
        private final LevelTask task;
        private final String maskSha256;
        private final int epochs;
        private final LevelListener listener;
        private long lastNanos = System.nanoTime();

        Checkpointing(LevelTask task, Mask mask, int epochs, LevelListener listener) {
            this.task = task;
            this.maskSha256 = checkpointEveryEpochs > 0 ? EpochCheckpoint.maskDigest(mask) : null;
            this.epochs = epochs;
            this.listener = listener;
        }

        void afterEpoch(int epoch, Supplier<TrainingState> state, Weights rewind) {
            if (checkpointEveryEpochs <= 0 || epoch >= epochs || epoch % checkpointEveryEpochs != 0
                    || System.nanoTime() - lastNanos < checkpointMinInterval.toNanos()) {
                return;
            }
            TrainingState current = state.get();
            Path file = task.outputDir().resolve("checkpoint-epoch-" + epoch + ".safetensors");
            try {
                new EpochCheckpoint(task.level(), task.seed(), epoch, maskSha256, current, rewind).write(file);
                listener.checkpoint(file, epoch, current.step());
            } catch (IOException e) {
                log.warn("Could not write the checkpoint of epoch {}: {}", epoch, e.toString());
            } finally {
                lastNanos = System.nanoTime();
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // the job directory is removed when the job ends
                }
            }
        }
    }

    /** Keeps the weights at the rewind step (level 0 only), relays progress and epoch checkpoints. */
    private static final class RewindCapture implements TrainingCallback {
        private final long rewindStep;
        private final Phases phases;
        private final Checkpointing checkpointing;
        private Weights captured;

        RewindCapture(long rewindStep, Phases phases, Checkpointing checkpointing) {
            this.rewindStep = rewindStep;
            this.phases = phases;
            this.checkpointing = checkpointing;
        }

        @Override
        public void afterEpoch(int epoch, long step, Supplier<TrainingState> state) {
            checkpointing.afterEpoch(epoch, state, rewindStep >= 0 && step >= rewindStep ? captured : null);
        }

        @Override
        public void afterStep(long step, Supplier<Weights> weights) {
            if (step == rewindStep) {
                captured = weights.get();
            }
        }

        @Override
        public void progress(int epoch, long step, double meanLoss) {
            phases.training(epoch, step, meanLoss);
        }

        Weights captured() {
            if (captured == null) {
                throw new IllegalStateException("training never reached the rewind step " + rewindStep);
            }
            return captured;
        }
    }

    int cancelCheckInterval() {
        return cancelCheckInterval;
    }

    int progressInterval() {
        return progressInterval;
    }

    int checkpointEveryEpochs() {
        return checkpointEveryEpochs;
    }

    Duration checkpointMinInterval() {
        return checkpointMinInterval;
    }

    public static final class Builder {
        private Path datasetRoot;
        private String workerId;
        private ModelRegistry models = ModelRegistry.standard();
        private int evaluationBatchSize = 2048;
        private int cancelCheckInterval = 20;
        private int progressInterval = 100;
        private int checkpointEveryEpochs;
        private Duration checkpointMinInterval = Duration.ZERO;
        private DatasetVerifier.Mode datasetVerification = DatasetVerifier.Mode.WARN;

        private Builder() {
        }

        /**
         * Writes an epoch checkpoint every {@code everyEpochs} epochs (0: never), skipping one when
         * less than {@code minInterval} passed since the last (so short levels are not slowed down).
         * Checkpoints never change a level's result, so this is a worker setting, not part of a spec.
         */
        public Builder optCheckpoints(int everyEpochs, Duration minInterval) {
            if (everyEpochs < 0 || minInterval.isNegative()) {
                throw new IllegalArgumentException("checkpoint interval must be >= 0");
            }
            this.checkpointEveryEpochs = everyEpochs;
            this.checkpointMinInterval = minInterval;
            return this;
        }

        /**
         * How base datasets are checked against the registry's hashes: {@code WARN} unless set (tests
         * train on generated files); the worker sets its configured mode, {@code STRICT} by default.
         */
        public Builder optDatasetVerification(DatasetVerifier.Mode mode) {
            this.datasetVerification = Objects.requireNonNull(mode);
            return this;
        }

        /** The directory holding {@code <dataset>/train-images-idx3-ubyte[.gz]} etc. */
        public Builder setDatasetRoot(Path datasetRoot) {
            this.datasetRoot = datasetRoot;
            return this;
        }

        /** Recorded in every outcome's provenance. */
        public Builder setWorkerId(String workerId) {
            this.workerId = workerId;
            return this;
        }

        public Builder optModelRegistry(ModelRegistry models) {
            this.models = Objects.requireNonNull(models);
            return this;
        }

        public Builder optEvaluationBatchSize(int evaluationBatchSize) {
            this.evaluationBatchSize = evaluationBatchSize;
            return this;
        }

        /** How often (in training steps) {@link LevelListener#cancelRequested()} is polled. */
        public Builder optCancelCheckInterval(int steps) {
            this.cancelCheckInterval = steps;
            return this;
        }

        /** How often (in training steps) progress is reported, besides every epoch end. */
        public Builder optProgressInterval(int steps) {
            this.progressInterval = steps;
            return this;
        }

        public LevelRunner build() {
            return new LevelRunner(this);
        }
    }
}
