package io.ticketfoundry.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.ticketfoundry.common.spec.TrainingSpec;
import io.ticketfoundry.worker.data.Augmentation;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.DatasetLoader;
import io.ticketfoundry.worker.data.InMemoryDataset;
import io.ticketfoundry.worker.data.Split;
import io.ticketfoundry.worker.data.SyntheticIdx;
import io.ticketfoundry.worker.model.LeNet300100;
import io.ticketfoundry.worker.model.ModelDefinition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop hands every batch to the augmentation with the seed of its (seed, level, epoch, step). */
class TrainingAugmentationTest {

    @TempDir
    Path root;

    @Test
    void everyTrainingBatchIsAugmentedWithItsStepSeed() throws Exception {
        SyntheticIdx.write(root, DatasetInfo.MNIST, 100, 10, 3, false);
        ModelDefinition lenet = new LeNet300100();
        List<Long> seeds = new ArrayList<>();
        List<Long> batchSizes = new ArrayList<>();
        Augmentation recording = (batch, seed) -> {
            seeds.add(seed);
            batchSizes.add(batch.getShape().get(0));
            return batch.mul(1f);
        };
        try (NDManager manager = NDManager.newBaseManager();
                InMemoryDataset train = new DatasetLoader(root).load(manager, "mnist", Split.TRAIN)) {
            TrainingLoop.builder().setModel(lenet).setTraining(new TrainingSpec("sgd", 0.01, 0.0, 0.0, 32, 2))
                    .setData(train).setInitialWeights(lenet.initialWeights(1)).setSeed(9).optLevel(2)
                    .optStartStep(3).optAugmentation(recording).build().run();
        }
        // 100 examples in batches of 32: 4 steps an epoch; resuming at step 3 leaves steps 3..7
        assertThat(seeds).containsExactly(Augmentation.seed(9, 2, 0, 3), Augmentation.seed(9, 2, 1, 4),
                Augmentation.seed(9, 2, 1, 5), Augmentation.seed(9, 2, 1, 6), Augmentation.seed(9, 2, 1, 7));
        assertThat(batchSizes).containsExactly(4L, 32L, 32L, 32L, 4L);
    }
}
