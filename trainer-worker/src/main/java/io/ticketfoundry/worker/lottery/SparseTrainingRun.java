package io.ticketfoundry.worker.lottery;

import ai.djl.ndarray.NDManager;
import io.ticketfoundry.common.Digests;
import io.ticketfoundry.common.protocol.LayerDensity;
import io.ticketfoundry.common.protocol.MetricReport;
import io.ticketfoundry.common.protocol.Progress;
import io.ticketfoundry.common.spec.ExperimentSpec;
import io.ticketfoundry.common.spec.SparseTrainingSpec;
import io.ticketfoundry.worker.Seeds;
import io.ticketfoundry.worker.data.InMemoryDataset;
import io.ticketfoundry.worker.data.Split;
import io.ticketfoundry.worker.evaluate.ModelEvaluator;
import io.ticketfoundry.worker.io.CheckpointFiles;
import io.ticketfoundry.worker.io.EpochCheckpoint;
import io.ticketfoundry.worker.io.SparseCheckpoint;
import io.ticketfoundry.worker.model.Initializers;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ParameterSpec;
import io.ticketfoundry.worker.model.Weights;
import io.ticketfoundry.worker.prune.LayerDensities;
import io.ticketfoundry.worker.prune.Mask;
import io.ticketfoundry.worker.sparse.BatchNormEstimation;
import io.ticketfoundry.worker.sparse.SparseMaskDynamics;
import io.ticketfoundry.worker.sparse.SparseSchedule;
import io.ticketfoundry.worker.sparse.WeightAverage;
import io.ticketfoundry.worker.train.TrainingCallback;
import io.ticketfoundry.worker.train.TrainingCancelledException;
import io.ticketfoundry.worker.train.TrainingLoop;
import io.ticketfoundry.worker.train.TrainingResult;
import io.ticketfoundry.worker.train.TrainingState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Level 0 of a sparse-training experiment ({@code sparseTraining} in the spec): one sparse network
 * trained from its first step, whose final mask and weights are the experiment's ticket for the
 * seed (docs/experiments.md, "Sparse training").
 *
 * <ol>
 *   <li>Kept weights per sparse tensor (the prunable ones not ignored) at the target sparsity by
 *       {@link LayerDensities} ({@code uniform} or {@code erk}, the budget exactly
 *       {@code floor((1 − sparsity) × N)}); which positions, uniformly at random, seeded by (seed, tensor).
 *   <li>The seeded initialisation ({@code initializer}) under that mask; the dense initialisation is
 *       the ticket's rewind point (written like level 0's), so the final mask picks the initial
 *       values of its weights from it.
 *   <li>Training with the mask changing as {@link SparseMaskDynamics} says; masks and weights at
 *       {@code snapshotSteps} are kept.
 *   <li>CigL: the epoch-end weights of epochs {@code averageFromEpoch..epochs} averaged
 *       ({@link WeightAverage}) on the union of their masks or re-imposed at the target density,
 *       then BatchNorm statistics re-estimated over the training set ({@link BatchNormEstimation}).
 * </ol>
 * Epoch checkpoints carry the mask, the running average and the snapshots, so a resumed run ends
 * bit-identical to an uninterrupted one.
 */
final class SparseTrainingRun {

    private static final Logger log = LoggerFactory.getLogger(SparseTrainingRun.class);

    private final LevelRunner runner;

    SparseTrainingRun(LevelRunner runner) {
        this.runner = runner;
    }

