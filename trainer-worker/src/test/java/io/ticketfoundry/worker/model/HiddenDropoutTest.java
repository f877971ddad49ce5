package io.ticketfoundry.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.nn.Block;
import io.ticketfoundry.common.spec.ModelCatalog;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class HiddenDropoutTest {

    private static final ModelDefinition LENET = new LeNet300100();

    private static float[] forward(Network network, NDManager manager, NDArray x, boolean training) {
        network.initializeWith(LENET.initialWeights(2));
        network.block().initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
        return network.block().forward(new ParameterStore(manager, false), new NDList(x), training).singletonOrThrow().toFloatArray();
    }

    @Test
    void dropoutSitsAfterTheHiddenActivationsActsInTrainingOnlyAndIsSeeded() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomUniform(0, 1, new Shape(4, 1, 28, 28));
            float[] plain = forward(LENET.newNetwork(), manager, x, true);
            HiddenDropout dropout = new HiddenDropout(0.2);
            Network stochastic = LENET.newNetwork(dropout);
            // no tensors are added: the state_dict is the model's
            assertThat(LENET.parameters()).hasSize(6);
            assertThat(forward(stochastic, manager, x, false)).containsExactly(plain);
            dropout.reseed(9);
            float[] first = forward(stochastic, manager, x, true);
            dropout.reseed(9);
            float[] again = forward(stochastic, manager, x, true);
            dropout.reseed(10);
            float[] other = forward(stochastic, manager, x, true);
            assertThat(again).containsExactly(first);
            assertThat(other).isNotEqualTo(first);
            assertThat(first).isNotEqualTo(plain);
        }
    }

    @Test
    void masksDropAtTheRateAndScaleTheRest() {
        HiddenDropout dropout = new HiddenDropout(0.2);
        dropout.reseed(1);
        float[] mask = dropout.nextMask(100_000);
        int zeros = 0;
        for (float v : mask) {
            if (v == 0) {
                zeros++;
            } else {
                assertThat(v).isEqualTo(1.25f);
            }
        }
        assertThat(zeros / 100_000.0).isCloseTo(0.2, within(0.005));
    }

    @Test
    void theCatalogKnowsWhichModelsHaveHiddenDropoutSlots() {
        ModelRegistry registry = ModelRegistry.standard();
        Set<String> withSlots = new TreeSet<>();
        for (String name : registry.names()) {
            if (countDropout(registry.get(name).newNetwork(new HiddenDropout(0.5)).block()) > 0) {
                withSlots.add(name);
            }
            assertThat(countDropout(registry.get(name).newNetwork().block())).isZero();
        }
        assertThat(withSlots).isEqualTo(new TreeSet<>(ModelCatalog.HIDDEN_DROPOUT_MODELS));
        assertThat(countDropout(LENET.newNetwork(new HiddenDropout(0.5)).block())).isEqualTo(2);
    }

    private static int countDropout(Block block) {
        int count = block instanceof SeededDropout ? 1 : 0;
        for (Block child : block.getChildren().values()) {
            count += countDropout(child);
        }
        return count;
    }
}
