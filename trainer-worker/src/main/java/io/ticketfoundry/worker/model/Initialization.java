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

    /**
     * Xavier/Glorot normal for the prunable weights, N(0, 2/(fan_in + fan_out)), fan_out being
     * out_channels × receptive field (torch.nn.init's rule); every other parameter as the
     * model's own initialisation for the seed.
     */
    public static Weights xavierNormal(ModelDefinition definition, long seed) {
        return replacePrunable(definition, seed, (spec, random) -> {
            double std = Math.sqrt(2.0 / (spec.fanIn() + fanOut(spec)));
            return () -> (float) (random.nextGaussian() * std);
        });
    }

    /**
     * PyTorch's own default for Linear/Conv weights, kaiming_uniform(a = √5), which is
     * uniform on [-1/sqrt(fan_in), 1/sqrt(fan_in)]; every other parameter as the model's own
     * initialisation for the seed.
     */
    public static Weights pytorchDefault(ModelDefinition definition, long seed) {
        return replacePrunable(definition, seed, (spec, random) -> {
            double bound = 1.0 / Math.sqrt(spec.fanIn());
            return () -> (float) ((random.nextDouble() * 2 - 1) * bound);
        });
    }

    static int fanOut(ParameterSpec spec) {
        long[] shape = spec.shape();
        if (shape.length < 2) {
            return spec.fanIn();
        }
        long receptive = spec.size() / (shape[0] * shape[1]);
        return Math.toIntExact(shape[0] * receptive);
    }

    private interface Draw {
        java.util.function.Supplier<Float> sampler(ParameterSpec spec, Random random);
    }

    private static Weights replacePrunable(ModelDefinition definition, long seed, Draw draw) {
        Weights base = definition.initialWeights(seed);
        Map<String, float[]> values = new LinkedHashMap<>();
        for (ParameterSpec spec : definition.parameters()) {
            float[] v = base.values(spec.name()).clone();
            if (spec.prunable()) {
                Random random = new Random(Seeds.derive(seed, "init", spec.name().hashCode()));
                java.util.function.Supplier<Float> sampler = draw.sampler(spec, random);
                for (int i = 0; i < v.length; i++) {
                    v[i] = sampler.get();
                }
            }
            values.put(spec.name(), v);
        }
        return Weights.of(definition, values);
    }
}
