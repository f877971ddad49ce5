package io.ticketfoundry.worker.model;

import io.ticketfoundry.worker.Seeds;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Seeded initial values, computed in Java so that they are bit-identical on every engine and
 * device. Each tensor draws from its own stream derived from (seed, tensor name), so adding a
 * layer never shifts another layer's values.
 *
 * <p>The rule per tensor comes from an {@link InitScheme}: Conv and Linear weights by the
 * scheme's weight rule (Kaiming normal N(0, 2/fan_in) as open_lth's {@code kaiming_normal},
 * Kaiming normal on fan_out as torchvision's ResNet, Xavier/Glorot normal N(0, 2/(fan_in+fan_out)),
 * or PyTorch's default uniform); biases uniform on [-1/sqrt(fan_in), 1/sqrt(fan_in)], PyTorch's own
 * default for {@code nn.Linear}/{@code nn.Conv2d}, which open_lth leaves in place because its init
 * function only touches weights; BatchNorm γ/β by the scheme's norm rule; buffers fresh.
 */
public final class Initialization {

    private Initialization() {
    }

    /** Kaiming normal weights and PyTorch-default biases, whatever the model's default. */
    public static Weights kaimingNormal(ModelDefinition definition, long seed) {
        return initialize(definition, InitScheme.OPEN_LTH_KAIMING_NORMAL, seed);
    }

    public static Weights initialize(ModelDefinition definition, Initializer initializer, long seed) {
        return initialize(definition, initializer.schemeFor(definition), seed);
    }

    public static Weights initialize(ModelDefinition definition, InitScheme scheme, long seed) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (ParameterSpec spec : definition.parameters()) {
            // java.util.Random's algorithms (LCG, polar Gaussian) are fixed by its specification.
            Random random = new Random(Seeds.derive(seed, "init", spec.name().hashCode()));
            float[] v = new float[spec.size()];
            switch (spec.kind()) {
                case WEIGHT -> fillWeight(v, spec, spec.isConvolution() ? scheme.conv() : scheme.linear(), random);
                case BIAS -> fillUniform(v, 1.0 / Math.sqrt(spec.fanIn()), random);
                case NORM_WEIGHT -> {
                    if (scheme.norm() == InitScheme.NormRule.UNIFORM_GAMMA) {
                        for (int i = 0; i < v.length; i++) {
                            v[i] = (float) random.nextDouble();
                        }
                    } else {
                        java.util.Arrays.fill(v, 1f);
                    }
                }
                case NORM_BIAS -> { }
                default -> throw new IllegalStateException("unknown kind " + spec.kind());
            }
            values.put(spec.name(), v);
        }
        return Weights.of(definition, values);
    }

    /** A one-line account of the scheme, for provenance. */
    public static String describe(ModelDefinition definition, Initializer initializer) {
        boolean hasNorm = definition.parameters().stream().anyMatch(p -> p.kind() == ParameterSpec.Kind.NORM_WEIGHT);
        return initializer.specName() + ": " + initializer.schemeFor(definition).describe(hasNorm);
    }

    private static void fillWeight(float[] v, ParameterSpec spec, InitScheme.WeightRule rule, Random random) {
        switch (rule) {
            case KAIMING_NORMAL_FAN_IN -> fillGaussian(v, Math.sqrt(2.0 / spec.fanIn()), random);
            case KAIMING_NORMAL_FAN_OUT -> fillGaussian(v, Math.sqrt(2.0 / spec.fanOut()), random);
            case XAVIER_NORMAL -> fillGaussian(v, Math.sqrt(2.0 / (spec.fanIn() + spec.fanOut())), random);
            case PYTORCH_DEFAULT -> fillUniform(v, 1.0 / Math.sqrt(spec.fanIn()), random);
            default -> throw new IllegalStateException("unknown rule " + rule);
        }
    }

    private static void fillGaussian(float[] v, double std, Random random) {
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextGaussian() * std);
        }
    }

    private static void fillUniform(float[] v, double bound, Random random) {
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
    }
}