    LevelOutcome run(LevelTask task, LevelListener listener) throws IOException {
        ExperimentSpec spec = task.resolvedSpec().withDefaults();
        SparseTrainingSpec sparse = spec.sparseTraining();
        if (task.level() != 0 || task.control() != null) {
            throw new IllegalArgumentException("a sparse-training experiment has one ticket per seed, at level 0; "
                    + "this job is level " + task.level() + (task.control() != null ? " control " + task.control() : ""));
        }
        if (sparse.sparsity() == null) {
            throw new IllegalArgumentException("sparseTraining.sparsity is required");
        }
        int epochs = spec.training().epochs();
        Phases phases = new Phases(epochs, listener);
        phases.enter("load");
        try (NDManager manager = NDManager.newBaseManager();
                InMemoryDataset train = runner.datasets().load(manager, spec.dataset(), Split.TRAIN);
                InMemoryDataset test = runner.datasets().load(manager, spec.dataset(), Split.TEST)) {
            ModelDefinition model = runner.models().get(spec.model(), train.numClasses());
            if (train.numClasses() != model.numClasses()) {
                throw new IllegalArgumentException("model " + model.name() + " has " + model.numClasses()
                        + " outputs but dataset " + train.name() + " has " + train.numClasses() + " classes");
            }
            long perEpoch = TrainingLoop.iterationsPerEpoch(train.size(), spec.training().batchSize());
            long totalSteps = perEpoch * epochs;
            SparseSchedule schedule = new SparseSchedule(sparse, totalSteps);
            TreeSet<Long> snapshotSteps = new TreeSet<>();
            for (int step : sparse.snapshotSteps()) {
                if (step < 1 || step >= totalSteps) {
                    throw new IllegalArgumentException("sparseTraining.snapshotSteps: step " + step + " is not between 1 and "
                            + (totalSteps - 1) + " (this run takes " + totalSteps + " steps; its last is the ticket itself)");
                }
                snapshotSteps.add((long) step);
            }
            boolean cigl = SparseTrainingSpec.CIGL.equals(sparse.method());
            if (cigl && (sparse.averageFromEpoch() < 1 || sparse.averageFromEpoch() > epochs)) {
                throw new IllegalArgumentException("sparseTraining.averageFromEpoch must be between 1 and " + epochs);
            }

            phases.enter("prune");
            Map<String, Long> kept = LayerDensities.keptCounts(model, spec.pruning().ignore(), sparse.distribution(),
                    sparse.sparsity());
            List<String> sparseTensors = List.copyOf(kept.keySet());
            Mask initialMask = initialMask(model, kept, task.seed());
            Weights init = Initializers.create(spec.initializer(), model, task.seed());
            Weights start = Rewinding.resetTo(init, initialMask);

            EpochCheckpoint resume = usableCheckpoint(task, model, initialMask, spec, totalSteps);
            Map<String, String> resumeProvenance = new LinkedHashMap<>();
            SparseCheckpoint resumed = resume == null ? null : resume.sparse();
            if (resume != null) {
                resumeProvenance.put("resumedFromEpoch", String.valueOf(resume.epoch()));
                resumeProvenance.put("resumedFromStep", String.valueOf(resume.state().step()));
                resumeProvenance.put("resumedFromCheckpointSha256", Digests.sha256Hex(task.resumeCheckpoint()));
                listener.progress(new Progress(0, resume.epoch(), epochs, resume.state().step(), null, "resume"));
            }
            SparseMaskDynamics dynamics = new SparseMaskDynamics(model, sparse, schedule,
                    resumed != null ? resumed.mask() : initialMask, sparseTensors, task.seed(),
                    resumed != null ? resumed.maskUpdates() : 0);
            WeightAverage average = resumed != null && resumed.averaged() > 0
                    ? new WeightAverage(model, resumed.average(), resumed.averageSupport(), resumed.averaged())
                    : new WeightAverage(model);
            List<SparseCheckpoint.Snapshot> snapshots = new ArrayList<>(resumed != null ? resumed.snapshots() : List.of());

            phases.enter("train");
            Callback callback = new Callback(task, epochs, listener, phases, dynamics, average, snapshots, snapshotSteps,
                    cigl ? sparse.averageFromEpoch() : Integer.MAX_VALUE, EpochCheckpoint.maskDigest(initialMask));
            TrainingLoop.Builder loop = TrainingLoop.builder()
                    .setModel(model)
                    .setTraining(spec.training())
                    .setData(train)
                    .setInitialWeights(start)
                    .optMaskDynamics(dynamics)
                    .setSeed(task.seed())
                    .optAugmentation(runner.datasets().trainAugmentation(spec.dataset()).orElse(null))
                    .optLevel(0)
                    .optStartStep(0)
                    .optCallback(callback)
                    .optCancellation(listener::cancelRequested, runner.cancelCheckInterval())
                    .optProgressInterval(runner.progressInterval());
            if (resume != null) {
                loop.optResumeFrom(resume.state());
            }
            TrainingResult result = loop.build().run();

            Weights finalWeights = result.weights();
            Mask finalMask = dynamics.mask();
            Map<String, String> ciglProvenance = new LinkedHashMap<>();
            if (cigl) {
                phases.enter("average");
                boolean reimpose = SparseTrainingSpec.REIMPOSE.equals(sparse.averaging());
                WeightAverage.Averaged averaged = average.result(result.weights(), reimpose ? kept : null);
                finalWeights = BatchNormEstimation.reestimate(model, averaged.weights(), train,
                        spec.training().batchSize());
                finalMask = averaged.mask();
                ciglProvenance.put("ciglAveragedEpochs", average.count() + " (epochs " + sparse.averageFromEpoch() + ".."
                        + epochs + ", equal weights)");
                ciglProvenance.put("ciglUnionDensity", String.valueOf(density(averaged.union(), sparseTensors)));
                ciglProvenance.put("ciglAveragedDensity", String.valueOf(density(finalMask, sparseTensors)));
                ciglProvenance.put("ciglBatchNorm", model.buffers().isEmpty() ? "none in " + model.name()
                        : "re-estimated over the training set in order, batch " + spec.training().batchSize()
                                + ", momentum b/(n+b) (cumulative)");
            }

            phases.enter("evaluate");
            ModelEvaluator evaluator = new ModelEvaluator(runner.evaluationBatchSize());
            List<MetricReport> metrics = evaluator.evaluate(model, finalWeights, test, spec.evaluation());

            phases.enter("write");
            Map<String, String> provenance = provenance(spec, model, task, perEpoch, totalSteps, schedule, dynamics);
            provenance.putAll(ciglProvenance);
            provenance.put("sparseDensity", String.valueOf(density(finalMask, sparseTensors)));
            provenance.putAll(resumeProvenance);
            Map<String, String> fileMetadata = new LinkedHashMap<>();
            fileMetadata.put("model", spec.model());
            fileMetadata.put("dataset", spec.dataset());
            fileMetadata.put("seed", String.valueOf(task.seed()));
            fileMetadata.put("level", "0");
            fileMetadata.put("sparseTraining", sparse.method());
            Path out = Files.createDirectories(task.outputDir());
            Path rewindPath = out.resolve(LevelRunner.REWIND_FILE);
            CheckpointFiles.writeWeights(init, rewindPath, with(fileMetadata, "kind", "rewind", "step", "0"));
            Path maskPath = out.resolve(LevelRunner.MASK_FILE);
            CheckpointFiles.writeMask(finalMask, maskPath, with(fileMetadata, "kind", "mask", "step",
                    String.valueOf(result.finalStep())));
            Path trainedPath = out.resolve(LevelRunner.TRAINED_FILE);
            CheckpointFiles.writeWeights(finalWeights, trainedPath,
                    with(fileMetadata, "kind", "trained", "step", String.valueOf(result.finalStep())));

            List<LevelOutcome.Snapshot> snapshotOutcomes = new ArrayList<>();
            for (SparseCheckpoint.Snapshot snapshot : snapshots) {
                String step = String.valueOf(snapshot.step());
                Path snapshotMask = out.resolve("snapshot-" + step + "-mask.safetensors");
                Path snapshotWeights = out.resolve("snapshot-" + step + "-trained.safetensors");
                CheckpointFiles.writeMask(snapshot.mask(), snapshotMask,
                        with(fileMetadata, "kind", "mask", "step", step));
                CheckpointFiles.writeWeights(snapshot.weights(), snapshotWeights,
                        with(fileMetadata, "kind", "trained", "step", step));
                Map<String, String> snapshotProvenance = new LinkedHashMap<>(provenance);
                ciglProvenance.keySet().forEach(snapshotProvenance::remove);
                snapshotProvenance.put("snapshotStep", step);
                snapshotProvenance.put("sparseDensity", String.valueOf(density(snapshot.mask(), sparseTensors)));
                Mask m = snapshot.mask();
                snapshotOutcomes.add(new LevelOutcome.Snapshot(snapshot.step(), snapshotMask, snapshotWeights, m.total(),
                        m.remaining(), model.totalParameterCount(), m.remainingParameters(),
                        layers(model, m), evaluator.evaluate(model, snapshot.weights(), test, spec.evaluation()),
                        snapshotProvenance));
            }
            long totalParameters = model.totalParameterCount();
            long pruned = finalMask.total() - finalMask.remaining();
            phases.enter("done");
            return new LevelOutcome(0, maskPath, rewindPath, true, trainedPath, finalMask.total(), finalMask.remaining(),
                    totalParameters, totalParameters - pruned, layers(model, finalMask), metrics, provenance,
                    result.finalStep(), result.lastEpochMeanLoss(), snapshotOutcomes);
        }
    }

