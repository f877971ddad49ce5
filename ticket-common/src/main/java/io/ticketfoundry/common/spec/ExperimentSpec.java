package io.ticketfoundry.common.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What an experiment runs. Every field is optional on input; {@link #withDefaults()} fills the
 * gaps for running. The experiment's identity hashes only the values that differ from
 * {@link #defaults()}, so a field added later with a default changes no existing hash.
 *
 * <p>{@code initializer}: {@code default} (the model's own scheme, open_lth's per-model defaults;
 * for LeNet-300-100 Kaiming normal, the first schema's behaviour), {@code kaiming-normal} or
 * {@code xavier-normal} for the weights of every layer. {@code controls}: for
 * every IMP ticket at level ≥ 1, one extra job per named control trains a control network
 * (see {@link #CONTROLS}); default none. {@code sparseTraining} (default none, i.e. null): train a
 * sparse network from the start instead of a dense one, one ticket per seed at level 0 (see
 * {@link SparseTrainingSpec}); absent, nothing about the spec, its runs or its hash changes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExperimentSpec(
        Integer schemaVersion,
        String model,
        String dataset,
        TrainingSpec training,
        PruningSpec pruning,
        RewindSpec rewind,
        EvaluationSpec evaluation,
        String initializer,
        List<String> controls,
        SparseTrainingSpec sparseTraining,
        TransferSpec transfer) {

    public static final int CURRENT_SCHEMA_VERSION = 1;

    public static final String KAIMING_NORMAL = "kaiming-normal";
    public static final String XAVIER_NORMAL = "xavier-normal";
    public static final String DEFAULT_INIT = "default";
    public static final List<String> INITIALIZERS = List.of(KAIMING_NORMAL, XAVIER_NORMAL, DEFAULT_INIT);

    /** Same mask, new random weights. */
    public static final String CONTROL_REINIT = "reinit";
    /** The mask permuted within each layer, trained from the ticket's rewind point. */
    public static final String CONTROL_LAYER_PERMUTED = "layer-permuted";
    /** The mask permuted across all pruned layers, with new random weights (Morcos's random ticket). */
    public static final String CONTROL_GLOBAL_PERMUTED = "global-permuted";
    public static final List<String> CONTROLS = List.of(CONTROL_REINIT, CONTROL_LAYER_PERMUTED, CONTROL_GLOBAL_PERMUTED);

    /** The fields of the first schema; the new ones take their defaults. */
    public ExperimentSpec(Integer schemaVersion, String model, String dataset, TrainingSpec training,
            PruningSpec pruning, RewindSpec rewind, EvaluationSpec evaluation) {
        this(schemaVersion, model, dataset, training, pruning, rewind, evaluation, null, null, null, null);
    }

    /** The fields before sparse training; it takes its default (none). */
    public ExperimentSpec(Integer schemaVersion, String model, String dataset, TrainingSpec training,
            PruningSpec pruning, RewindSpec rewind, EvaluationSpec evaluation, String initializer, List<String> controls) {
        this(schemaVersion, model, dataset, training, pruning, rewind, evaluation, initializer, controls, null, null);
    }

    /** The fields before transfers; it takes its default (none). */
    public ExperimentSpec(Integer schemaVersion, String model, String dataset, TrainingSpec training,
            PruningSpec pruning, RewindSpec rewind, EvaluationSpec evaluation, String initializer, List<String> controls,
            SparseTrainingSpec sparseTraining) {
        this(schemaVersion, model, dataset, training, pruning, rewind, evaluation, initializer, controls, sparseTraining,
                null);
    }

    /** This spec with {@code section} as its transfer section. */
    public ExperimentSpec withTransfer(TransferSpec section) {
        return new ExperimentSpec(schemaVersion, model, dataset, training, pruning, rewind, evaluation, initializer,
                controls, sparseTraining, section);
    }

    public static ExperimentSpec defaults() {
        return new ExperimentSpec(CURRENT_SCHEMA_VERSION, "lenet-300-100", "mnist",
                TrainingSpec.defaults(), PruningSpec.defaults(), RewindSpec.defaults(), EvaluationSpec.defaults(),
                DEFAULT_INIT, List.of(), null, null);
    }

    public ExperimentSpec withDefaults() {
        ExperimentSpec d = defaults();
        TrainingSpec filledTraining = training != null ? training.withDefaults() : d.training();
        return new ExperimentSpec(
                schemaVersion != null ? schemaVersion : d.schemaVersion(),
                model != null ? model : d.model(),
                dataset != null ? dataset : d.dataset(),
                filledTraining,
                pruning != null ? pruning.withDefaults() : d.pruning(),
                rewind != null ? rewind.withDefaults() : d.rewind(),
                evaluation != null ? evaluation.withDefaults() : d.evaluation(),
                initializer != null ? initializer : d.initializer(),
                controls != null ? List.copyOf(controls) : d.controls(),
                sparseTraining != null ? sparseTraining.withDefaults(filledTraining.epochs()) : null,
                transfer != null ? transfer.withDefaults() : null);
    }
}
