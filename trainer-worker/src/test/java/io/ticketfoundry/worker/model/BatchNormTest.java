package io.ticketfoundry.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.ticketfoundry.common.model.Layers;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** BatchNorm2d against PyTorch's definition, on numbers small enough to check by hand. */
class BatchNormTest {

    /** Just {@code nn.BatchNorm2d(2)} on [N, 2, 1, 2] inputs. */
    static final class OnlyBatchNorm extends LayeredModel {
        OnlyBatchNorm() {
            super("only-bn", new Shape(2, 1, 2), 2);
        }

        @Override
        protected void define(Layers l) {
            l.batchNorm("bn", 2);
        }
    }

    @Test
    void trainingUpdatesRunningStatsLikePyTorchAndEvaluationUsesThem() {
        OnlyBatchNorm model = new OnlyBatchNorm();
        assertThat(model.stateDictOrder()).containsExactly("bn.weight", "bn.bias", "bn.running_mean",
                "bn.running_var", "bn.num_batches_tracked");
        Weights start = Weights.of(model, Map.of("bn.weight", new float[] {1, 2}, "bn.bias", new float[] {0, 1}));
        assertThat(start.values("bn.running_var")).containsExactly(1f, 1f);
        assertThat(start.longValues("bn.num_batches_tracked")).containsExactly(0L);

        try (Model djl = Model.newInstance("bn"); NDManager manager = NDManager.newBaseManager()) {
            Network network = model.newNetwork();
            djl.setBlock(network.block());
            network.initializeWith(start);
            network.block().initialize(djl.getNDManager(), DataType.FLOAT32, new Shape(1, 2, 1, 2));
            ParameterStore store = new ParameterStore(djl.getNDManager(), false);
            // channel 0 holds 1, 2, 3, 4 (mean 2.5, unbiased var 5/3); channel 1 holds 0, 0, 0, 8 (mean 2, var 16)
            NDArray x = manager.create(new float[] {1, 2, 0, 0, 3, 4, 0, 8}, new Shape(2, 2, 1, 2));

            NDArray trainOut = network.block().forward(store, new NDList(x), true).singletonOrThrow();
            Weights afterTrain = network.currentWeights();
            assertThat(afterTrain.values("bn.running_mean")[0]).isCloseTo(0.25f, within(1e-6f));
            assertThat(afterTrain.values("bn.running_mean")[1]).isCloseTo(0.2f, within(1e-6f));
            assertThat(afterTrain.values("bn.running_var")[0]).isCloseTo(0.9f + 0.1f * 5f / 3f, within(1e-6f));
            assertThat(afterTrain.values("bn.running_var")[1]).isCloseTo(0.9f + 0.1f * 16f, within(1e-5f));
            assertThat(afterTrain.longValues("bn.num_batches_tracked")).containsExactly(1L);
            // batch statistics (biased variance 1.25) normalise in training
            assertThat(trainOut.toFloatArray()[0]).isCloseTo((float) ((1 - 2.5) / Math.sqrt(1.25 + 1e-5)), within(1e-5f));

            NDArray evalOut = network.block().forward(store, new NDList(x), false).singletonOrThrow();
            Weights afterEval = network.currentWeights();
            assertThat(afterEval.bitEquals(afterTrain)).isTrue();
            float expected = (float) ((1 - 0.25) / Math.sqrt(afterTrain.values("bn.running_var")[0] + 1e-5));
            assertThat(evalOut.toFloatArray()[0]).isCloseTo(expected, within(1e-5f));
        }
    }
}
