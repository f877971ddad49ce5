package io.ticketfoundry.worker.model;

import io.ticketfoundry.worker.Seeds;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Seeded initial values, computed in Java so that they are bit-identical on every engine and
 * device. Each tensor draws from its own stream derived from (seed, tensor name).
 *
 * <p>Weights of Linear/Conv layers: Kaiming normal, fan-in mode, ReLU gain, i.e. N(0, 2/fan_in),
 * as open_lth's {@code kaiming_normal} init. Biases: uniform on [-1/sqrt(fan_in), 1/sqrt(fan_in)],
 * PyTorch's own default for {@code nn.Linear}/{@code nn.Conv2d}, which open_lth leaves in place
 * because its init function only touches weights.
 */
public final class Initialization {

    private Initialization() {
    }

    public static Weights kaimingNormal(ModelDefinition definition, long seed) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (ParameterSpec spec : definition.parameters()) {
            // java.util.Random's algorithms (LCG, polar Gaussian) are fixed by its specification.
            Random random = new Random(Seeds.derive(seed, "init", spec.name().hashCode()));
            float[] v = new float[spec.size()];
            if (spec.prunable()) {
                double std = Math.sqrt(2.0 / spec.fanIn());
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (random.nextGaussian() * std);
                }
            } else {
                double bound = 1.0 / Math.sqrt(spec.fanIn());
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
                }
            }
            values.put(spec.name(), v);
        }
        return Weights.of(definition, values);
    }
}
