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
import io.ticketfoundry.worker.prune.LayerDensities;
import io.ticketfoundry.worker.prune.Mask;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Level 1 of the one-shot strategies: the mask by the chosen method, exactly at the target, then retrained. */
class OneShotLevelTest {

    @TempDir
    static Path datasetRoot;

    @TempDir
    static Path work;

    private static final ModelDefinition LENET = new LeNet300100();
    private static final long SEED = 9;
    private static LevelOutcome zero;

    private static ExperimentSpec spec(PruningSpec pruning) {
        return new ExperimentSpec(1, "lenet-300-100", "mnist", new TrainingSpec("sgd", 0.01, 0.9, 0.0, 64, 1), pruning,
                new RewindSpec(0, "iterations"), new EvaluationSpec(15), null, List.of());
    }

    private static LevelRunner runner() {
        return LevelRunner.builder().setDatasetRoot(datasetRoot).setWorkerId("w").build();
    }

    private static PruningSpec oneShot(String strategy, String scope, String distribution) {
        return new PruningSpec(scope, 0.2, 1, Map.of(), List.of(), 0.8, null, strategy, distribution, 2, 5, null);
    }

    @BeforeAll
    static void levelZero() throws Exception {
        SyntheticIdx.write(datasetRoot, DatasetInfo.MNIST, 192, 64, 4, true);
        zero = runner().run(LevelTask.first(spec(oneShot("snip", "global", null)), SEED, work.resolve("zero")),
                LevelListener.NONE);
    }

    private static LevelOutcome levelOne(PruningSpec pruning, String dir) throws Exception {
        return runner().run(new LevelTask(spec(pruning), SEED, 1, zero.maskPath(), zero.trainedPath(), zero.rewindPath(),
                work.resolve(dir), null), LevelListener.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "snip", "grasp", "synflow"})
    void everyMethodPrunesOnceExactlyToTheTargetAndRecordsWhatItDid(String method) throws Exception {
        LevelOutcome one = levelOne(oneShot(method, "global", null), method);
        assertThat(one.remainingPrunable()).isEqualTo(53_240); // floor(0.2 x 266,200)
        assertThat(one.provenance()).containsEntry("pruneStrategy", method);
        assertThat(one.provenance().get("pruning")).contains("\"method\":\"" + method + "\"");
        assertThat(one.metrics()).isNotEmpty();
    }

    @Test
    void layerwiseErkKeepsTheErkCountsPerTensor() throws Exception {
        LevelOutcome one = levelOne(oneShot("snip", "layerwise", "erk"), "snip-erk");
        Mask mask = CheckpointFiles.readMask(one.maskPath(), LENET);
        Map<String, Long> expected = LayerDensities.keptCounts(LENET, List.of(), LayerDensities.ERK, 0.8);
        expected.forEach((name, kept) -> assertThat(mask.remaining(name)).as(name).isEqualTo(kept));
        assertThat(one.provenance().get("pruning")).contains("\"distribution\":\"erk\"");

        LevelOutcome omp = levelOne(oneShot("omp", "layerwise", "erk"), "omp-erk");
        Mask ompMask = CheckpointFiles.readMask(omp.maskPath(), LENET);
        expected.forEach((name, kept) -> assertThat(ompMask.remaining(name)).as(name).isEqualTo(kept));
        assertThat(omp.provenance().get("pruning")).contains("\"method\":\"magnitude\"");
    }

    @Test
    void theSameSeedGivesTheSameMask() throws Exception {
        LevelOutcome a = levelOne(oneShot("random", "global", null), "random-a");
        LevelOutcome b = levelOne(oneShot("random", "global", null), "random-b");
        assertThat(CheckpointFiles.readMask(a.maskPath(), LENET)).isEqualTo(CheckpointFiles.readMask(b.maskPath(), LENET));
    }

    @Test
    void graspScoresAReDrawnCopyOfTheLinearWeightsAsItsReferenceUnlessToldOtherwise() throws Exception {
        LevelOutcome redrawn = levelOne(oneShot("grasp", "global", null), "grasp-redrawn");
        LevelOutcome own = levelOne(new PruningSpec("global", 0.2, 1, Map.of(), List.of(), 0.8, null, "grasp", null, 2, 5,
                false), "grasp-own");
        assertThat(redrawn.provenance().get("pruning")).contains("re-drawn from Xavier normal");
        assertThat(own.provenance().get("pruning")).contains("\"scoredWeights\":\"the rewind point's weights\"");
        assertThat(CheckpointFiles.readMask(redrawn.maskPath(), LENET))
                .isNotEqualTo(CheckpointFiles.readMask(own.maskPath(), LENET));
        assertThat(own.remainingPrunable()).isEqualTo(redrawn.remainingPrunable()).isEqualTo(53_240);
    }
}
