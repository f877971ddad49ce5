package io.ticketfoundry.common.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What an experiment runs. Every field is optional on input; {@link #withDefaults()} fills the
 * gaps for running. The experiment's identity hashes only the values that differ from
 * {@link #defaults()}, so a field added later with a default changes no existing hash.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExperimentSpec(
        Integer schemaVersion,
        String model,
        String dataset,
        TrainingSpec training,
        PruningSpec pruning,
        RewindSpec rewind,
        EvaluationSpec evaluation) {

    public static final int CURRENT_SCHEMA_VERSION = 1;

    public static ExperimentSpec defaults() {
        return new ExperimentSpec(CURRENT_SCHEMA_VERSION, "lenet-300-100", "mnist",
                TrainingSpec.defaults(), PruningSpec.defaults(), RewindSpec.defaults(), EvaluationSpec.defaults());
    }

    public ExperimentSpec withDefaults() {
        ExperimentSpec d = defaults();
        return new ExperimentSpec(
                schemaVersion != null ? schemaVersion : d.schemaVersion(),
                model != null ? model : d.model(),
                dataset != null ? dataset : d.dataset(),
                training != null ? training.withDefaults() : d.training(),
                pruning != null ? pruning.withDefaults() : d.pruning(),
                rewind != null ? rewind.withDefaults() : d.rewind(),
                evaluation != null ? evaluation.withDefaults() : d.evaluation());
    }
}
