package io.ticketfoundry.common.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/** How every ticket is evaluated on the test split: ECE with equal-width bins, (lo, hi] edges. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationSpec(Integer eceBins) {

    public static EvaluationSpec defaults() {
        return new EvaluationSpec(15);
    }

    public EvaluationSpec withDefaults() {
        return new EvaluationSpec(eceBins != null ? eceBins : defaults().eceBins());
    }
}
