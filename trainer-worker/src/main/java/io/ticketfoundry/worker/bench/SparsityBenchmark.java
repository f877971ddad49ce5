package io.ticketfoundry.worker.bench;

import ai.djl.ndarray.NDManager;
import io.ticketfoundry.common.spec.EvaluationSpec;
import io.ticketfoundry.common.spec.ExperimentSpec;
import io.ticketfoundry.common.spec.PruningSpec;
import io.ticketfoundry.common.spec.RewindSpec;
import io.ticketfoundry.common.spec.SparseTrainingSpec;
import io.ticketfoundry.common.spec.TrainingSpec;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.InMemoryDataset;
import io.ticketfoundry.worker.data.SyntheticIdx;
import io.ticketfoundry.worker.lottery.LevelListener;
import io.ticketfoundry.worker.lottery.LevelOutcome;
import io.ticketfoundry.worker.lottery.LevelRunner;
import io.ticketfoundry.worker.lottery.LevelTask;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ModelRegistry;
import io.ticketfoundry.worker.model.Weights;
import io.ticketfoundry.worker.prune.OneShotPruning;
import io.ticketfoundry.worker.prune.OneShotRequest;
import io.ticketfoundry.worker.prune.PruningMethods;
import io.ticketfoundry.worker.prune.ScoringData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What sparsity costs: the wall time of each one-shot pruning method's scoring (LeNet-300-100 and
 * ResNet-20 at their initialisation, 90% sparsity, global) and the training throughput of a
 * sparse-training run against a static mask in the same run (LeNet-300-100, 90%). Prints a table;
 * not a test. Arguments: training samples for the sparse-training runs, epochs.
 */
public final class SparsityBenchmark {

    private SparsityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        System.out.printf(Locale.ROOT, "Sparsity benchmark: %s, %d cores, load %s%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim());
        scoring();
        sparseTraining(samples, epochs);
    }

    /** Seconds per one-shot method, after one warm-up call of each. */
    static void scoring() {
        ModelRegistry registry = ModelRegistry.standard();
        System.out.println();
        System.out.println("| model | method | rounds | scoring samples | seconds |");
        System.out.println("|---|---|---|---|---|");
        for (String name : List.of("lenet-300-100", "resnet-20")) {
            ModelDefinition model = registry.get(name, 10);
            Weights init = model.initialWeights(0);
            try (NDManager manager = NDManager.newBaseManager();
                    InMemoryDataset data = TrainingThroughputBenchmark.generated(manager, model, 500)) {
                for (String method : List.of(PruningMethods.RANDOM, PruningMethods.MAGNITUDE, PruningMethods.SNIP,
                        PruningMethods.GRASP, PruningMethods.SYNFLOW)) {
                    OneShotRequest.Builder request = OneShotRequest.builder(model, init, method, 0.9);
                    if (method.equals(PruningMethods.SNIP) || method.equals(PruningMethods.GRASP)) {
                        request.scoringData(ScoringData.of(data));
                    }
                    OneShotPruning.prune(request.build()); // warm-up
                    long start = System.nanoTime();
                    OneShotRequest built = request.build();
                    OneShotPruning.prune(built);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf(Locale.ROOT, "| %s | %s | %d | %d | %.2f |%n", name, method, built.rounds(),
                            built.samplesPerClass() * model.numClasses(), seconds);
                }
            }
        }
    }

    /** Samples per second of whole sparse-training levels (training and evaluation) per method, and ratios to static. */
    static void sparseTraining(int samples, int epochs) throws Exception {
        Path root = Files.createTempDirectory("sparsity-bench");
        SyntheticIdx.write(root, DatasetInfo.MNIST, samples, 2_000, 1, false);
        LevelRunner runner = LevelRunner.builder().setDatasetRoot(root).setWorkerId("bench").build();
        System.out.println();
        System.out.printf(Locale.ROOT, "LeNet-300-100, 90%% sparsity, SGD 0.1 batch 128, %d samples x %d epochs%n",
                samples, epochs);
        System.out.println("| method | seconds | samples/s | vs static | kept weights |");
        System.out.println("|---|---|---|---|---|");
        double staticRate = 0;
        runLevel(runner, root, "static", epochs); // warm-up
        for (String method : List.of("static", "set", "rigl", "cigl")) {
            long start = System.nanoTime();
            LevelOutcome outcome = runLevel(runner, root, method, epochs);
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = (double) samples * epochs / seconds;
            if (method.equals("static")) {
                staticRate = rate;
            }
            System.out.printf(Locale.ROOT, "| %s | %.1f | %,.0f | %.2f | %,d |%n", method, seconds, rate, rate / staticRate,
                    outcome.remainingPrunable());
        }
    }

    private static LevelOutcome runLevel(LevelRunner runner, Path root, String method, int epochs) throws Exception {
        boolean cigl = method.equals("cigl");
        SparseTrainingSpec sparse = new SparseTrainingSpec(method, 0.9, null, null, null, null, null, null,
                cigl ? Math.max(1, epochs - 1) : null, null, null);
        ExperimentSpec spec = new ExperimentSpec(1, "lenet-300-100", "mnist",
                new TrainingSpec("sgd", 0.1, 0.0, 0.0, 128, epochs),
                new PruningSpec("global", 0.2, 0, Map.of(), List.of()), new RewindSpec(0, "iterations"),
                new EvaluationSpec(15), null, null, sparse);
        return runner.run(LevelTask.first(spec, 0, Files.createTempDirectory(root, method)), LevelListener.NONE);
    }
}
