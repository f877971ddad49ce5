package io.ticketfoundry.worker.lottery;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.common.spec.EvaluationSpec;
import io.ticketfoundry.common.spec.ExperimentSpec;
import io.ticketfoundry.common.spec.PruningSpec;
import io.ticketfoundry.common.spec.RewindSpec;
import io.ticketfoundry.common.spec.TrainingSpec;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.SyntheticIdx;
import io.ticketfoundry.worker.io.CheckpointFiles;
import io.ticketfoundry.worker.model.LeNet300100;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.Weights;
import io.ticketfoundry.worker.prune.Mask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OMP, reinit and the controls through the level runner, on a few batches of synthetic MNIST. */
class LotteryOptionsLevelTest {

    @TempDir
    static Path datasetRoot;

    @TempDir
    static Path work;

    private static final ModelDefinition LENET = new LeNet300100();
    private static final long SEED = 5;
    private static LevelOutcome zero;

    private static ExperimentSpec spec(PruningSpec pruning, RewindSpec rewind) {
        return new ExperimentSpec(1, "lenet-300-100", "mnist", new TrainingSpec("sgd", 0.01, 0.9, 0.0, 64, 1), pruning,
                rewind, new EvaluationSpec(15), null, List.of("reinit", "layer-permuted", "global-permuted"));
    }

    private static final PruningSpec LAYERWISE = new PruningSpec("layerwise", 0.2, 2, Map.of("fc3.weight", 0.1), List.of());

    private static LevelRunner runner() {
        return LevelRunner.builder().setDatasetRoot(datasetRoot).setWorkerId("w").build();
    }

    @BeforeAll
    static void levelZero() throws Exception {
        SyntheticIdx.write(datasetRoot, DatasetInfo.MNIST, 192, 64, 3, true);
        zero = runner().run(LevelTask.first(spec(LAYERWISE, new RewindSpec(2, "iterations")), SEED, work.resolve("zero")),
                LevelListener.NONE);
    }

    private static LevelOutcome levelOne(ExperimentSpec spec, String dir, String control) throws Exception {
        return runner().run(new LevelTask(spec, SEED, 1, zero.maskPath(), zero.trainedPath(), zero.rewindPath(),
                work.resolve(dir), control), LevelListener.NONE);
    }

    @Test
    void ompPrunesOnceExactlyToTheTarget() throws Exception {
        PruningSpec omp = new PruningSpec("global", 0.2, 1, Map.of(), List.of(), 0.9, null, "omp");
        LevelOutcome one = levelOne(spec(omp, new RewindSpec(2, "iterations")), "omp", null);
        assertThat(one.remainingPrunable()).isEqualTo(26_620); // floor(0.1 x 266,200)
        assertThat(one.provenance()).containsEntry("pruneStrategy", "omp").containsEntry("targetSparsity", "0.9");
    }

    @Test
    void reinitGivesTheSurvivorsNewWeightsAndTrainsFromStepZero() throws Exception {
        LevelOutcome rewind = levelOne(spec(LAYERWISE, new RewindSpec(2, "iterations")), "rewind", null);
        LevelOutcome reinit = levelOne(spec(LAYERWISE, new RewindSpec(2, "iterations", "reinit")), "reinit", null);
        assertThat(CheckpointFiles.readMask(reinit.maskPath(), LENET)).isEqualTo(CheckpointFiles.readMask(rewind.maskPath(), LENET));
        assertThat(reinit.rewindWritten()).isTrue();
        assertThat(rewind.rewindWritten()).isFalse();
        Weights fresh = CheckpointFiles.readWeights(reinit.rewindPath(), LENET);
        Weights original = CheckpointFiles.readWeights(zero.rewindPath(), LENET);
        assertThat(Arrays.equals(fresh.values("fc1.weight"), original.values("fc1.weight"))).isFalse();
        assertThat(reinit.trainingSteps()).isEqualTo(3); // ceil(192 / 64), from step 0
        assertThat(rewind.trainingSteps()).isEqualTo(1); // from the rewind step 2
        assertThat(reinit.provenance()).containsEntry("rewindMode", "reinit");
    }

    @Test
    void controlsKeepTheirDensitiesAndAreDeterministic() throws Exception {
        ExperimentSpec spec = spec(LAYERWISE, new RewindSpec(2, "iterations"));
        LevelOutcome ticket = levelOne(spec, "ticket", null);
        Path ticketMaskPath = ticket.maskPath();
        Mask ticketMask = CheckpointFiles.readMask(ticketMaskPath, LENET);
        for (String control : List.of("reinit", "layer-permuted", "global-permuted")) {
            LevelTask task = new LevelTask(spec, SEED, 1, ticketMaskPath, ticket.trainedPath(), zero.rewindPath(),
                    work.resolve("control-" + control), control);
            LevelOutcome outcome = runner().run(task, LevelListener.NONE);
            Mask mask = CheckpointFiles.readMask(outcome.maskPath(), LENET);
            assertThat(outcome.remainingPrunable()).as(control).isEqualTo(ticket.remainingPrunable());
            if (!control.equals("global-permuted")) {
                for (String name : ticketMask.names()) {
                    assertThat(mask.remaining(name)).as(control + " " + name).isEqualTo(ticketMask.remaining(name));
                }
            }
            assertThat(mask.equals(ticketMask)).as(control).isEqualTo(control.equals("reinit"));
            assertThat(outcome.rewindWritten()).as(control).isEqualTo(!control.equals("layer-permuted"));
            assertThat(outcome.provenance()).containsEntry("control", control);

            LevelOutcome again = runner().run(new LevelTask(spec, SEED, 1, ticketMaskPath, ticket.trainedPath(),
                    zero.rewindPath(), work.resolve("again-" + control), control), LevelListener.NONE);
            assertThat(Files.readAllBytes(again.maskPath())).as(control).isEqualTo(Files.readAllBytes(outcome.maskPath()));
            assertThat(Files.readAllBytes(again.rewindPath())).as(control).isEqualTo(Files.readAllBytes(outcome.rewindPath()));
        }
    }
}
