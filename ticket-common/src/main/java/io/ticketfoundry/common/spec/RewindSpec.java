package io.ticketfoundry.common.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where surviving weights are reset to after each pruning round: step 0 is the original
 * initialisation (Frankle &amp; Carbin); a later step is late resetting (Frankle et al. 2019).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RewindSpec(Integer step, String unit) {

    public static final String ITERATIONS = "iterations";
    public static final String EPOCHS = "epochs";

    public static RewindSpec defaults() {
        return new RewindSpec(0, ITERATIONS);
    }

    public RewindSpec withDefaults() {
        RewindSpec d = defaults();
        return new RewindSpec(step != null ? step : d.step(), unit != null ? unit : d.unit());
    }
}
