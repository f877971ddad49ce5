package io.ticketfoundry.worker.evaluate;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.ticketfoundry.common.protocol.MetricReport;
import io.ticketfoundry.common.spec.EvaluationSpec;
import io.ticketfoundry.worker.data.InMemoryDataset;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.Network;
import io.ticketfoundry.worker.model.Weights;
import java.util.List;

/** Runs a model over a whole dataset in large inference batches (no gradients) and scores it. */
public final class ModelEvaluator {

    private final int batchSize;

    public ModelEvaluator(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive");
        }
        this.batchSize = batchSize;
    }

    /** Logits, row-major [N, numClasses]. */
    public float[] logits(ModelDefinition definition, Weights weights, InMemoryDataset data) {
        int n = data.size();
        int k = definition.numClasses();
        float[] logits = new float[n * k];
        try (Model model = Model.newInstance(definition.name() + "-eval")) {
            Network network = definition.newNetwork();
            model.setBlock(network.block());
            network.initializeWith(weights);
            network.block().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1).addAll(definition.sampleShape()));
            ParameterStore store = new ParameterStore(model.getNDManager(), false);
            for (int begin = 0; begin < n; begin += batchSize) {
                int end = Math.min(begin + batchSize, n);
                try (NDManager batch = model.getNDManager().newSubManager()) {
                    NDArray x = data.features().get(batch, new NDIndex().addSliceDim(begin, end));
                    NDArray out = network.block().forward(store, new NDList(x), false).singletonOrThrow();
                    float[] values = out.toFloatArray();
                    System.arraycopy(values, 0, logits, begin * k, values.length);
                }
            }
        }
        return logits;
    }

    /** Scored with B equal-width {@code (lo,hi]} bins. */
    public List<MetricReport> evaluate(ModelDefinition definition, Weights weights, InMemoryDataset data, int eceBins) {
        return evaluate(definition, weights, data, new EvaluationSpec(eceBins));
    }

    /** Scored with the binning of {@code evaluation} (unset fields at their defaults). */
    public List<MetricReport> evaluate(ModelDefinition definition, Weights weights, InMemoryDataset data,
            EvaluationSpec evaluation) {
        float[] logits = logits(definition, weights, data);
        return ClassificationMetrics.compute(logits, definition.numClasses(), data.labelValues(), evaluation,
                data.name(), data.split().label());
    }
}