    /**
     * The initial mask: each sparse tensor keeps {@code kept[tensor]} positions drawn uniformly
     * without replacement (a partial Fisher–Yates shuffle seeded by (seed, tensor index)); ignored
     * tensors are dense.
     */
    static Mask initialMask(ModelDefinition model, Map<String, Long> kept, long seed) {
        Map<String, byte[]> values = new LinkedHashMap<>();
        List<ParameterSpec> prunable = model.prunableParameters();
        for (int t = 0; t < prunable.size(); t++) {
            ParameterSpec p = prunable.get(t);
            byte[] mask = new byte[p.size()];
            Long keep = kept.get(p.name());
            if (keep == null) {
                java.util.Arrays.fill(mask, (byte) 1);
            } else {
                int[] order = new int[mask.length];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                SplittableRandom random = new SplittableRandom(Seeds.derive(seed, "sparse-initial-mask", t));
                for (int j = 0; j < keep; j++) {
                    int pick = j + random.nextInt(order.length - j);
                    int swap = order[j];
                    order[j] = order[pick];
                    order[pick] = swap;
                    mask[order[j]] = 1;
                }
            }
            values.put(p.name(), mask);
        }
        return Mask.of(model, values);
    }

    /** Kept over total of the sparse tensors (the prunable ones not ignored). */
    static double density(Mask mask, List<String> sparseTensors) {
        long total = 0;
        long remaining = 0;
        for (String name : sparseTensors) {
            total += mask.total(name);
            remaining += mask.remaining(name);
        }
        return total == 0 ? 1.0 : (double) remaining / total;
    }

