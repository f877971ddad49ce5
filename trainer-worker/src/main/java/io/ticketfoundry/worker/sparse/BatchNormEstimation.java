package io.ticketfoundry.worker.sparse;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.ticketfoundry.common.safetensors.DType;
import io.ticketfoundry.worker.data.InMemoryDataset;
import io.ticketfoundry.worker.model.BatchNorm2d;
import io.ticketfoundry.worker.model.BufferSpec;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.Network;
import io.ticketfoundry.worker.model.Weights;
import java.util.Arrays;

/**
 * Re-estimates the BatchNorm running statistics of finished weights over a dataset, as the SWA
 * utilities CigL uses ({@code bn_update}): running mean and variance reset to 0 and 1, then one
 * training-mode forward pass per batch with momentum b / (n + b) (b the batch's size, n the
 * samples seen before it), so the statistics end as the sample-weighted mean of the batches'.
 * Batches are the dataset in its order, without augmentation; {@code num_batches_tracked} goes on
 * counting, as PyTorch's does. A model without BatchNorm is returned unchanged.
 */
public final class BatchNormEstimation {

    private BatchNormEstimation() {
    }

    public static Weights reestimate(ModelDefinition definition, Weights weights, InMemoryDataset data, int batchSize) {
        if (definition.buffers().isEmpty()) {
            return weights;
        }
        Weights reset = weights.copy();
        for (BufferSpec buffer : definition.buffers()) {
            if (buffer.dtype() == DType.F32) {
                Arrays.fill(reset.values(buffer.name()), (float) buffer.initialValue());
            }
        }
        int n = data.size();
        try (Model model = Model.newInstance(definition.name() + "-bn")) {
            Network network = definition.newNetwork();
            model.setBlock(network.block());
            network.initializeWith(reset);
            network.block().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1).addAll(definition.sampleShape()));
            ParameterStore store = new ParameterStore(model.getNDManager(), false);
            long seen = 0;
            for (int begin = 0; begin < n; begin += batchSize) {
                int end = Math.min(begin + batchSize, n);
                int b = end - begin;
                float momentum = (float) ((double) b / (seen + b));
                for (BatchNorm2d norm : network.batchNorms()) {
                    norm.setMomentum(momentum);
                }
                try (NDManager batch = model.getNDManager().newSubManager()) {
                    NDArray x = data.features().get(batch, new NDIndex().addSliceDim(begin, end));
                    network.block().forward(store, new NDList(x), true);
                }
                seen += b;
            }
            for (BatchNorm2d norm : network.batchNorms()) {
                norm.setMomentum(BatchNorm2d.MOMENTUM);
            }
            return network.currentWeights();
        }
    }
}
