package io.ticketfoundry.worker.model;

/**
 * How each kind of tensor is initialised: Conv weights, Linear weights, and BatchNorm's γ/β.
 * Biases of Linear and Conv layers always take PyTorch's default, uniform on ±1/sqrt(fan_in);
 * BatchNorm buffers always start fresh (mean 0, variance 1, counter 0).
 */
public record InitScheme(WeightRule conv, WeightRule linear, NormRule norm) {

    /** open_lth's {@code kaiming_normal} model init with its {@code uniform} BatchNorm init. */
    public static final InitScheme OPEN_LTH_KAIMING_NORMAL =
            new InitScheme(WeightRule.KAIMING_NORMAL_FAN_IN, WeightRule.KAIMING_NORMAL_FAN_IN, NormRule.UNIFORM_GAMMA);

    /** Frankle &amp; Carbin's Conv-2/4/6: Gaussian Glorot for every weight (no BatchNorm). */
    public static final InitScheme GLOROT_NORMAL =
            new InitScheme(WeightRule.XAVIER_NORMAL, WeightRule.XAVIER_NORMAL, NormRule.ONES);

    /** torchvision's ResNet: convs Kaiming normal fan_out, Linear PyTorch's default, BN γ=1 β=0. */
    public static final InitScheme TORCHVISION_RESNET =
            new InitScheme(WeightRule.KAIMING_NORMAL_FAN_OUT, WeightRule.PYTORCH_DEFAULT, NormRule.ONES);

    public enum WeightRule {
        /** N(0, 2/fan_in). */
        KAIMING_NORMAL_FAN_IN("kaiming-normal fan_in relu"),
        /** N(0, 2/fan_out). */
        KAIMING_NORMAL_FAN_OUT("kaiming-normal fan_out relu"),
        /** N(0, 2/(fan_in + fan_out)). */
        XAVIER_NORMAL("xavier-normal"),
        /** Uniform on ±1/sqrt(fan_in): PyTorch's default for nn.Linear/nn.Conv2d. */
        PYTORCH_DEFAULT("uniform(+-1/sqrt(fan_in))");

        private final String description;

        WeightRule(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    public enum NormRule {
        /** open_lth's {@code uniform}: γ ~ U[0, 1), β = 0. */
        UNIFORM_GAMMA("gamma U[0,1) beta 0"),
        /** PyTorch's default: γ = 1, β = 0. */
        ONES("gamma 1 beta 0");

        private final String description;

        NormRule(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    public String describe(boolean hasNorm) {
        String s = "conv weights " + conv.description() + "; linear weights " + linear.description()
                + "; biases uniform(+-1/sqrt(fan_in))";
        return hasNorm ? s + "; batchnorm " + norm.description() : s;
    }
}
