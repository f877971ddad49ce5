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
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two IMP levels of a convolutional model on image-shaped IDX data, a few batches each. */
class ConvLevelTest {

    @TempDir
    Path dir;

    @Test
    void lenet5RunsTwoLevelsOnImageTensors() throws Exception {
        Path root = dir.resolve("datasets");
        SyntheticIdx.write(root, DatasetInfo.MNIST, 96, 32, 5, false);
        ExperimentSpec spec = new ExperimentSpec(1, "lenet-5", "mnist", new TrainingSpec("sgd", 0.05, 0.9, 0.0, 32, 1),
                new PruningSpec("global", 0.2, 1, Map.of(), List.of()), new RewindSpec(0, "iterations"),
                new EvaluationSpec(15));
        LevelRunner runner = LevelRunner.builder().setDatasetRoot(root).setWorkerId("w").build();
        ModelDefinition lenet5 = ModelRegistry.standard().get("lenet-5");

        LevelOutcome zero = runner.run(LevelTask.first(spec, 0, dir.resolve("l0")), LevelListener.NONE);
        assertThat(zero.prunableWeights()).isEqualTo(61_470);
        assertThat(zero.totalParameters()).isEqualTo(61_706);
        assertThat(zero.trainingSteps()).isEqualTo(3);
        assertThat(zero.provenance().get("init")).startsWith("default: conv weights kaiming-normal fan_in");
        assertThat(CheckpointFiles.readWeights(zero.rewindPath(), lenet5).bitEquals(lenet5.initialWeights(0))).isTrue();

        LevelOutcome one = runner.run(new LevelTask(spec, 0, 1, zero.maskPath(), zero.trainedPath(), zero.rewindPath(),
                dir.resolve("l1")), LevelListener.NONE);
        assertThat(one.remainingPrunable()).isEqualTo(61_470 - 12_294);
        assertThat(CheckpointFiles.readMask(one.maskPath(), lenet5).remaining("conv1.weight")).isLessThanOrEqualTo(150);
        CheckpointFiles.readWeights(one.trainedPath(), lenet5);
    }
}
