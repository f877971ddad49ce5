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
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ModelRegistry;
import io.ticketfoundry.worker.model.Weights;
import io.ticketfoundry.worker.prune.MagnitudePruning;
import io.ticketfoundry.worker.prune.Mask;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A transfer level: a source ticket of 4 classes retrained on a 10-class dataset. */
class TransferLevelTest {

    @TempDir
    static Path datasetRoot;

    @TempDir
    static Path work;

    private static final ModelRegistry MODELS = ModelRegistry.standard();

    @BeforeAll
    static void generateData() throws Exception {
        SyntheticIdx.write(datasetRoot, DatasetInfo.MNIST, 300, 100, 8, false);
    }

    @Test
    void aSourceOfAnotherClassCountKeepsItsHiddenMasksAndGetsAFreshDenseOutputLayer() throws Exception {
        ModelDefinition source = MODELS.get("lenet-300-100", 4);
        Weights sourceInit = source.initialWeights(3);
        Mask sourceMask = MagnitudePruning.pruneToRemaining(sourceInit, Mask.allOnes(source),
                new PruningSpec("global", 0.2, 1, Map.of(), List.of()).withDefaults(), 30_000);
        Path mask = work.resolve("source-mask.safetensors");
        Path rewind = work.resolve("source-rewind.safetensors");
        CheckpointFiles.writeMask(sourceMask, mask, Map.of());
        CheckpointFiles.writeWeights(sourceInit, rewind, Map.of());

        ExperimentSpec spec = new ExperimentSpec(1, "lenet-300-100", "mnist", new TrainingSpec("sgd", 0.05, 0.9, 0.0, 50, 2),
                new PruningSpec("global", 0.2, 0, Map.of(), List.of()), new RewindSpec(0, "iterations"),
                new EvaluationSpec(15)).withDefaults();
        LevelRunner runner = LevelRunner.builder().setDatasetRoot(datasetRoot).setWorkerId("w").build();
        LevelOutcome outcome = runner.run(new LevelTask(spec, 3, 1, mask, rewind, rewind, work.resolve("out"),
                LevelTask.TRANSFER), LevelListener.NONE);

        ModelDefinition target = MODELS.get("lenet-300-100", 10);
        Mask moved = CheckpointFiles.readMask(outcome.maskPath(), target);
        assertThat(moved.remaining("fc1.weight")).isEqualTo(sourceMask.remaining("fc1.weight"));
        assertThat(moved.remaining("fc2.weight")).isEqualTo(sourceMask.remaining("fc2.weight"));
        assertThat(moved.remaining("fc3.weight")).as("re-initialised output layer, dense").isEqualTo(1000);
        assertThat(outcome.provenance().get("outputLayer")).startsWith("re-initialised");
        assertThat(outcome.rewindWritten()).isTrue();
        Weights start = CheckpointFiles.readWeights(outcome.rewindPath(), target);
        assertThat(start.values("fc1.weight")).containsExactly(sourceInit.values("fc1.weight"));
        assertThat(outcome.metrics().stream().filter(m -> m.name().equals("accuracy")).findFirst().orElseThrow().value())
                .isGreaterThan(0.5);
    }
}
