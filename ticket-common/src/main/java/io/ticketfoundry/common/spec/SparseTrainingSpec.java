package io.ticketfoundry.common.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sparse training ({@code sparseTraining}; docs/experiments.md, "Sparse training"): level 0 trains a
 * network that is sparse from its first step, at {@code sparsity} over the prunable tensors not in
 * {@code pruning.ignore}, and its final mask and weights are the experiment's ticket. There is no
 * dense training and no IMP level after it.
 *
 * <ul>
 *   <li>{@code static}: a fixed random mask at the per-tensor densities of {@code distribution}.
 *   <li>{@code set} (Mocanu et al.) and {@code rigl} (Evci et al.): every {@code updateInterval}
 *       steps until {@code endFraction} of the run, each sparse tensor drops the
 *       {@code int(active × f_t)} active weights of smallest magnitude and grows as many, at random
 *       (SET) or where the dense gradient is largest (RigL); {@code f_t} follows
 *       {@code dropSchedule} from {@code dropFraction}.
 *   <li>{@code cigl} (Lei et al.): RigL's mask plus a random weight mask drawn every step (keep
 *       probability (n−1)/n with n = {@code randomMaskDenominator}, kept weights scaled by n/(n−1)),
 *       and the epoch-end weights from {@code averageFromEpoch} on averaged into the ticket, whose
 *       support is the union of their masks or re-imposed at the target density ({@code averaging}).
 * </ul>
 *
 * <p>{@link #withDefaults(int)} fills only the fields the method reads (as {@link ObjectiveSpec}
 * does for its kinds), so a field of another method that is not null was set by the submitter and
 * is rejected. {@code sparsity} has no default. {@code snapshotSteps} lists the training steps
 * whose mask (and weights) are kept as extra tickets of kind {@code snapshot}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SparseTrainingSpec(
        String method,
        Double sparsity,
        String distribution,
        Integer updateInterval,
        Double endFraction,
        Double dropFraction,
        String dropSchedule,
        Integer randomMaskDenominator,
        Integer averageFromEpoch,
        String averaging,
        List<Integer> snapshotSteps) {

    public static final String STATIC = "static";
    public static final String SET = "set";
    public static final String RIGL = "rigl";
    public static final String CIGL = "cigl";
    public static final List<String> METHODS = List.of(STATIC, SET, RIGL, CIGL);

    public static final String UNIFORM = "uniform";
    public static final String ERK = "erk";
    public static final List<String> DISTRIBUTIONS = List.of(UNIFORM, ERK);

    public static final String COSINE = "cosine";
    public static final String CONSTANT = "constant";
    public static final List<String> DROP_SCHEDULES = List.of(COSINE, CONSTANT);

    /** CigL's averaged support: the union of the averaged masks (the reference code) or the target density again. */
    public static final String UNION = "union";
    public static final String REIMPOSE = "reimpose";
    public static final List<String> AVERAGINGS = List.of(UNION, REIMPOSE);

    public static final String DEFAULT_METHOD = RIGL;
    /** RigL's recommendation (Evci et al. 2020): Erdős–Rényi-Kernel layer densities. */
    public static final String DEFAULT_DISTRIBUTION = ERK;
    public static final int DEFAULT_UPDATE_INTERVAL = 100;
    public static final double DEFAULT_END_FRACTION = 0.75;
    public static final double DEFAULT_DROP_FRACTION = 0.3;
    public static final String DEFAULT_DROP_SCHEDULE = COSINE;
    /** CigL's {@code dpnum}. */
    public static final int DEFAULT_RANDOM_MASK_DENOMINATOR = 100;
    public static final String DEFAULT_AVERAGING = UNION;

    private static final Set<String> COMMON = Set.of("method", "sparsity", "distribution", "snapshotSteps");
    private static final Set<String> UPDATES = Set.of("updateInterval", "endFraction", "dropFraction", "dropSchedule");
    private static final Set<String> CIGL_ONLY = Set.of("randomMaskDenominator", "averageFromEpoch", "averaging");

    /** The fields each method reads. */
    public static final Map<String, Set<String>> FIELDS = Map.of(
            STATIC, COMMON,
            SET, union(COMMON, UPDATES),
            RIGL, union(COMMON, UPDATES),
            CIGL, union(union(COMMON, UPDATES), CIGL_ONLY));

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /**
     * CigL's default first averaged epoch: the reference code averages from epoch 200 of 250, i.e.
     * the last fifth of training; here {@code max(1, floor(4 × epochs / 5))}, so 200 of 250, 8 of 10,
     * 1 of 2 (the epoch-end weights of epochs {@code averageFromEpoch..epochs} are averaged).
     */
    public static int defaultAverageFromEpoch(int epochs) {
        return Math.max(1, (int) (4L * epochs / 5));
    }

    /**
     * The section's defaults of every method's fields at once, {@code sparsity} and
     * {@code averageFromEpoch} (which depends on the epochs) left out: the identity compares a
     * resolved section with this, so only its non-default values are hashed (docs/experiments.md).
     */
    public static SparseTrainingSpec identityDefaults() {
        return new SparseTrainingSpec(DEFAULT_METHOD, null, DEFAULT_DISTRIBUTION, DEFAULT_UPDATE_INTERVAL,
                DEFAULT_END_FRACTION, DEFAULT_DROP_FRACTION, DEFAULT_DROP_SCHEDULE, DEFAULT_RANDOM_MASK_DENOMINATOR,
                null, DEFAULT_AVERAGING, List.of());
    }

    /** The method's own fields filled; {@code epochs} is the run's budget (for {@code averageFromEpoch}). */
    public SparseTrainingSpec withDefaults(int epochs) {
        String m = method != null ? method : DEFAULT_METHOD;
        Set<String> own = FIELDS.getOrDefault(m, COMMON);
        return new SparseTrainingSpec(m,
                sparsity,
                distribution != null ? distribution : DEFAULT_DISTRIBUTION,
                own.contains("updateInterval") && updateInterval == null ? Integer.valueOf(DEFAULT_UPDATE_INTERVAL) : updateInterval,
                own.contains("endFraction") && endFraction == null ? Double.valueOf(DEFAULT_END_FRACTION) : endFraction,
                own.contains("dropFraction") && dropFraction == null ? Double.valueOf(DEFAULT_DROP_FRACTION) : dropFraction,
                own.contains("dropSchedule") && dropSchedule == null ? DEFAULT_DROP_SCHEDULE : dropSchedule,
                own.contains("randomMaskDenominator") && randomMaskDenominator == null
                        ? Integer.valueOf(DEFAULT_RANDOM_MASK_DENOMINATOR) : randomMaskDenominator,
                own.contains("averageFromEpoch") && averageFromEpoch == null
                        ? Integer.valueOf(defaultAverageFromEpoch(epochs)) : averageFromEpoch,
                own.contains("averaging") && averaging == null ? DEFAULT_AVERAGING : averaging,
                snapshotSteps != null ? List.copyOf(snapshotSteps) : List.of());
    }

    /** Whether the mask changes during training (SET, RigL, CigL). */
    public boolean updatesMask() {
        return SET.equals(method) || RIGL.equals(method) || CIGL.equals(method);
    }

    /** Names of the fields that are set but not read by this method. */
    public List<String> foreignFields() {
        Set<String> own = FIELDS.getOrDefault(method != null ? method : DEFAULT_METHOD, COMMON);
        List<String> foreign = new ArrayList<>();
        Object[][] fields = {{"updateInterval", updateInterval}, {"endFraction", endFraction},
            {"dropFraction", dropFraction}, {"dropSchedule", dropSchedule},
            {"randomMaskDenominator", randomMaskDenominator}, {"averageFromEpoch", averageFromEpoch},
            {"averaging", averaging}};
        for (Object[] f : fields) {
            if (f[1] != null && !own.contains((String) f[0])) {
                foreign.add((String) f[0]);
            }
        }
        return foreign;
    }
}
