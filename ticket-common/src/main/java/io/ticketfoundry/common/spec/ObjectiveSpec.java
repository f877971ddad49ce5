package io.ticketfoundry.common.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The training objective ({@code training.objective}); see docs/experiments.md. {@code basic}
 * (softmax cross-entropy, what every run did before the field existed) is the default. Each kind
 * has its own hyperparameters; {@link #withDefaults()} fills those of the chosen kind only, so a
 * field of another kind that is not null was set by the submitter (the validator rejects it).
 * The defaults are ours (the seed's appendix with its values is not in its text).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObjectiveSpec(
        String kind,
        Double alpha,
        Integer passes,
        Double dropout,
        String dropoutPlacement,
        Double lambda,
        Double gammaD,
        Double gammaN,
        Integer bins,
        Double bandwidth,
        List<Double> binWeights,
        Double epsilon,
        Double gamma,
        String weighting) {

    public static final String BASIC = "basic";
    public static final String MIXUP = "mixup";
    public static final String VWCC = "vwcc";
    public static final String LWCC_SI = "lwcc-si";
    public static final String MDA = "mda";
    public static final String NBA = "nba";
    public static final String LABEL_SMOOTHING = "label-smoothing";
    public static final String FOCAL = "focal";

    /**
     * How MDA's and NBA's batch-level term is weighed against the cross-entropy. {@code batch-sum}
     * follows the seed's equations (5) and (6): CE summed over the batch plus the term once, i.e.
     * {@code mean CE + (γ/N) term}. {@code batch-mean}: {@code mean CE + γ term}, N times stronger.
     */
    public static final String WEIGHTING_BATCH_SUM = "batch-sum";
    public static final String WEIGHTING_BATCH_MEAN = "batch-mean";
    public static final List<String> WEIGHTINGS = List.of(WEIGHTING_BATCH_SUM, WEIGHTING_BATCH_MEAN);

    /**
     * Where {@code vwcc} and {@code lwcc-si} put their dropout. {@code hidden} (default): after each
     * hidden activation of the fully connected part only, what these kinds did before the field
     * existed. {@code hidden-and-conv}: there and after each convolutional block's activation
     * (ResNets: after each residual block's output activation); positions per model in docs/models.md.
     */
    public static final String DROPOUT_HIDDEN = "hidden";
    public static final String DROPOUT_HIDDEN_AND_CONV = "hidden-and-conv";
    public static final List<String> DROPOUT_PLACEMENTS = List.of(DROPOUT_HIDDEN, DROPOUT_HIDDEN_AND_CONV);

    /**
     * Objective fields whose default the identity hash leaves out whatever the kind (ticket-api's
     * SpecIdentity puts them into the default tree the hash compares with). For fields added to
     * existing kinds, whose default is what those kinds ran before: an experiment that leaves such
     * a field at its default keeps the hash it had before the field existed, although its resolved
     * spec now spells the default out.
     */
    public static final Map<String, String> ADDED_FIELD_DEFAULTS = Map.of("dropoutPlacement", DROPOUT_HIDDEN);

    public static final List<String> KINDS = List.of(BASIC, MIXUP, VWCC, LWCC_SI, MDA, NBA, LABEL_SMOOTHING, FOCAL);

    /** The hyperparameters each kind reads. */
    public static final Map<String, Set<String>> FIELDS = Map.of(
            BASIC, Set.of(),
            MIXUP, Set.of("alpha"),
            VWCC, Set.of("passes", "dropout", "dropoutPlacement"),
            LWCC_SI, Set.of("passes", "dropout", "dropoutPlacement", "lambda"),
            MDA, Set.of("gammaD", "weighting"),
            NBA, Set.of("gammaN", "bins", "bandwidth", "binWeights", "weighting"),
            LABEL_SMOOTHING, Set.of("epsilon"),
            FOCAL, Set.of("gamma"));

    public static final double DEFAULT_ALPHA = 0.2;
    public static final int DEFAULT_PASSES = 5;
    public static final double DEFAULT_DROPOUT = 0.2;
    public static final double DEFAULT_LAMBDA = 1.0;
    public static final double DEFAULT_GAMMA_D = 1.0;
    public static final double DEFAULT_GAMMA_N = 1.0;
    public static final int DEFAULT_BINS = 15;
    public static final double DEFAULT_EPSILON = 0.1;
    public static final double DEFAULT_FOCAL_GAMMA = 3.0;

    public static ObjectiveSpec defaults() {
        return basic();
    }

    public static ObjectiveSpec basic() {
        return of(BASIC);
    }

    public static ObjectiveSpec of(String kind) {
        return new ObjectiveSpec(kind, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** NBA's default bin weights: 2 on the three lowest and three highest bins, 1 elsewhere. */
    public static List<Double> defaultBinWeights(int bins) {
        List<Double> weights = new ArrayList<>(Math.max(bins, 0));
        for (int b = 0; b < bins; b++) {
            weights.add(b < 3 || b >= bins - 3 ? 2.0 : 1.0);
        }
        return List.copyOf(weights);
    }

    /** The default soft-histogram bandwidth, 1/(2B). */
    public static double defaultBandwidth(int bins) {
        return 1.0 / (2.0 * bins);
    }

    public ObjectiveSpec withDefaults() {
        String k = kind != null ? kind : BASIC;
        Set<String> own = FIELDS.getOrDefault(k, Set.of());
        Integer b = own.contains("bins") && bins == null ? Integer.valueOf(DEFAULT_BINS) : bins;
        return new ObjectiveSpec(k,
                fill(own, "alpha", alpha, DEFAULT_ALPHA),
                own.contains("passes") && passes == null ? Integer.valueOf(DEFAULT_PASSES) : passes,
                fill(own, "dropout", dropout, DEFAULT_DROPOUT),
                own.contains("dropoutPlacement") && dropoutPlacement == null ? DROPOUT_HIDDEN : dropoutPlacement,
                fill(own, "lambda", lambda, DEFAULT_LAMBDA),
                fill(own, "gammaD", gammaD, DEFAULT_GAMMA_D),
                fill(own, "gammaN", gammaN, DEFAULT_GAMMA_N),
                b,
                own.contains("bandwidth") && bandwidth == null && b != null && b > 0 ? Double.valueOf(defaultBandwidth(b)) : bandwidth,
                own.contains("binWeights") && binWeights == null && b != null && b > 0 ? defaultBinWeights(b)
                        : binWeights == null ? null : List.copyOf(binWeights),
                fill(own, "epsilon", epsilon, DEFAULT_EPSILON),
                fill(own, "gamma", gamma, DEFAULT_FOCAL_GAMMA),
                own.contains("weighting") && weighting == null ? WEIGHTING_BATCH_SUM : weighting);
    }

    private static Double fill(Set<String> own, String field, Double value, double fallback) {
        return own.contains(field) && value == null ? Double.valueOf(fallback) : value;
    }

    /** Whether training needs several stochastic (dropout) forward passes per step. */
    public boolean stochasticPasses() {
        String k = kind != null ? kind : BASIC;
        return VWCC.equals(k) || LWCC_SI.equals(k);
    }

    /** Whether the stochastic passes also drop out after convolutional blocks ({@code hidden-and-conv}). */
    public boolean convDropout() {
        return stochasticPasses() && DROPOUT_HIDDEN_AND_CONV.equals(dropoutPlacement);
    }

    /** Names of the fields that are set but not read by this kind. */
    public List<String> foreignFields() {
        Set<String> own = FIELDS.getOrDefault(kind != null ? kind : BASIC, Set.of());
        List<String> foreign = new ArrayList<>();
        Object[][] fields = {{"alpha", alpha}, {"passes", passes}, {"dropout", dropout},
            {"dropoutPlacement", dropoutPlacement}, {"lambda", lambda},
            {"gammaD", gammaD}, {"gammaN", gammaN}, {"bins", bins}, {"bandwidth", bandwidth},
            {"binWeights", binWeights}, {"epsilon", epsilon}, {"gamma", gamma}, {"weighting", weighting}};
        for (Object[] f : fields) {
            if (f[1] != null && !own.contains((String) f[0])) {
                foreign.add((String) f[0]);
            }
        }
        return foreign;
    }
}
