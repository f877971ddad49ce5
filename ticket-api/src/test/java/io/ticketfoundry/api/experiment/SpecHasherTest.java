package io.ticketfoundry.api.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.common.spec.ExperimentSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class SpecHasherTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SpecHasher HASHER = SpecHasher.forExperimentSpec();

    /** Specs as a user might submit them; each must keep its hash when a defaulted field is added. */
    private static final List<String> SPECS = List.of(
            "{}",
            "{\"training\":{\"learningRate\":0.05}}",
            "{\"dataset\":\"fashion-mnist\",\"pruning\":{\"levels\":3,\"fraction\":0.5}}",
            "{\"training\":{\"optimizer\":\"adam\",\"learningRate\":0.0012,\"batchSize\":60,\"epochs\":50},"
                    + "\"pruning\":{\"layerFractions\":{\"fc3.weight\":0.1}},\"rewind\":{\"step\":1,\"unit\":\"epochs\"}}",
            "{\"pruning\":{\"scope\":\"layerwise\",\"ignore\":[\"fc3.weight\"]},\"evaluation\":{\"eceBins\":20}}");

    private static JsonNode parse(String json) {
        return JSON.readTree(json);
    }

    private static ExperimentSpec resolved(String json) {
        SpecValidator.Result result = SpecValidator.read(parse(json), "spec");
        assertThat(result.problems()).isEmpty();
        return SpecIdentity.resolve(result.spec());
    }

    private static String hash(String json) {
        return SpecIdentity.hash(resolved(json));
    }

    @Test
    void theDefaultSpecAndAnEmptySpecHashAsAnEmptyIdentity() {
        String empty = SpecHasher.sha256("{}");
        assertThat(hash("{}")).isEqualTo(empty);
        assertThat(SpecIdentity.hash(SpecIdentity.resolve(ExperimentSpec.defaults()))).isEqualTo(empty);
        assertThat(SpecIdentity.identity(resolved("{\"schemaVersion\":1,\"training\":{\"epochs\":40}}")).toString()).isEqualTo("{}");
    }

    @Test
    void onlyNonDefaultValuesAreCoveredAndEmptiedObjectsDisappear() {
        ExperimentSpec spec = resolved("{\"model\":\"lenet-300-100\",\"training\":{\"learningRate\":0.05,\"epochs\":40},"
                + "\"rewind\":{\"step\":0}}");
        assertThat(SpecHasher.canonical(SpecIdentity.identity(spec))).isEqualTo("{\"training\":{\"learningRate\":0.05}}");
    }

    @Test
    void theHashOfAKnownSpecIsPinned() {
        // Pinned so that any change to the canonical form (and so to every stored hash) is noticed.
        assertThat(SpecHasher.canonical(SpecIdentity.identity(resolved(SPECS.get(2)))))
                .isEqualTo("{\"dataset\":\"fashion-mnist\",\"pruning\":{\"fraction\":0.5,\"levels\":3}}");
        assertThat(hash(SPECS.get(2)))
                .isEqualTo(SpecHasher.sha256("{\"dataset\":\"fashion-mnist\",\"pruning\":{\"fraction\":0.5,\"levels\":3}}"))
                .hasSize(64)
                .matches("[0-9a-f]{64}");
    }

    @Test
    void addingAFieldWithADefaultToSpecAndDefaultsChangesNoExistingHash() {
        JsonNode defaults = SpecIdentity.defaultsTree();
        ObjectNode grownDefaults = (ObjectNode) defaults.deepCopy();
        grow(grownDefaults);
        Set<String> hashes = new HashSet<>();
        for (String json : SPECS) {
            JsonNode tree = SpecIdentity.tree(resolved(json));
            String before = HASHER.hash(tree, defaults);
            hashes.add(before);

            // The later server resolves the same submission with the new fields at their defaults.
            ObjectNode grown = (ObjectNode) tree.deepCopy();
            grow(grown);
            assertThat(HASHER.hash(grown, grownDefaults)).as(json).isEqualTo(before);

            // A user who sets a new field to something else gets a new experiment.
            ObjectNode changed = (ObjectNode) grown.deepCopy();
            ((ObjectNode) changed.get("training")).put("labelSmoothing", 0.1);
            assertThat(HASHER.hash(changed, grownDefaults)).as(json).isNotEqualTo(before);
            ObjectNode changedSection = (ObjectNode) grown.deepCopy();
            ((ObjectNode) changedSection.get("calibration")).put("objective", "mixup");
            assertThat(HASHER.hash(changedSection, grownDefaults)).as(json).isNotEqualTo(before);
        }
        assertThat(hashes).hasSize(SPECS.size());
    }

    /** What a later schema might add: a scalar in an existing section, a new section, a list, a flag. */
    private static void grow(ObjectNode spec) {
        ((ObjectNode) spec.get("training")).put("labelSmoothing", 0.0);
        ((ObjectNode) spec.get("pruning")).put("method", "magnitude");
        ObjectNode calibration = spec.putObject("calibration");
        calibration.put("objective", "basic");
        calibration.put("mixupAlpha", 0.2);
        calibration.putArray("corruptions").add("gaussian-noise");
        calibration.put("temperatureScaling", false);
    }

    @Test
    void everyNonDefaultValueChangesTheHash() {
        List<String> variants = List.of(
                "{\"schemaVersion\":1,\"dataset\":\"fashion-mnist\"}",
                "{\"training\":{\"optimizer\":\"adam\"}}",
                "{\"training\":{\"learningRate\":0.01}}",
                "{\"training\":{\"momentum\":0.9}}",
                "{\"training\":{\"weightDecay\":0.0001}}",
                "{\"training\":{\"batchSize\":60}}",
                "{\"training\":{\"epochs\":41}}",
                "{\"pruning\":{\"scope\":\"layerwise\"}}",
                "{\"pruning\":{\"fraction\":0.25}}",
                "{\"pruning\":{\"levels\":11}}",
                "{\"pruning\":{\"layerFractions\":{\"fc3.weight\":0.1}}}",
                "{\"pruning\":{\"layerFractions\":{\"fc3.weight\":0.2}}}",
                "{\"pruning\":{\"ignore\":[\"fc3.weight\"]}}",
                "{\"rewind\":{\"step\":1}}",
                "{\"rewind\":{\"unit\":\"epochs\"}}",
                "{\"evaluation\":{\"eceBins\":10}}",
                "{\"training\":{\"objective\":{\"kind\":\"mixup\"}}}",
                "{\"training\":{\"objective\":{\"kind\":\"mixup\",\"alpha\":0.4}}}",
                "{\"training\":{\"objective\":{\"kind\":\"vwcc\"}}}",
                "{\"training\":{\"objective\":{\"kind\":\"lwcc-si\"}}}",
                "{\"training\":{\"objective\":{\"kind\":\"mda\"}}}",
                "{\"training\":{\"objective\":{\"kind\":\"nba\"}}}",
                "{\"training\":{\"objective\":{\"kind\":\"label-smoothing\"}}}",
                "{\"training\":{\"objective\":{\"kind\":\"focal\"}}}",
                "{\"model\":\"lenet-5\",\"training\":{\"objective\":{\"kind\":\"vwcc\",\"dropoutPlacement\":\"hidden-and-conv\"}}}");
        Set<String> hashes = new HashSet<>();
        hashes.add(hash("{}"));
        for (String variant : variants) {
            assertThat(hashes.add(hash(variant))).as(variant).isTrue();
        }
    }

    @Test
    void keyOrderNumberFormattingAndSpelledOutDefaultsDoNotMatter() {
        String plain = hash("{\"training\":{\"learningRate\":0.05,\"batchSize\":64},\"pruning\":{\"layerFractions\":"
                + "{\"fc1.weight\":0.3,\"fc3.weight\":0.1},\"ignore\":[\"fc2.weight\"]}}");
        String reordered = hash("{\"pruning\":{\"ignore\":[\"fc2.weight\"],\"layerFractions\":"
                + "{\"fc3.weight\":0.10,\"fc1.weight\":3e-1}},\"training\":{\"batchSize\":64.0,\"learningRate\":0.050}}");
        String spelledOut = hash("{\"schemaVersion\":1,\"model\":\"lenet-300-100\",\"dataset\":\"mnist\","
                + "\"training\":{\"optimizer\":\"sgd\",\"learningRate\":5E-2,\"momentum\":0,\"weightDecay\":0.0,"
                + "\"batchSize\":64,\"epochs\":40},\"pruning\":{\"scope\":\"global\",\"fraction\":0.2,\"levels\":10,"
                + "\"layerFractions\":{\"fc1.weight\":0.3,\"fc3.weight\":0.1},\"ignore\":[\"fc2.weight\"]},"
                + "\"rewind\":{\"step\":0,\"unit\":\"iterations\"},\"evaluation\":{\"eceBins\":15}}");
        assertThat(reordered).isEqualTo(plain);
        assertThat(spelledOut).isEqualTo(plain);
    }

    @Test
    void theIgnoreListIsASet() {
        assertThat(hash("{\"pruning\":{\"ignore\":[\"fc1.weight\",\"fc3.weight\"]}}"))
                .isEqualTo(hash("{\"pruning\":{\"ignore\":[\"fc3.weight\",\"fc1.weight\"]}}"));
    }

    @Test
    void numbersCompareNumericallyOnRawTrees() {
        JsonNode defaults = parse("{\"a\":{\"x\":0.1,\"n\":1},\"b\":[1,2]}");
        assertThat(HASHER.hash(parse("{\"a\":{\"x\":0.10,\"n\":1.0},\"b\":[1.0,2]}"), defaults)).isEqualTo(SpecHasher.sha256("{}"));
        assertThat(HASHER.identity(parse("{\"a\":{\"n\":1.50,\"x\":0.1},\"b\":[2,1]}"), defaults).toString())
                .isEqualTo(parse("{\"a\":{\"n\":1.5},\"b\":[2,1]}").toString());
        assertThat(SpecHasher.canonical(parse("{\"b\":1.50,\"a\":[1E2,-0.0,1e-4],\"c\":\"\\u00e9\\\"\"}")))
                .isEqualTo("{\"a\":[100,0,0.0001],\"b\":1.5,\"c\":\"é\\\"\"}");
    }

    @Test
    void mapsAreComparedAsWholeValues() {
        SpecHasher hasher = new SpecHasher(Set.of("pruning.layerFractions"));
        JsonNode defaults = parse("{\"pruning\":{\"layerFractions\":{\"fc3.weight\":0.1}}}");
        String superset = hasher.hash(parse("{\"pruning\":{\"layerFractions\":{\"fc3.weight\":0.1,\"fc1.weight\":0.5}}}"), defaults);
        String other = hasher.hash(parse("{\"pruning\":{\"layerFractions\":{\"fc1.weight\":0.5}}}"), defaults);
        String emptied = hasher.hash(parse("{\"pruning\":{\"layerFractions\":{}}}"), defaults);
        assertThat(superset).isNotEqualTo(other);
        assertThat(emptied).isNotEqualTo(SpecHasher.sha256("{}"));
        assertThat(hasher.hash(parse("{\"pruning\":{\"layerFractions\":{\"fc3.weight\":0.10}}}"), defaults))
                .isEqualTo(SpecHasher.sha256("{}"));
        assertThat(SpecHasher.forExperimentSpec().valuePaths()).containsExactly("pruning.layerFractions");
    }

    @Test
    void theEvaluationBinningDefaultsLeaveTheHashAloneAndOtherRulesChangeIt() {
        String empty = hash("{}");
        assertThat(hash("{\"evaluation\":{\"eceBins\":15,\"eceEdges\":\"(lo,hi]\",\"binning\":\"equal-width\"}}")).isEqualTo(empty);
        assertThat(hash("{\"evaluation\":{\"eceBins\":20}}"))
                .isEqualTo(hash("{\"evaluation\":{\"eceBins\":20,\"eceEdges\":\"(lo,hi]\",\"binning\":\"equal-width\"}}"));
        Set<String> hashes = new HashSet<>(List.of(empty,
                hash("{\"evaluation\":{\"eceEdges\":\"[lo,hi)\"}}"),
                hash("{\"evaluation\":{\"binning\":\"equal-mass\"}}"),
                hash("{\"evaluation\":{\"eceEdges\":\"[lo,hi)\",\"binning\":\"equal-mass\"}}")));
        assertThat(hashes).hasSize(4);
    }

    @Test
    void theBasicObjectiveAndItsSpelledOutDefaultsHashAsBefore() {
        assertThat(hash("{\"training\":{\"objective\":{\"kind\":\"basic\"}}}")).isEqualTo(hash("{}"));
        assertThat(hash("{\"training\":{\"objective\":{}}}")).isEqualTo(hash("{}"));
        assertThat(hash("{\"training\":{\"objective\":{\"kind\":\"nba\",\"gammaN\":1.0,\"bins\":15}}}"))
                .isEqualTo(hash("{\"training\":{\"objective\":{\"kind\":\"nba\"}}}"));
        assertThat(hash("{\"training\":{\"objective\":{\"kind\":\"nba\",\"weighting\":\"batch-sum\"}}}"))
                .isEqualTo(hash("{\"training\":{\"objective\":{\"kind\":\"nba\"}}}"))
                .isNotEqualTo(hash("{\"training\":{\"objective\":{\"kind\":\"nba\",\"weighting\":\"batch-mean\"}}}"));
    }

    @Test
    void theDefaultDropoutPlacementLeavesEveryStochasticPassHashAsItWasBeforeTheField() {
        // the identities as they were before dropoutPlacement existed, written out by hand
        String vwcc = "{\"training\":{\"objective\":{\"dropout\":0.2,\"kind\":\"vwcc\",\"passes\":5}}}";
        String lwcc = "{\"training\":{\"objective\":{\"dropout\":0.2,\"kind\":\"lwcc-si\",\"lambda\":1,\"passes\":5}}}";
        String lenet5Vwcc = "{\"model\":\"lenet-5\",\"training\":{\"objective\":{\"dropout\":0.1,\"kind\":\"vwcc\",\"passes\":3}}}";
        assertThat(SpecHasher.canonical(SpecIdentity.identity(resolved("{\"training\":{\"objective\":{\"kind\":\"vwcc\"}}}"))))
                .isEqualTo(vwcc);
        assertThat(hash("{\"training\":{\"objective\":{\"kind\":\"vwcc\"}}}")).isEqualTo(SpecHasher.sha256(vwcc));
        assertThat(hash("{\"training\":{\"objective\":{\"kind\":\"vwcc\",\"dropoutPlacement\":\"hidden\"}}}"))
                .isEqualTo(SpecHasher.sha256(vwcc));
        assertThat(hash("{\"training\":{\"objective\":{\"kind\":\"lwcc-si\"}}}")).isEqualTo(SpecHasher.sha256(lwcc));
        assertThat(hash("{\"training\":{\"objective\":{\"kind\":\"lwcc-si\",\"dropoutPlacement\":\"hidden\"}}}"))
                .isEqualTo(SpecHasher.sha256(lwcc));
        assertThat(hash("{\"model\":\"lenet-5\",\"training\":{\"objective\":{\"kind\":\"vwcc\",\"passes\":3,\"dropout\":0.1}}}"))
                .isEqualTo(SpecHasher.sha256(lenet5Vwcc));
        // the resolved spec records the placement all the same
        assertThat(resolved("{\"training\":{\"objective\":{\"kind\":\"vwcc\"}}}").training().objective().dropoutPlacement())
                .isEqualTo("hidden");
        // every other spec keeps its hash too: the default spec, and the specs of the other kinds
        assertThat(hash("{}")).isEqualTo(SpecHasher.sha256("{}"));
        assertThat(SpecHasher.canonical(SpecIdentity.identity(resolved("{\"training\":{\"objective\":{\"kind\":\"mixup\"}}}"))))
                .isEqualTo("{\"training\":{\"objective\":{\"alpha\":0.2,\"kind\":\"mixup\"}}}");
        for (String json : SPECS) {
            assertThat(SpecIdentity.identity(resolved(json)).toString()).as(json).doesNotContain("dropoutPlacement");
        }

        // asking for conv dropout is a different experiment, and the identity names it
        String conv = "{\"model\":\"lenet-5\",\"training\":{\"objective\":{\"kind\":\"vwcc\",\"dropoutPlacement\":\"hidden-and-conv\"}}}";
        assertThat(SpecHasher.canonical(SpecIdentity.identity(resolved(conv)))).isEqualTo("{\"model\":\"lenet-5\",\"training\":"
                + "{\"objective\":{\"dropout\":0.2,\"dropoutPlacement\":\"hidden-and-conv\",\"kind\":\"vwcc\",\"passes\":5}}}");
        assertThat(hash(conv)).isNotEqualTo(hash("{\"model\":\"lenet-5\",\"training\":{\"objective\":{\"kind\":\"vwcc\"}}}"));
    }

    @Test
    void aSpecWithoutSparseTrainingKeepsItsHashAndASparseOneHashesOnlyItsNonDefaultValues() {
        // no existing spec names the section, so none of their identities changes
        for (String json : SPECS) {
            assertThat(SpecIdentity.identity(resolved(json)).toString()).as(json).doesNotContain("sparseTraining");
        }
        assertThat(hash("{\"sparseTraining\":null}")).isEqualTo(SpecHasher.sha256("{}"));
        assertThat(SpecHasher.canonical(SpecIdentity.identity(resolved(SPECS.get(2)))))
                .isEqualTo("{\"dataset\":\"fashion-mnist\",\"pruning\":{\"fraction\":0.5,\"levels\":3}}");

        String rigl = "{\"pruning\":{\"levels\":0},\"sparseTraining\":{\"sparsity\":0.9}}";
        assertThat(SpecHasher.canonical(SpecIdentity.identity(resolved(rigl))))
                .isEqualTo("{\"pruning\":{\"levels\":0},\"sparseTraining\":{\"sparsity\":0.9}}");
        assertThat(hash("{\"pruning\":{\"levels\":0},\"sparseTraining\":{\"method\":\"rigl\",\"sparsity\":0.90,"
                + "\"distribution\":\"erk\",\"updateInterval\":100,\"endFraction\":0.75,\"dropFraction\":0.3,"
                + "\"dropSchedule\":\"cosine\",\"snapshotSteps\":[]}}")).isEqualTo(hash(rigl));
        // the resolved spec spells the defaults out all the same
        assertThat(resolved(rigl).sparseTraining().distribution()).isEqualTo("erk");

        Set<String> hashes = new HashSet<>(List.of(hash("{}"), hash("{\"pruning\":{\"levels\":0}}"), hash(rigl)));
        for (String section : List.of("{\"sparsity\":0.8}", "{\"sparsity\":0.9,\"method\":\"set\"}",
                "{\"sparsity\":0.9,\"method\":\"static\"}", "{\"sparsity\":0.9,\"distribution\":\"uniform\"}",
                "{\"sparsity\":0.9,\"updateInterval\":50}", "{\"sparsity\":0.9,\"endFraction\":0.5}",
                "{\"sparsity\":0.9,\"dropFraction\":0.5}", "{\"sparsity\":0.9,\"dropSchedule\":\"constant\"}",
                "{\"sparsity\":0.9,\"snapshotSteps\":[10]}", "{\"sparsity\":0.9,\"method\":\"cigl\"}",
                "{\"sparsity\":0.9,\"method\":\"cigl\",\"averaging\":\"reimpose\"}",
                "{\"sparsity\":0.9,\"method\":\"cigl\",\"randomMaskDenominator\":10}",
                "{\"sparsity\":0.9,\"method\":\"cigl\",\"averageFromEpoch\":1}")) {
            assertThat(hashes.add(hash("{\"pruning\":{\"levels\":0},\"sparseTraining\":" + section + "}"))).as(section).isTrue();
        }
        // CigL's first averaged epoch depends on the epochs, so its filled value is always in the identity
        assertThat(SpecHasher.canonical(SpecIdentity.identity(resolved(
                "{\"pruning\":{\"levels\":0},\"sparseTraining\":{\"sparsity\":0.9,\"method\":\"cigl\"}}"))))
                .isEqualTo("{\"pruning\":{\"levels\":0},\"sparseTraining\":{\"averageFromEpoch\":32,\"method\":\"cigl\","
                        + "\"sparsity\":0.9}}");
        assertThat(hash("{\"pruning\":{\"levels\":0},\"sparseTraining\":{\"sparsity\":0.9,\"method\":\"cigl\","
                + "\"averageFromEpoch\":32}}"))
                .isEqualTo(hash("{\"pruning\":{\"levels\":0},\"sparseTraining\":{\"sparsity\":0.9,\"method\":\"cigl\"}}"));
    }
}
