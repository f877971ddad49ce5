package io.ticketfoundry.api.experiment;

import io.ticketfoundry.common.spec.ExperimentSpec;
import io.ticketfoundry.common.spec.ObjectiveSpec;
import io.ticketfoundry.common.spec.PruningSpec;
import io.ticketfoundry.common.spec.SparseTrainingSpec;
import java.util.List;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * From a submitted spec to what is stored and hashed: the resolved spec (every default filled,
 * order-free collections in a fixed order) and its identity hash.
 */
public final class SpecIdentity {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SpecIdentity() {
    }

    /**
     * Fills the defaults and puts order-free collections in a fixed order: the ignore list is a set
     * of tensor names (sorted), layerFractions a map (sorted by tensor name), controls a set (in
     * the order of {@link ExperimentSpec#CONTROLS}; unknown names never get this far).
     */
    public static ExperimentSpec resolve(ExperimentSpec submitted) {
        ExperimentSpec filled = submitted.withDefaults();
        PruningSpec pruning = filled.pruning();
        PruningSpec sorted = new PruningSpec(pruning.scope(), pruning.fraction(), pruning.levels(),
                new TreeMap<>(pruning.layerFractions()), pruning.ignore().stream().sorted().toList(),
                pruning.targetSparsity(), pruning.counting(), pruning.strategy(), pruning.layerDistribution(),
                pruning.scoreSamplesPerClass(), pruning.synflowRounds(), pruning.graspRedrawLinear());
        // controls are a set: kept in the catalogue's order so that the order given does not matter
        List<String> controls = ExperimentSpec.CONTROLS.stream().filter(filled.controls()::contains).toList();
        return new ExperimentSpec(filled.schemaVersion(), filled.model(), filled.dataset(), filled.training(),
                sorted, filled.rewind(), filled.evaluation(), filled.initializer(), controls, filled.sparseTraining(),
                filled.transfer());
    }

    public static JsonNode tree(ExperimentSpec spec) {
        return JSON.valueToTree(spec);
    }

    /**
     * The tree a resolved spec is compared with: the default spec's, plus the objective fields
     * whose default holds whatever the kind ({@link ObjectiveSpec#ADDED_FIELD_DEFAULTS}, e.g.
     * {@code dropoutPlacement: hidden}), so a {@code vwcc} spec at that default keeps the hash it had
     * before the field existed. The default spec itself ({@code basic}) has none of them.
     *
     * <p>The default spec has no {@code sparseTraining} section (null: no sparse training), so a
     * spec without one hashes as before. A spec with one is compared with the section's defaults
     * ({@link SparseTrainingSpec#identityDefaults()}): only its non-default values are hashed, and a
     * field added to the section later with a default changes no hash either. The section is never
     * emptied by this, since {@code sparsity} has no default.
     */
    public static JsonNode defaultsTree() {
        ObjectNode tree = (ObjectNode) tree(resolve(ExperimentSpec.defaults()));
        ObjectNode objective = (ObjectNode) tree.get("training").get("objective");
        ObjectiveSpec.ADDED_FIELD_DEFAULTS.forEach(objective::put);
        tree.set("sparseTraining", JSON.valueToTree(SparseTrainingSpec.identityDefaults()));
        return tree;
    }

    /** The hash of a resolved spec against today's defaults. */
    public static String hash(ExperimentSpec resolved) {
        return SpecHasher.forExperimentSpec().hash(tree(resolved), defaultsTree());
    }

    /** The part of a resolved spec that its hash covers (what differs from the defaults). */
    public static JsonNode identity(ExperimentSpec resolved) {
        return SpecHasher.forExperimentSpec().identity(tree(resolved), defaultsTree());
    }
}