    private static Map<String, LayerDensity> layers(ModelDefinition model, Mask mask) {
        return mask.layerDensities();
    }

    private EpochCheckpoint usableCheckpoint(LevelTask task, ModelDefinition model, Mask initialMask, ExperimentSpec spec,
            long totalSteps) {
        if (task.resumeCheckpoint() == null) {
            return null;
        }
        String problem;
        try {
            EpochCheckpoint checkpoint = EpochCheckpoint.read(task.resumeCheckpoint(), model);
            long step = checkpoint.state().step();
            if (checkpoint.level() != 0 || checkpoint.seed() != task.seed()) {
                problem = "it was made for seed " + checkpoint.seed() + " level " + checkpoint.level();
            } else if (checkpoint.sparse() == null) {
                problem = "it holds no sparse-training state";
            } else if (!EpochCheckpoint.maskDigest(initialMask).equals(checkpoint.maskSha256())) {
                problem = "it was made from a different initial mask";
            } else if (!spec.training().optimizer().equals(checkpoint.state().optimizer().optimizer())) {
                problem = "it holds " + checkpoint.state().optimizer().optimizer() + " state";
            } else if (step <= 0 || step >= totalSteps) {
                problem = "its step " + step + " is outside (0, " + totalSteps + ")";
            } else {
                return checkpoint;
            }
        } catch (IOException | RuntimeException e) {
            problem = e.getMessage();
        }
        log.warn("Not resuming seed {} (sparse training) from {}: {}; training from the start", task.seed(),
                task.resumeCheckpoint(), problem);
        return null;
    }

