package io.ticketfoundry.worker.sparse;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.ticketfoundry.worker.data.InMemoryDataset;
import io.ticketfoundry.worker.data.Split;
import io.ticketfoundry.worker.model.LeNet300100;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ModelRegistry;
import io.ticketfoundry.worker.model.Weights;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchNormEstimationTest {

    @Test
    void theStatisticsAreTheSampleWeightedMeanOfTheBatches() {
        ModelDefinition resnet = ModelRegistry.standard().get("resnet-20", 10);
        Weights weights = resnet.initialWeights(4);
        Random random = new Random(2);
        int n = 48;
        float[] images = new float[n * 3 * 32 * 32];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextGaussian() + (i % 7) * 0.1f;
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            InMemoryDataset data = InMemoryDataset.ofArrays("noise", Split.TRAIN, manager.newSubManager(),
                    manager.create(images, new Shape(n, 3, 32, 32)), manager.create(new long[n]), 10);
            Weights whole = BatchNormEstimation.reestimate(resnet, weights, data, n);
            Weights batched = BatchNormEstimation.reestimate(resnet, weights, data, 16);
            Weights uneven = BatchNormEstimation.reestimate(resnet, weights, data, 20);
            // the first BatchNorm sees the stem convolution, linear in the input: its running mean over
            // batches weighted by size is the mean over the whole set, however the set is batched
            float[] mean = whole.values("bn.running_mean");
            assertThat(batched.values("bn.running_mean")).containsExactly(mean, org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(uneven.values("bn.running_mean")).containsExactly(mean, org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(whole.values("bn.running_var")[0]).isNotEqualTo(1f);
            assertThat(batched.longValues("bn.num_batches_tracked")[0]).as("three more forward passes")
                    .isEqualTo(weights.longValues("bn.num_batches_tracked")[0] + 3);
            assertThat(batched.values("conv.weight")).as("parameters untouched").isEqualTo(weights.values("conv.weight"));
            data.close();
        }
        LeNet300100 lenet = new LeNet300100();
        Weights plain = lenet.initialWeights(1);
        assertThat(BatchNormEstimation.reestimate(lenet, plain, null, 16)).isSameAs(plain);
    }
}
