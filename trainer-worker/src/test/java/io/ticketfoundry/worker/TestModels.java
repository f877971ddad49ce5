package io.ticketfoundry.worker;

import ai.djl.ndarray.types.Shape;
import io.ticketfoundry.worker.model.Initialization;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.Network;
import io.ticketfoundry.worker.model.ParameterSpec;
import io.ticketfoundry.worker.model.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A parameter layout small enough to check pruning by hand (no network behind it). */
public final class TestModels {

    private TestModels() {
    }

    public static ModelDefinition tiny() {
        return new ModelDefinition() {
            private final List<ParameterSpec> parameters = List.of(
                    new ParameterSpec("a.weight", new long[] {2, 3}, true, 3),
                    new ParameterSpec("a.bias", new long[] {2}, false, 3),
                    new ParameterSpec("b.weight", new long[] {4}, true, 4),
                    new ParameterSpec("c.weight", new long[] {2, 2}, true, 2),
                    new ParameterSpec("c.bias", new long[] {2}, false, 2));

            @Override
            public String name() {
                return "tiny";
            }

            @Override
            public Shape sampleShape() {
                return new Shape(3);
            }

            @Override
            public int numClasses() {
                return 2;
            }

            @Override
            public List<ParameterSpec> parameters() {
                return parameters;
            }

            @Override
            public Network newNetwork() {
                throw new UnsupportedOperationException("layout only");
            }

            @Override
            public Weights initialWeights(long seed) {
                return Initialization.kaimingNormal(this, seed);
            }
        };
    }

    /** Weights of {@link #tiny()} with the given prunable values and zero biases. */
    public static Weights tinyWeights(float[] a, float[] b, float[] c) {
        Map<String, float[]> values = new LinkedHashMap<>();
        values.put("a.weight", a);
        values.put("a.bias", new float[2]);
        values.put("b.weight", b);
        values.put("c.weight", c);
        values.put("c.bias", new float[2]);
        return Weights.of(tiny(), values);
    }
}