    private Map<String, String> provenance(ExperimentSpec spec, ModelDefinition model, LevelTask task, long perEpoch,
            long totalSteps, SparseSchedule schedule, SparseMaskDynamics dynamics) {
        SparseTrainingSpec sparse = spec.sparseTraining();
        Map<String, String> values = new LinkedHashMap<>(Provenance.environment(runner.workerId()));
        values.put("model", spec.model());
        values.put("dataset", spec.dataset());
        values.put("datasetContent", runner.datasets().contentDescription(spec.dataset()));
        values.put("metricsSplit", Split.TEST.label());
        values.put("seed", String.valueOf(task.seed()));
        values.put("level", "0");
        values.put("iterationsPerEpoch", String.valueOf(perEpoch));
        values.put("finalStep", String.valueOf(totalSteps));
        values.put("dataOrder", "permutation per (seed, level, epoch); last batch partial");
        values.put("init", Initializers.describe(spec.initializer(), model));
        values.put("objective", io.ticketfoundry.worker.loss.Objectives.describe(spec.training().objective()));
        values.put("optimizerImpl", "DJL " + (spec.training().nesterov() ? "nag (sgd nesterov)" : spec.training().optimizer())
                + ", learning-rate schedule " + spec.training().schedule().kind());
        values.put("rewindStepIterations", "0");
        values.put("rewindPoint", "the dense seeded initialisation (step 0); the mask selects the ticket's weights from it");
        values.put("sparseMethod", sparse.method());
        values.put("sparseTargetSparsity", String.valueOf(sparse.sparsity()));
        values.put("sparseDistribution", sparse.distribution());
        values.put("sparseInitialMask", "kept weights per tensor by " + sparse.distribution()
                + " (exact budget floor((1 - sparsity) x weights), largest remainder), positions uniform at random"
                + " seeded by (seed, tensor); ignored tensors dense");
        if (sparse.updatesMask()) {
            values.put("sparseUpdateInterval", String.valueOf(schedule.interval()));
            values.put("sparseEndStep", schedule.endStep() + " (floor(" + sparse.endFraction() + " x " + totalSteps + "))");
            values.put("sparseDropFraction", sparse.dropFraction() + " " + sparse.dropSchedule()
                    + (SparseTrainingSpec.COSINE.equals(sparse.dropSchedule()) ? ": f0/2 (1 + cos(pi t / endStep))" : ""));
            values.put("sparseMaskUpdates", String.valueOf(dynamics.updates()));
            values.put("sparseDrop", "int(active x f) smallest |w| per tensor, ties by flat index");
            values.put("sparseGrow", (SparseTrainingSpec.SET.equals(sparse.method())
                    ? "as many uniformly at random (seeded by seed, step, tensor)"
                    : "as many with the largest dense-gradient |g|, ties by flat index")
                    + "; new connections start at 0 with optimizer state reset; the update step's optimizer step is taken");
        }
        if (SparseTrainingSpec.CIGL.equals(sparse.method())) {
            values.put("ciglRandomMask", "keep (n-1)/n, scale n/(n-1), n = " + sparse.randomMaskDenominator()
                    + ", redrawn every step (seeded by seed, step, tensor); gradient by the chain rule");
            values.put("ciglAverageFromEpoch", String.valueOf(sparse.averageFromEpoch()));
            values.put("ciglAveraging", sparse.averaging());
        }
        return values;
    }

