package io.ticketfoundry.common.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How the learning rate moves over a training run, as a factor on {@code training.learningRate}
 * at optimizer step {@code t} (0 for the first update; steps count from the initialisation, so a
 * level retrained from a late rewind point resumes the schedule at the rewind step):
 *
 * <ul>
 *   <li>{@code constant} (default): 1.
 *   <li>{@code step}: {@code gamma^(number of milestones <= t)}; milestones in {@code unit}
 *       (epochs or iterations), e.g. ×0.1 at epochs 80 and 120.
 *   <li>{@code cosine}: {@code ½(1 + cos(π t / T))} with T the run's total steps.
 * </ul>
 *
 * A linear warmup of {@code warmup} steps ({@code warmupUnit}) multiplies any of them by
 * {@code min(1, t / W)}, as open_lth's {@code warmup_steps} does (so the first update has lr 0).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LearningRateSchedule(
        String kind,
        List<Integer> milestones,
        Double gamma,
        String unit,
        Integer warmup,
        String warmupUnit) {

    public static final String CONSTANT = "constant";
    public static final String STEP = "step";
    public static final String COSINE = "cosine";
    public static final String EPOCHS = "epochs";
    public static final String ITERATIONS = "iterations";

    public static LearningRateSchedule defaults() {
        return new LearningRateSchedule(CONSTANT, List.of(), 0.1, EPOCHS, 0, ITERATIONS);
    }

    public LearningRateSchedule withDefaults() {
        LearningRateSchedule d = defaults();
        return new LearningRateSchedule(
                kind != null ? kind : d.kind(),
                milestones != null ? List.copyOf(milestones) : d.milestones(),
                gamma != null ? gamma : d.gamma(),
                unit != null ? unit : d.unit(),
                warmup != null ? warmup : d.warmup(),
                warmupUnit != null ? warmupUnit : d.warmupUnit());
    }

    /** Steps of one unit: 1 for iterations, the iterations per epoch for epochs. */
    public static long stepsPer(String unit, long iterationsPerEpoch) {
        return EPOCHS.equals(unit) ? iterationsPerEpoch : 1;
    }

    /**
     * The factor on the base learning rate at step {@code t} (0-based) of a run of
     * {@code totalSteps} steps with {@code iterationsPerEpoch} steps per epoch.
     */
    public double factor(long t, long iterationsPerEpoch, long totalSteps) {
        LearningRateSchedule s = withDefaults();
        double factor = switch (s.kind()) {
            case CONSTANT -> 1.0;
            case STEP -> {
                long per = stepsPer(s.unit(), iterationsPerEpoch);
                int passed = 0;
                for (int milestone : s.milestones()) {
                    if ((long) milestone * per <= t) {
                        passed++;
                    }
                }
                yield Math.pow(s.gamma(), passed);
            }
            case COSINE -> totalSteps <= 0 ? 1.0 : 0.5 * (1 + Math.cos(Math.PI * Math.min(t, totalSteps) / totalSteps));
            default -> throw new IllegalArgumentException("unknown schedule kind \"" + s.kind() + "\"");
        };
        long warmupSteps = (long) s.warmup() * stepsPer(s.warmupUnit(), iterationsPerEpoch);
        if (warmupSteps > 0 && t < warmupSteps) {
            factor *= (double) t / warmupSteps;
        }
        return factor;
    }
}
