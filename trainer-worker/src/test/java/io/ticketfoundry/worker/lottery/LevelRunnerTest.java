package io.ticketfoundry.worker.lottery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.ticketfoundry.common.protocol.LayerDensity;
import io.ticketfoundry.common.protocol.MetricReport;
import io.ticketfoundry.common.protocol.Progress;
import io.ticketfoundry.common.spec.EvaluationSpec;
import io.ticketfoundry.common.spec.ExperimentSpec;
import io.ticketfoundry.common.spec.PruningSpec;
import io.ticketfoundry.common.spec.RewindSpec;
import io.ticketfoundry.common.spec.TrainingSpec;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.DatasetLoader;
import io.ticketfoundry.worker.data.InMemoryDataset;
import io.ticketfoundry.worker.data.Split;
import io.ticketfoundry.worker.data.SyntheticIdx;
import io.ticketfoundry.worker.io.CheckpointFiles;
import io.ticketfoundry.worker.model.LeNet300100;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ParameterSpec;
import io.ticketfoundry.worker.model.Weights;
import io.ticketfoundry.worker.prune.MagnitudePruning;
import io.ticketfoundry.worker.prune.Mask;
import io.ticketfoundry.worker.train.TrainingCallback;
import io.ticketfoundry.worker.train.TrainingCancelledException;
import io.ticketfoundry.worker.train.TrainingLoop;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LevelRunnerTest {

    @TempDir
    static Path datasetRoot;

    @TempDir
    Path work;

    private static final ModelDefinition LENET = new LeNet300100();
    private static final long SEED = 17;

    @BeforeAll
    static void generateData() throws Exception {
        SyntheticIdx.write(datasetRoot, DatasetInfo.MNIST, 320, 100, 3, true);
    }

    private static ExperimentSpec spec(RewindSpec rewind) {
        return new ExperimentSpec(1, "lenet-300-100", "mnist", new TrainingSpec("sgd", 0.01, 0.9, 0.0, 32, 2),
                new PruningSpec("global", 0.2, 2, Map.of(), List.of()), rewind, new EvaluationSpec(15));
    }

    private static LevelRunner runner() {
        return LevelRunner.builder().setDatasetRoot(datasetRoot).setWorkerId("worker-test").optProgressInterval(5).build();
    }

    private static final class RecordingListener implements LevelListener {
        final List<Progress> events = new ArrayList<>();

        @Override
        public void progress(Progress progress) {
            events.add(progress);
        }

        @Override
        public boolean cancelRequested() {
            return false;
        }
    }

    @Test
    void levelZeroThenLevelOneWithLateRewinding() throws Exception {
        ExperimentSpec spec = spec(new RewindSpec(3, "iterations"));
        RecordingListener listener = new RecordingListener();

        LevelOutcome zero = runner().run(LevelTask.first(spec, SEED, work.resolve("level-0")), listener);

        assertThat(zero.level()).isZero();
        assertThat(zero.rewindWritten()).isTrue();
        assertThat(zero.maskPath()).isEqualTo(work.resolve("level-0/mask.safetensors"));
        assertThat(zero.rewindPath()).isEqualTo(work.resolve("level-0/rewind.safetensors"));
        assertThat(zero.trainedPath()).isEqualTo(work.resolve("level-0/trained.safetensors"));
        assertThat(Files.list(work.resolve("level-0")).map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder("mask.safetensors", "rewind.safetensors", "trained.safetensors");
        assertThat(zero.prunableWeights()).isEqualTo(266_200);
        assertThat(zero.remainingPrunable()).isEqualTo(266_200);
        assertThat(zero.totalParameters()).isEqualTo(266_610);
        assertThat(zero.remainingTotal()).isEqualTo(266_610);
        assertThat(zero.trainingSteps()).isEqualTo(20);
        assertThat(CheckpointFiles.readMask(zero.maskPath(), LENET)).isEqualTo(Mask.allOnes(LENET));
        assertThat(zero.metrics()).extracting(MetricReport::name).containsExactly("accuracy", "ece", "nll", "brier", "sce",
                "per-class-accuracy");
        assertThat(zero.metrics()).allSatisfy(m -> {
            assertThat(m.dataset()).isEqualTo("mnist");
            assertThat(m.split()).isEqualTo("test");
        });
        assertThat(zero.metrics().get(0).value()).isGreaterThan(0.9);
        assertThat(zero.provenance()).containsEntry("workerId", "worker-test").containsEntry("djlVersion", "0.34.0")
                .containsEntry("pytorchVersion", "2.7.1").containsEntry("pruneCounting", "ignored-excluded").containsEntry("objective", "basic")
                .containsEntry("rewindStepIterations", "3").containsKeys("device", "threads", "platformVersion");
        assertThat(zero.provenance().get("platformVersion")).isNotBlank();
        assertThat(listener.events).extracting(Progress::phase).contains("load", "train", "evaluate", "write", "done");
        assertThat(listener.events).filteredOn(p -> "train".equals(p.phase()))
                .allSatisfy(p -> assertThat(p.level()).isZero()).extracting(Progress::epoch).contains(1, 2);

        // The rewind point is the network after exactly 3 steps of level 0's training.
        Weights rewind = CheckpointFiles.readWeights(zero.rewindPath(), LENET);
        Weights replayedAtThree = weightsAtStep(spec, 3);
        assertBitIdentical(rewind, replayedAtThree);

        LevelTask next = new LevelTask(spec, SEED, 1, zero.maskPath(), zero.trainedPath(), zero.rewindPath(),
                work.resolve("level-1"));
        LevelOutcome one = runner().run(next, LevelListener.NONE);

        assertThat(one.rewindWritten()).isFalse();
        assertThat(one.rewindPath()).isEqualTo(zero.rewindPath());
        assertThat(Files.list(work.resolve("level-1")).map(p -> p.getFileName().toString()))
                .containsExactlyInAnyOrder("mask.safetensors", "trained.safetensors");
        assertThat(one.remainingPrunable()).isEqualTo(266_200 - 53_240);
        assertThat(one.remainingTotal()).isEqualTo(266_610 - 53_240);
        assertThat(one.layers().values().stream().mapToLong(LayerDensity::remaining).sum()).isEqualTo(212_960);
        assertThat(one.layers()).containsOnlyKeys("fc1.weight", "fc2.weight", "fc3.weight");
        assertThat(one.trainingSteps()).isEqualTo(20 - 3);

        Mask mask = CheckpointFiles.readMask(one.maskPath(), LENET);
        Weights trainedZero = CheckpointFiles.readWeights(zero.trainedPath(), LENET);
        assertThat(mask).isEqualTo(MagnitudePruning.prune(trainedZero, Mask.allOnes(LENET), spec.pruning()));
        Weights trainedOne = CheckpointFiles.readWeights(one.trainedPath(), LENET);
        for (ParameterSpec p : LENET.prunableParameters()) {
            float[] w = trainedOne.values(p.name());
            for (int i = 0; i < w.length; i++) {
                if (!mask.kept(p.name(), i) && w[i] != 0f) {
                    throw new AssertionError(p.name() + "[" + i + "] pruned but " + w[i]);
                }
            }
        }
        assertThat(one.toTicketReport("m", "r", "t").remainingPrunable()).isEqualTo(212_960);
    }

    @Test
    void rewindToInitIsTheSeededInitBitForBit() throws Exception {
        ExperimentSpec spec = spec(new RewindSpec(0, "iterations"));
        LevelOutcome zero = runner().run(LevelTask.first(spec, SEED, work), LevelListener.NONE);
        assertBitIdentical(CheckpointFiles.readWeights(zero.rewindPath(), LENET), LENET.initialWeights(SEED));
    }

    @Test
    void cancellationStopsTheLevelAndWritesNothing() {
        LevelListener cancelAfterAFewPolls = new LevelListener() {
            int polls;

            @Override
            public void progress(Progress progress) {
            }

            @Override
            public boolean cancelRequested() {
                return ++polls > 3;
            }
        };
        Path out = work.resolve("cancelled");
        assertThatThrownBy(() -> LevelRunner.builder().setDatasetRoot(datasetRoot).setWorkerId("w")
                .optCancelCheckInterval(2).build()
                .run(LevelTask.first(spec(RewindSpec.defaults()), SEED, out), cancelAfterAFewPolls))
                .isInstanceOf(TrainingCancelledException.class);
        assertThat(out).doesNotExist();
    }

    @Test
    void missingDatasetNamesThePathAndBadTasksAreRejected() {
        ExperimentSpec fashion = new ExperimentSpec(null, null, "fashion-mnist", null, null, null, null);
        assertThatThrownBy(() -> runner().run(LevelTask.first(fashion, SEED, work), LevelListener.NONE))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(datasetRoot.resolve("fashion-mnist/train-images-idx3-ubyte.gz").toString());
        assertThatThrownBy(() -> new LevelTask(spec(RewindSpec.defaults()), SEED, 1, null, null, null, work))
                .hasMessageContaining("needs parentMask");
        ExperimentSpec tooLate = spec(new RewindSpec(3, "epochs"));
        assertThatThrownBy(() -> runner().run(LevelTask.first(tooLate, SEED, work), LevelListener.NONE))
                .hasMessageContaining("nothing of the 20 steps");
    }

    @Test
    void rewindStepInEpochsCountsIterationsPerEpoch() {
        assertThat(LevelRunner.rewindStep(new RewindSpec(2, "epochs"), 469)).isEqualTo(938);
        assertThat(LevelRunner.rewindStep(new RewindSpec(5, "iterations"), 469)).isEqualTo(5);
        assertThatThrownBy(() -> LevelRunner.rewindStep(new RewindSpec(1, "minutes"), 10)).hasMessageContaining("unit");
    }

    private static Weights weightsAtStep(ExperimentSpec spec, long step) throws Exception {
        Weights[] seen = new Weights[1];
        try (NDManager manager = NDManager.newBaseManager();
                InMemoryDataset train = new DatasetLoader(datasetRoot).load(manager, "mnist", Split.TRAIN)) {
            TrainingLoop.builder().setModel(LENET).setTraining(spec.training()).setData(train)
                    .setInitialWeights(LENET.initialWeights(SEED)).setSeed(SEED).optLevel(0)
                    .optCallback(new TrainingCallback() {
                        @Override
                        public void afterStep(long s, Supplier<Weights> weights) {
                            if (s == step) {
                                seen[0] = weights.get();
                            }
                        }
                    }).build().run();
        }
        return seen[0];
    }

    private static void assertBitIdentical(Weights actual, Weights expected) {
        for (ParameterSpec p : LENET.parameters()) {
            assertThat(Arrays.equals(actual.values(p.name()), expected.values(p.name()))).as(p.name()).isTrue();
        }
    }
}
