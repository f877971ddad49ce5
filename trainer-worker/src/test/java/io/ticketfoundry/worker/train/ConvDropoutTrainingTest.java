package io.ticketfoundry.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.ticketfoundry.common.spec.ObjectiveSpec;
import io.ticketfoundry.common.spec.TrainingSpec;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.DatasetLoader;
import io.ticketfoundry.worker.data.InMemoryDataset;
import io.ticketfoundry.worker.data.Split;
import io.ticketfoundry.worker.data.SyntheticCifar;
import io.ticketfoundry.worker.data.SyntheticIdx;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ModelRegistry;
import io.ticketfoundry.worker.model.Weights;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vwcc} and {@code lwcc-si} with {@code dropoutPlacement: hidden-and-conv} through the
 * training loop on generated data: they train, the conv dropout changes the run, and runs (and a
 * run resumed from an epoch's state) are bit-identical.
 */
class ConvDropoutTrainingTest {

    @TempDir
    static Path root;

    private static NDManager manager;
    private static InMemoryDataset mnist;
    private static InMemoryDataset cifar;
    private static final ModelRegistry MODELS = ModelRegistry.standard();

    @BeforeAll
    static void generateData() throws Exception {
        SyntheticIdx.write(root.resolve("idx"), DatasetInfo.MNIST, 256, 10, 13, false);
        SyntheticCifar.writeCifar10(root.resolve("cifar"), 12, 10, 5);
        manager = NDManager.newBaseManager();
        mnist = new DatasetLoader(root.resolve("idx")).load(manager, "mnist", Split.TRAIN);
        cifar = new DatasetLoader(root.resolve("cifar")).load(manager, "cifar10", Split.TRAIN);
    }

    @AfterAll
    static void close() {
        mnist.close();
        cifar.close();
        manager.close();
    }

    private static ObjectiveSpec objective(String kind, int passes, double dropout, String placement) {
        return new ObjectiveSpec(kind, null, passes, dropout, placement, null, null, null, null, null, null, null, null, null);
    }

    private static TrainingSpec spec(ObjectiveSpec objective, int batchSize, int epochs) {
        return new TrainingSpec("sgd", 0.01, 0.9, 0.0, batchSize, epochs, null, null, objective);
    }

    private static TrainingLoop.Builder loop(ModelDefinition model, InMemoryDataset data, TrainingSpec spec, long seed) {
        return TrainingLoop.builder().setModel(model).setTraining(spec).setData(data)
                .setInitialWeights(model.initialWeights(1)).setSeed(seed).optLevel(1);
    }

    @Test
    void leNet5TrainsWithConvDropoutAndTheRunIsReproducible() {
        ModelDefinition lenet5 = MODELS.get("lenet-5");
        TrainingSpec conv = spec(objective("vwcc", 3, 0.2, ObjectiveSpec.DROPOUT_HIDDEN_AND_CONV), 32, 3);
        List<Double> epochLosses = new ArrayList<>();
        TrainingResult first = loop(lenet5, mnist, conv, 3).optProgressInterval(Integer.MAX_VALUE)
                .optCallback(new TrainingCallback() {
                    @Override
                    public void progress(int epoch, long step, double meanLoss) {
                        epochLosses.add(meanLoss);
                    }
                }).build().run();
        assertThat(epochLosses).hasSize(3).allSatisfy(l -> assertThat(l).isFinite());
        assertThat(epochLosses.get(2)).as(epochLosses.toString()).isLessThan(epochLosses.get(0) * 0.8);

        TrainingResult again = loop(lenet5, mnist, conv, 3).build().run();
        assertThat(again.weights().bitEquals(first.weights())).isTrue();
        assertThat(again.lastEpochMeanLoss()).isEqualTo(first.lastEpochMeanLoss());

        TrainingResult hiddenOnly = loop(lenet5, mnist,
                spec(objective("vwcc", 3, 0.2, ObjectiveSpec.DROPOUT_HIDDEN), 32, 3), 3).build().run();
        assertThat(hiddenOnly.weights().bitEquals(first.weights())).as("the conv dropout takes part").isFalse();
        TrainingResult otherSeed = loop(lenet5, mnist, conv, 4).build().run();
        assertThat(otherSeed.weights().bitEquals(first.weights())).isFalse();

        TrainingSpec lwcc = spec(objective("lwcc-si", 2, 0.2, ObjectiveSpec.DROPOUT_HIDDEN_AND_CONV), 64, 1);
        TrainingResult lwccFirst = loop(lenet5, mnist, lwcc, 3).build().run();
        assertThat(lwccFirst.lastEpochMeanLoss()).isFinite();
        assertThat(loop(lenet5, mnist, lwcc, 3).build().run().weights().bitEquals(lwccFirst.weights())).isTrue();
    }

    @Test
    void resNet20WithoutHiddenSlotsTrainsWithConvDropoutBitIdenticallyAndResumesBitForBit() {
        ModelDefinition resnet = MODELS.get("resnet-20");
        // 60 images at batch 20: 3 steps an epoch, 2 passes a step
        TrainingSpec conv = spec(objective("vwcc", 2, 0.2, ObjectiveSpec.DROPOUT_HIDDEN_AND_CONV), 20, 2);
        AtomicReference<TrainingState> afterFirstEpoch = new AtomicReference<>();
        TrainingResult straight = loop(resnet, cifar, conv, 7).optCallback(new TrainingCallback() {
            @Override
            public void afterEpoch(int epoch, long step, Supplier<TrainingState> state) {
                if (epoch == 1) {
                    afterFirstEpoch.set(state.get());
                }
            }
        }).build().run();
        assertThat(straight.finalStep()).isEqualTo(6);
        assertThat(straight.lastEpochMeanLoss()).isFinite();
        Weights start = resnet.initialWeights(1);
        assertThat(straight.weights().bitEquals(start)).isFalse();
        // every pass is a training forward: BatchNorm counts 6 steps x 2 passes, as PyTorch would
        assertThat(straight.weights().longValues("bn.num_batches_tracked")).containsExactly(12);

        TrainingResult again = loop(resnet, cifar, conv, 7).build().run();
        assertThat(again.weights().bitEquals(straight.weights())).as("same run, same bits").isTrue();

        TrainingResult resumed = loop(resnet, cifar, conv, 7).optResumeFrom(afterFirstEpoch.get()).build().run();
        assertThat(resumed.weights().bitEquals(straight.weights())).as("resumed after epoch 1").isTrue();

        TrainingResult noDropout = loop(resnet, cifar,
                spec(objective("vwcc", 2, 0.0, ObjectiveSpec.DROPOUT_HIDDEN_AND_CONV), 20, 2), 7).build().run();
        assertThat(noDropout.weights().bitEquals(straight.weights())).as("the conv dropout takes part").isFalse();
    }
}