    private static Map<String, String> with(Map<String, String> base, String k1, String v1, String k2, String v2) {
        Map<String, String> all = new LinkedHashMap<>(base);
        all.put(k1, v1);
        all.put(k2, v2);
        return all;
    }

    /** Phase changes and training progress as {@link Progress}. */
    private static final class Phases {
        private final int epochs;
        private final LevelListener listener;

        Phases(int epochs, LevelListener listener) {
            this.epochs = epochs;
            this.listener = listener;
        }

        void enter(String phase) {
            if (!"done".equals(phase) && listener.cancelRequested()) {
                throw new TrainingCancelledException(phase);
            }
            listener.progress(new Progress(0, null, epochs, null, null, phase));
        }

        void training(int epoch, long step, double loss) {
            listener.progress(new Progress(0, epoch, epochs, step, Double.isFinite(loss) ? loss : null, "train"));
        }
    }

    /** Snapshots, CigL's epoch-end averaging, epoch checkpoints with the sparse state, progress. */
    private final class Callback implements TrainingCallback {
        private final LevelTask task;
        private final int epochs;
        private final LevelListener listener;
        private final Phases phases;
        private final SparseMaskDynamics dynamics;
        private final WeightAverage average;
        private final List<SparseCheckpoint.Snapshot> snapshots;
        private final TreeSet<Long> snapshotSteps;
        private final int averageFromEpoch;
        private final String initialMaskSha256;
        private long lastCheckpointNanos = System.nanoTime();

        Callback(LevelTask task, int epochs, LevelListener listener, Phases phases, SparseMaskDynamics dynamics,
                WeightAverage average, List<SparseCheckpoint.Snapshot> snapshots, TreeSet<Long> snapshotSteps,
                int averageFromEpoch, String initialMaskSha256) {
            this.task = task;
            this.epochs = epochs;
            this.listener = listener;
            this.phases = phases;
            this.dynamics = dynamics;
            this.average = average;
            this.snapshots = snapshots;
            this.snapshotSteps = snapshotSteps;
            this.averageFromEpoch = averageFromEpoch;
            this.initialMaskSha256 = initialMaskSha256;
        }

        @Override
        public void afterStep(long step, Supplier<Weights> weights) {
            if (snapshotSteps.contains(step) && snapshots.stream().noneMatch(s -> s.step() == step)) {
                snapshots.add(new SparseCheckpoint.Snapshot(step, dynamics.mask(), weights.get()));
            }
        }

        @Override
        public void progress(int epoch, long step, double meanLoss) {
            phases.training(epoch, step, meanLoss);
        }

        @Override
        public void afterEpoch(int epoch, long step, Supplier<TrainingState> state) {
            TrainingState current = null;
            if (epoch >= averageFromEpoch) {
                current = state.get();
                average.add(current.weights(), dynamics.mask());
            }
            int every = runner.checkpointEveryEpochs();
            if (every <= 0 || epoch >= epochs || epoch % every != 0
                    || System.nanoTime() - lastCheckpointNanos < runner.checkpointMinInterval().toNanos()) {
                return;
            }
            if (current == null) {
                current = state.get();
            }
            Path file = task.outputDir().resolve("checkpoint-epoch-" + epoch + ".safetensors");
            try {
                Files.createDirectories(task.outputDir());
                SparseCheckpoint sparse = new SparseCheckpoint(dynamics.mask(), dynamics.updates(),
                        average.count() > 0 ? average.mean() : null, average.count(),
                        average.count() > 0 ? average.support() : null, snapshots);
                new EpochCheckpoint(0, task.seed(), epoch, initialMaskSha256, current, null, sparse).write(file);
                listener.checkpoint(file, epoch, current.step());
            } catch (IOException e) {
                log.warn("Could not write the checkpoint of epoch {}: {}", epoch, e.toString());
            } finally {
                lastCheckpointNanos = System.nanoTime();
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // the job directory is removed when the job ends
                }
            }
        }
    }
}
