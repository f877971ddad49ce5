package io.ticketfoundry.worker.prune;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.ticketfoundry.worker.model.LayeredModel;
import io.ticketfoundry.common.model.Layers;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.Weights;
import java.util.LinkedHashMap;
import java.util.Map;

/** Networks small enough to score by hand, and fixed scoring data for them. */
final class TinyNets {

    private TinyNets() {
    }

    /** {@code fc2(relu(fc1(x)))} on inputs [N, d]: fc1 [h, d], fc2 [k, h], both with bias. */
    static ModelDefinition mlp(int d, int h, int k) {
        return new LayeredModel("tiny-mlp-" + d + "-" + h + "-" + k, new Shape(d), k) {
            @Override
            protected void define(Layers l) {
                l.linear("fc1", d, h);
                l.relu();
                l.linear("fc2", h, k);
            }
        };
    }

    /** One Linear layer {@code fc} [k, d] with bias: multinomial logistic regression. */
    static ModelDefinition linear(int d, int k) {
        return new LayeredModel("tiny-linear-" + d + "-" + k, new Shape(d), k) {
            @Override
            protected void define(Layers l) {
                l.linear("fc", d, k);
            }
        };
    }

    /**
     * {@code fc(flatten(avgpool(relu(bn(conv(x))))))} on [N, 1, 2, 2]: a 1×1 convolution to 2
     * channels without bias, BatchNorm, ReLU, global average pool, Linear 2 → 2.
     */
    static ModelDefinition convBn() {
        return new LayeredModel("tiny-conv-bn", new Shape(1, 2, 2), 2) {
            @Override
            protected void define(Layers l) {
                l.conv("conv", 1, 2, 1, 1, 0, false);
                l.batchNorm("bn", 2);
                l.relu();
                l.globalAvgPool();
                l.flatten();
                l.linear("fc", 2, 2);
            }
        };
    }

    /** Two conv-BN-ReLU blocks with a max pool between, on [N, 3, 8, 8], then Linear 4 → 3. */
    static ModelDefinition smallConvBn() {
        return new LayeredModel("small-conv-bn", new Shape(3, 8, 8), 3) {
            @Override
            protected void define(Layers l) {
                l.conv("conv1", 3, 4, 3, 1, 1, false);
                l.batchNorm("bn1", 4);
                l.relu();
                l.maxPool(2, 2, 0);
                l.conv("conv2", 4, 4, 3, 1, 1, false);
                l.batchNorm("bn2", 4);
                l.relu();
                l.globalAvgPool();
                l.flatten();
                l.linear("fc", 4, 3);
            }
        };
    }

    /** Weights from name → values (row-major); F32 buffers may be given, the rest start fresh. */
    static Weights weights(ModelDefinition model, Object... nameValues) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            values.put((String) nameValues[i], (float[]) nameValues[i + 1]);
        }
        return Weights.of(model, values);
    }

    /** A fixed batch: every sample once, whatever the samples per class asked for. */
    static ScoringData data(float[][] x, int[] y, long[] sampleShape) {
        return new ScoringData() {
            @Override
            public String description() {
                return "fixed " + x.length;
            }

            @Override
            public ScoringBatch select(NDManager manager, int perClass, long seed) {
                int features = x[0].length;
                float[] flat = new float[x.length * features];
                long[] labels = new long[y.length];
                int classes = 0;
                for (int i = 0; i < x.length; i++) {
                    System.arraycopy(x[i], 0, flat, i * features, features);
                    labels[i] = y[i];
                    classes = Math.max(classes, y[i] + 1);
                }
                int[] perClassCounts = new int[classes];
                for (int label : y) {
                    perClassCounts[label]++;
                }
                return new ScoringBatch(manager.create(flat, new Shape(x.length).addAll(new Shape(sampleShape))),
                        manager.create(labels), perClassCounts);
            }
        };
    }

    /** Data that fails the moment anything reads it. */
    static ScoringData untouchable() {
        return new ScoringData() {
            @Override
            public String description() {
                throw new AssertionError("scoring data was read");
            }

            @Override
            public ScoringBatch select(NDManager manager, int perClass, long seed) {
                throw new AssertionError("scoring data was read");
            }
        };
    }
}
