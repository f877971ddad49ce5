package io.ticketfoundry.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.ticketfoundry.common.spec.TrainingSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Resetting the optimizer state of single elements (dynamic sparse training's new connections). */
class StatefulOptimizerResetTest {

    @Test
    void theStateOfTheChosenElementsIsZeroedAndTheRestKept() {
        for (TrainingSpec spec : new TrainingSpec[] {new TrainingSpec("sgd", 0.1, 0.9, 0.0, 1, 1),
            new TrainingSpec("adam", 0.01, 0.0, 0.0, 1, 1)}) {
            StatefulOptimizer optimizer = OptimizerFactory.create(spec);
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray weight = manager.create(new float[] {1f, -2f, 3f, 0.5f});
                NDArray grad = manager.create(new float[] {0.5f, 0.25f, -1f, 2f});
                optimizer.update("w", weight, grad);
                OptimizerState before = optimizer.export(Map.of("w", "w"));
                optimizer.resetElements("w", new byte[] {0, 1, 0, 1});
                OptimizerState after = optimizer.export(Map.of("w", "w"));
                assertThat(after.updates()).isEqualTo(before.updates());
                for (String slot : after.slots().keySet()) {
                    float[] was = before.values(slot, "w");
                    float[] is = after.values(slot, "w");
                    assertThat(was[1]).as(spec.optimizer() + " " + slot).isNotZero();
                    assertThat(is).containsExactly(was[0], 0f, was[2], 0f);
                }
                assertThat(after.slots()).isNotEmpty();
            }
        }
    }

    @Test
    void stateRestoredFromACheckpointIsResetBeforeItsFirstUse() {
        StatefulOptimizer optimizer = OptimizerFactory.create(new TrainingSpec("sgd", 0.1, 0.9, 0.0, 1, 1));
        float[] momentum = {1f, 2f, 3f};
        OptimizerState saved = new OptimizerState("sgd", 5, Map.of(StatefulOptimizer.MOMENTUM, Map.of("w", momentum)));
        optimizer.restore(saved, Map.of("w", "id-w"));
        optimizer.resetElements("id-w", new byte[] {1, 0, 0});
        assertThat(optimizer.export(Map.of("w", "id-w")).values(StatefulOptimizer.MOMENTUM, "w")).containsExactly(0f, 2f, 3f);
        assertThat(momentum).as("the checkpoint's arrays are not changed").containsExactly(1f, 2f, 3f);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(new float[] {0f, 0f, 0f});
            optimizer.update("id-w", weight, manager.create(new float[] {0f, 0f, 0f}));
            // w -= lr × (0.9 × v): the reset element does not move
            float[] w = weight.toFloatArray();
            assertThat(w[0]).isZero();
            assertThat(w[1]).isNotZero();
        }
    }
}
