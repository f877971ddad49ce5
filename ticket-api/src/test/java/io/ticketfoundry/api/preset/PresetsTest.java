package io.ticketfoundry.api.preset;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.experiment.SpecIdentity;
import io.ticketfoundry.api.experiment.SpecValidator;
import io.ticketfoundry.common.spec.ExperimentSpec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class PresetsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void everyPresetValidates() {
        assertThat(Presets.names()).contains("open-lth-lenet-300-100", "frankle-carbin-lenet-300-100",
                "calibrate-and-prune-fashion-mnist", "open-lth-resnet-20-cifar10");
        for (Presets.Preset preset : Presets.all()) {
            SpecValidator.Result result = SpecValidator.read(preset.spec(), "spec");
            assertThat(result.problems()).as(preset.name()).isEmpty();
            assertThat(preset.description()).isNotBlank();
        }
    }

    @Test
    void presetsResolveToThePublishedSettings() {
        ExperimentSpec openLth = resolved("open-lth-lenet-300-100");
        assertThat(openLth.pruning().ignore()).containsExactly("fc3.weight");
        assertThat(openLth.pruning().counting()).isEqualTo("ignored-included");
        ExperimentSpec fc = resolved("frankle-carbin-lenet-300-100");
        assertThat(fc.training().optimizer()).isEqualTo("adam");
        assertThat(fc.training().batchSize() * 1000L).isEqualTo(60_000L); // 1,000 iterations an epoch
        assertThat(fc.training().epochs() * 1000L).isEqualTo(50_000L);
        assertThat(fc.pruning().layerFractions()).containsEntry("fc3.weight", 0.1);
        ExperimentSpec resnet = resolved("open-lth-resnet-20-cifar10");
        assertThat(resnet.training().schedule().milestones()).containsExactly(80, 120);
        assertThat(resnet.model()).isEqualTo("resnet-20");
        assertThat(resolved("calibrate-and-prune-fashion-mnist").rewind().unit()).isEqualTo("epochs");
    }

    @Test
    void overridesMergeDeeplyAndReplaceListsAndMapsWhole() {
        JsonNode base = Presets.find("frankle-carbin-lenet-300-100").orElseThrow().spec();
        JsonNode merged = Presets.merge(base, JSON.readTree("""
                {"training": {"epochs": 2}, "pruning": {"layerFractions": {"fc2.weight": 0.3}}, "rewind": null}"""));
        assertThat(merged.at("/training/epochs").intValue()).isEqualTo(2);
        assertThat(merged.at("/training/learningRate").doubleValue()).isEqualTo(0.0012);
        assertThat(merged.at("/pruning/layerFractions").properties()).hasSize(1);
        assertThat(merged.has("rewind")).isFalse();
        assertThat(base.at("/training/epochs").intValue()).isEqualTo(50);
    }

    private static ExperimentSpec resolved(String name) {
        return SpecIdentity.resolve(SpecValidator.read(Presets.find(name).orElseThrow().spec(), "spec").spec());
    }
}
