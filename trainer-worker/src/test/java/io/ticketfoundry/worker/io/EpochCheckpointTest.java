package io.ticketfoundry.worker.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.common.safetensors.DType;
import io.ticketfoundry.worker.model.BufferSpec;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ModelRegistry;
import io.ticketfoundry.worker.model.Weights;
import io.ticketfoundry.worker.prune.Mask;
import io.ticketfoundry.worker.train.OptimizerState;
import io.ticketfoundry.worker.train.TrainingState;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EpochCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void batchNormBuffersSurviveACheckpoint() throws Exception {
        ModelDefinition model = ModelRegistry.standard().get("resnet-20", 10);
        Weights weights = model.initialWeights(3);
        int buffers = 0;
        for (BufferSpec buffer : model.buffers()) {
            if (buffer.dtype() == DType.I64) {
                weights.longValues(buffer.name())[0] = 57;
            } else {
                float[] values = weights.values(buffer.name());
                for (int i = 0; i < values.length; i++) {
                    values[i] = 0.25f + i * 0.5f;
                }
            }
            buffers++;
        }
        assertThat(buffers).isPositive();
        OptimizerState optimizer = new OptimizerState("sgd", 0, Map.of());
        Path file = dir.resolve("checkpoint.safetensors");
        new EpochCheckpoint(0, 3, 1, EpochCheckpoint.maskDigest(Mask.allOnes(model)),
                new TrainingState(10, weights, optimizer), null).write(file);
        EpochCheckpoint read = EpochCheckpoint.read(file, model);
        assertThat(read.state().weights().bitEquals(weights)).isTrue();
    }
}
