package io.ticketfoundry.worker.lottery;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import io.ticketfoundry.common.protocol.Progress;
import io.ticketfoundry.common.spec.EvaluationSpec;
import io.ticketfoundry.common.spec.ExperimentSpec;
import io.ticketfoundry.common.spec.PruningSpec;
import io.ticketfoundry.common.spec.RewindSpec;
import io.ticketfoundry.common.spec.TrainingSpec;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.SyntheticIdx;
import io.ticketfoundry.worker.io.EpochCheckpoint;
import io.ticketfoundry.worker.model.LeNet300100;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A level run straight and the same level stopped after an epoch and resumed from that epoch's
 * checkpoint give byte-identical mask, rewind and trained files, for SGD with momentum and for
 * Adam, at level 0 (before and after the rewind point is captured) and at level 1 (which starts
 * mid-epoch at a late rewind step). The engine's global random seed plays no part.
 */
class ResumeDeterminismTest {

    @TempDir
    static Path datasetRoot;

    @TempDir
    Path work;

    private static final long SEED = 23;

    @BeforeAll
    static void generateData() throws Exception {
        // 320 samples at batch 32: 10 steps an epoch, 4 epochs, rewind at step 13
        SyntheticIdx.write(datasetRoot, DatasetInfo.MNIST, 320, 100, 5, false);
    }

    private static ExperimentSpec spec(String optimizer) {
        TrainingSpec training = optimizer.equals(TrainingSpec.SGD)
                ? new TrainingSpec("sgd", 0.05, 0.9, 1e-4, 32, 4)
                : new TrainingSpec("adam", 1.2e-3, 0.0, 1e-4, 32, 4);
        return new ExperimentSpec(1, "lenet-300-100", "mnist", training,
                new PruningSpec("global", 0.2, 2, Map.of(), List.of()), new RewindSpec(13, "iterations"),
                new EvaluationSpec(15));
    }

    private static LevelRunner runner() {
        return LevelRunner.builder().setDatasetRoot(datasetRoot).setWorkerId("resume-test")
                .optCheckpoints(1, Duration.ZERO).build();
    }

    /** Keeps a copy of every checkpoint the runner hands out, by epoch. */
    private static final class Keeper implements LevelListener {
        final Map<Integer, Path> checkpoints = new TreeMap<>();
        final Path dir;
        Progress resumed;

        Keeper(Path dir) {
            this.dir = dir;
        }

        @Override
        public void progress(Progress progress) {
            if ("resume".equals(progress.phase())) {
                resumed = progress;
            }
        }

        @Override
        public boolean cancelRequested() {
            return false;
        }

        @Override
        public void checkpoint(Path file, int epoch, long step) {
            try {
                Files.createDirectories(dir);
                checkpoints.put(epoch, Files.copy(file, dir.resolve("epoch-" + epoch + ".safetensors"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TrainingSpec.SGD, TrainingSpec.ADAM})
    void aResumedLevelIsBitIdenticalToAStraightOne(String optimizer) throws Exception {
        ExperimentSpec spec = spec(optimizer);
        Engine.getInstance().setRandomSeed(1);
        Keeper zeroCheckpoints = new Keeper(work.resolve("ckpt-0"));
        LevelOutcome zero = runner().run(LevelTask.first(spec, SEED, work.resolve("straight-0")), zeroCheckpoints);
        assertThat(zeroCheckpoints.checkpoints).as("every epoch but the last").containsOnlyKeys(1, 2, 3);
        EpochCheckpoint first = EpochCheckpoint.read(zeroCheckpoints.checkpoints.get(1), new LeNet300100());
        assertThat(first.state().step()).isEqualTo(10);
        assertThat(first.rewind()).as("step 10 is before the rewind step 13").isNull();
        assertThat(first.state().optimizer().updates()).isEqualTo(10);
        assertThat(EpochCheckpoint.read(zeroCheckpoints.checkpoints.get(2), new LeNet300100()).rewind()).isNotNull();

        // the engine's global seed differs on the resumed runs: nothing may depend on it
        for (int epoch : new int[] {1, 2}) {
            Engine.getInstance().setRandomSeed(1000 + epoch);
            Keeper keeper = new Keeper(work.resolve("unused"));
            LevelOutcome resumed = runner().run(LevelTask.first(spec, SEED, work.resolve("resumed-0-" + epoch))
                    .withResumeCheckpoint(zeroCheckpoints.checkpoints.get(epoch)), keeper);
            assertThat(resumed.provenance()).containsEntry("resumedFromEpoch", String.valueOf(epoch))
                    .containsEntry("resumedFromStep", String.valueOf(epoch * 10L));
            assertThat(keeper.resumed).isNotNull();
            assertSameFiles(zero, resumed);
        }

        LevelTask one = new LevelTask(spec, SEED, 1, zero.maskPath(), zero.trainedPath(), zero.rewindPath(),
                work.resolve("straight-1"));
        Keeper oneCheckpoints = new Keeper(work.resolve("ckpt-1"));
        LevelOutcome straight = runner().run(one, oneCheckpoints);
        assertThat(straight.remainingPrunable()).isLessThan(zero.remainingPrunable());
        assertThat(oneCheckpoints.checkpoints).as("level 1 starts at step 13, in epoch 2").containsOnlyKeys(2, 3);
        LevelOutcome resumed = runner().run(new LevelTask(spec, SEED, 1, zero.maskPath(), zero.trainedPath(),
                zero.rewindPath(), work.resolve("resumed-1")).withResumeCheckpoint(oneCheckpoints.checkpoints.get(2)),
                new Keeper(work.resolve("unused-1")));
        assertThat(resumed.provenance()).containsEntry("resumedFromStep", "20");
        assertThat(resumed.trainingSteps()).as("steps of the level, not of the attempt").isEqualTo(27);
        assertSameFiles(straight, resumed);
        assertThat(resumed.metrics()).isEqualTo(straight.metrics());
    }

    @ParameterizedTest
    @ValueSource(strings = {TrainingSpec.SGD})
    void aCheckpointOfAnotherLevelOrSeedIsIgnored(String optimizer) throws Exception {
        ExperimentSpec spec = spec(optimizer);
        Keeper keeper = new Keeper(work.resolve("ckpt"));
        LevelOutcome straight = runner().run(LevelTask.first(spec, SEED, work.resolve("straight")), keeper);
        LevelOutcome otherSeed = runner().run(LevelTask.first(spec, SEED + 1, work.resolve("other"))
                .withResumeCheckpoint(keeper.checkpoints.get(2)), LevelListener.NONE);
        assertThat(otherSeed.provenance()).doesNotContainKey("resumedFromEpoch");
        assertThat(Files.readAllBytes(otherSeed.trainedPath())).isNotEqualTo(Files.readAllBytes(straight.trainedPath()));
        LevelOutcome fresh = runner().run(LevelTask.first(spec, SEED + 1, work.resolve("fresh")), LevelListener.NONE);
        assertSameFiles(fresh, otherSeed);
    }

    private static void assertSameFiles(LevelOutcome expected, LevelOutcome actual) throws Exception {
        assertThat(Files.readAllBytes(actual.maskPath())).as("mask").isEqualTo(Files.readAllBytes(expected.maskPath()));
        assertThat(Files.readAllBytes(actual.rewindPath())).as("rewind point")
                .isEqualTo(Files.readAllBytes(expected.rewindPath()));
        assertThat(Files.readAllBytes(actual.trainedPath())).as("trained weights")
                .isEqualTo(Files.readAllBytes(expected.trainedPath()));
        assertThat(actual.finalTrainLoss()).isEqualTo(expected.finalTrainLoss());
    }
}
