package io.ticketfoundry.common.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where surviving weights are reset to after each pruning round: step 0 is the original
 * initialisation (Frankle &amp; Carbin); a later step is late resetting (Frankle et al. 2019).
 * {@code mode} {@code rewind} (default) does that; {@code reinit} instead gives the survivors
 * new random values at every level L ≥ 1 (seeded by seed and level) and retrains from step 0:
 * the random re-initialisation control of Frankle &amp; Carbin.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RewindSpec(Integer step, String unit, String mode) {

    public static final String ITERATIONS = "iterations";
    public static final String EPOCHS = "epochs";
    public static final String REWIND = "rewind";
    public static final String REINIT = "reinit";

    /** The fields of the first schema; {@code mode} takes its default. */
    public RewindSpec(Integer step, String unit) {
        this(step, unit, null);
    }

    public static RewindSpec defaults() {
        return new RewindSpec(0, ITERATIONS, REWIND);
    }

    public RewindSpec withDefaults() {
        RewindSpec d = defaults();
        return new RewindSpec(step != null ? step : d.step(), unit != null ? unit : d.unit(),
                mode != null ? mode : d.mode());
    }
}
