package io.ticketfoundry.worker.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * The initialisation a run asks for, by the name a spec uses. {@link #DEFAULT} is the model's own
 * default ({@link ModelDefinition#defaultInitScheme()}, documented per model in docs/models.md);
 * the others choose the rule for Linear and Conv weights and keep the model's rule for BatchNorm.
 * Biases always get PyTorch's default, uniform on ±1/sqrt(fan_in).
 */
public enum Initializer {
    /** N(0, 2/fan_in): {@code torch.nn.init.kaiming_normal_} with its defaults (fan_in, ReLU gain). */
    KAIMING_NORMAL("kaiming-normal"),
    /** N(0, 2/(fan_in + fan_out)): {@code torch.nn.init.xavier_normal_} (Glorot), gain 1. */
    XAVIER_NORMAL("xavier-normal"),
    /** The model's default (open_lth's where open_lth has the model). */
    DEFAULT("default");

    private final String specName;

    Initializer(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }

    public static Initializer fromName(String name) {
        for (Initializer i : values()) {
            if (i.specName.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown initializer \"" + name + "\"; expected one of "
                + Arrays.stream(values()).map(Initializer::specName).toList());
    }

    /** The scheme this choice means on {@code model}. */
    public InitScheme schemeFor(ModelDefinition model) {
        InitScheme own = model.defaultInitScheme();
        return switch (this) {
            case DEFAULT -> own;
            case KAIMING_NORMAL -> new InitScheme(InitScheme.WeightRule.KAIMING_NORMAL_FAN_IN,
                    InitScheme.WeightRule.KAIMING_NORMAL_FAN_IN, own.norm());
            case XAVIER_NORMAL -> new InitScheme(InitScheme.WeightRule.XAVIER_NORMAL,
                    InitScheme.WeightRule.XAVIER_NORMAL, own.norm());
        };
    }
}
