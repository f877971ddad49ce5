package io.ticketfoundry.worker.loss;

import io.ticketfoundry.common.spec.ObjectiveSpec;

/** The objective a spec names, with its defaults filled. */
public final class Objectives {

    private Objectives() {
    }

    /**
     * The kind and its filled hyperparameters, e.g. {@code vwcc passes=5 dropout=0.2}; the dropout
     * placement only when it is not the default {@code hidden}
     * ({@code vwcc passes=5 dropout=0.2 dropoutPlacement=hidden-and-conv}), so the provenance of a
     * run at the default reads as it did before the field existed.
     */
    public static String describe(ObjectiveSpec spec) {
        ObjectiveSpec s = (spec == null ? ObjectiveSpec.defaults() : spec).withDefaults();
        StringBuilder out = new StringBuilder(s.kind());
        String placement = ObjectiveSpec.DROPOUT_HIDDEN.equals(s.dropoutPlacement()) ? null : s.dropoutPlacement();
        Object[][] fields = {{"alpha", s.alpha()}, {"passes", s.passes()}, {"dropout", s.dropout()},
            {"dropoutPlacement", placement}, {"lambda", s.lambda()},
            {"gammaD", s.gammaD()}, {"gammaN", s.gammaN()}, {"bins", s.bins()}, {"bandwidth", s.bandwidth()},
            {"binWeights", s.binWeights()}, {"weighting", s.weighting()}, {"epsilon", s.epsilon()},
            {"gamma", s.gamma()}};
        for (Object[] f : fields) {
            if (f[1] != null) {
                out.append(' ').append(f[0]).append('=').append(f[1]);
            }
        }
        return out.toString();
    }

    public static TrainingObjective of(ObjectiveSpec spec) {
        ObjectiveSpec s = (spec == null ? ObjectiveSpec.defaults() : spec).withDefaults();
        return switch (s.kind()) {
            case ObjectiveSpec.BASIC -> new BasicObjective();
            case ObjectiveSpec.MIXUP -> new MixupObjective(s.alpha());
            case ObjectiveSpec.VWCC -> new VwccObjective(s.passes(), s.dropout(), s.convDropout());
            case ObjectiveSpec.LWCC_SI -> new LwccSiObjective(s.passes(), s.dropout(), s.lambda(), s.convDropout());
            case ObjectiveSpec.MDA -> new MdaObjective(s.gammaD(), ObjectiveSpec.WEIGHTING_BATCH_SUM.equals(s.weighting()));
            case ObjectiveSpec.NBA -> new NbaObjective(s.gammaN(), s.bins(), s.bandwidth(), s.binWeights(),
                    ObjectiveSpec.WEIGHTING_BATCH_SUM.equals(s.weighting()));
            case ObjectiveSpec.LABEL_SMOOTHING -> new LabelSmoothingObjective(s.epsilon());
            case ObjectiveSpec.FOCAL -> new FocalObjective(s.gamma());
            default -> throw new IllegalArgumentException("unknown objective \"" + s.kind() + "\"");
        };
    }
}
