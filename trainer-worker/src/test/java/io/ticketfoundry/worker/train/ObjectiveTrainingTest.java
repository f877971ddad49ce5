package io.ticketfoundry.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.ticketfoundry.common.spec.ObjectiveSpec;
import io.ticketfoundry.common.spec.TrainingSpec;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.DatasetLoader;
import io.ticketfoundry.worker.data.InMemoryDataset;
import io.ticketfoundry.worker.data.Split;
import io.ticketfoundry.worker.data.SyntheticIdx;
import io.ticketfoundry.worker.model.LeNet300100;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ParameterSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** A short LeNet-300-100 run per objective on generated data: the objective's own loss goes down. */
class ObjectiveTrainingTest {

    @TempDir
    static Path root;

    private static NDManager manager;
    private static InMemoryDataset train;
    private static final ModelDefinition LENET = new LeNet300100();

    @BeforeAll
    static void generateData() throws Exception {
        SyntheticIdx.write(root, DatasetInfo.MNIST, 256, 10, 13, false);
        manager = NDManager.newBaseManager();
        train = new DatasetLoader(root).load(manager, "mnist", Split.TRAIN);
    }

    @AfterAll
    static void close() {
        train.close();
        manager.close();
    }

    static List<String> kinds() {
        return ObjectiveSpec.KINDS;
    }

    private static TrainingSpec spec(String kind, int epochs) {
        return new TrainingSpec("sgd", 0.01, 0.9, 0.0, 32, epochs, null, null, ObjectiveSpec.of(kind));
    }

    private static TrainingLoop.Builder loop(TrainingSpec spec) {
        return TrainingLoop.builder().setModel(LENET).setTraining(spec).setData(train)
                .setInitialWeights(LENET.initialWeights(1)).setSeed(3).optLevel(1);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void theLossDecreases(String kind) {
        List<Double> epochLosses = new ArrayList<>();
        loop(spec(kind, 3)).optProgressInterval(Integer.MAX_VALUE).optCallback(new TrainingCallback() {
            @Override
            public void progress(int epoch, long step, double meanLoss) {
                epochLosses.add(meanLoss);
            }
        }).build().run();
        assertThat(epochLosses).hasSize(3).allSatisfy(l -> assertThat(l).isFinite());
        assertThat(epochLosses.get(2)).as(kind + " " + epochLosses).isLessThan(epochLosses.get(0) * 0.8);
    }

    @Test
    void stochasticPassesAndMixupAreSeededFromTheRunCoordinates() {
        for (String kind : List.of("vwcc", "mixup")) {
            TrainingResult a = loop(spec(kind, 1)).build().run();
            TrainingResult b = loop(spec(kind, 1)).build().run();
            TrainingResult otherSeed = loop(spec(kind, 1)).setSeed(4).build().run();
            for (ParameterSpec p : LENET.parameters()) {
                assertThat(a.weights().values(p.name())).as(kind).containsExactly(b.weights().values(p.name()));
            }
            assertThat(otherSeed.lastEpochMeanLoss()).as(kind).isNotEqualTo(a.lastEpochMeanLoss());
        }
    }
}
