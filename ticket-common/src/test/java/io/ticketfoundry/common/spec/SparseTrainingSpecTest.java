package io.ticketfoundry.common.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class SparseTrainingSpecTest {

    private static SparseTrainingSpec of(String method, Double sparsity) {
        return new SparseTrainingSpec(method, sparsity, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void rigLIsTheDefaultMethodAndItsUpdateFieldsAreFilled() {
        SparseTrainingSpec filled = of(null, 0.9).withDefaults(40);
        assertThat(filled).isEqualTo(new SparseTrainingSpec("rigl", 0.9, "erk", 100, 0.75, 0.3, "cosine", null, null,
                null, List.of()));
        assertThat(filled.updatesMask()).isTrue();
        assertThat(filled.foreignFields()).isEmpty();
    }

    @Test
    void eachMethodFillsOnlyTheFieldsItReads() {
        assertThat(of("static", 0.8).withDefaults(10)).isEqualTo(new SparseTrainingSpec("static", 0.8, "erk", null, null,
                null, null, null, null, null, List.of()));
        assertThat(of("static", 0.8).withDefaults(10).updatesMask()).isFalse();
        assertThat(of("set", 0.8).withDefaults(10).updateInterval()).isEqualTo(100);
        assertThat(of("set", 0.8).withDefaults(10).averaging()).isNull();
        assertThat(of("cigl", 0.8).withDefaults(10)).isEqualTo(new SparseTrainingSpec("cigl", 0.8, "erk", 100, 0.75, 0.3,
                "cosine", 100, 8, "union", List.of()));
        SparseTrainingSpec staticWithUpdates = new SparseTrainingSpec("static", 0.8, null, 50, null, null, "constant", 10,
                null, "reimpose", null).withDefaults(10);
        assertThat(staticWithUpdates.foreignFields())
                .containsExactly("updateInterval", "dropSchedule", "randomMaskDenominator", "averaging");
        assertThat(new SparseTrainingSpec("rigl", 0.8, null, null, null, null, null, null, 3, null, null).withDefaults(10)
                .foreignFields()).containsExactly("averageFromEpoch");
    }

    @Test
    void cigLAveragesTheLastFifthOfTheEpochsByDefaultAsTheReferenceDoesWith200Of250() {
        assertThat(SparseTrainingSpec.defaultAverageFromEpoch(250)).isEqualTo(200);
        assertThat(SparseTrainingSpec.defaultAverageFromEpoch(10)).isEqualTo(8);
        assertThat(SparseTrainingSpec.defaultAverageFromEpoch(5)).isEqualTo(4);
        assertThat(SparseTrainingSpec.defaultAverageFromEpoch(2)).isEqualTo(1);
        assertThat(SparseTrainingSpec.defaultAverageFromEpoch(1)).isEqualTo(1);
        // the run's epochs reach the section through the experiment's defaults
        ExperimentSpec spec = new ExperimentSpec(null, null, null, new TrainingSpec(null, null, null, null, null, 20),
                null, null, null, null, null, of("cigl", 0.9)).withDefaults();
        assertThat(spec.sparseTraining().averageFromEpoch()).isEqualTo(16);
        assertThat(new ExperimentSpec(null, null, null, null, null, null, null, null, null, of("cigl", 0.9))
                .withDefaults().sparseTraining().averageFromEpoch()).as("40 epochs by default").isEqualTo(32);
    }

    @Test
    void withoutTheSectionTheSpecIsWhatItWasAndSerialisesWithoutIt() {
        ExperimentSpec defaults = ExperimentSpec.defaults();
        assertThat(defaults.sparseTraining()).isNull();
        assertThat(defaults.withDefaults().sparseTraining()).isNull();
        JsonMapper json = JsonMapper.builder().build();
        assertThat(json.writeValueAsString(defaults)).doesNotContain("sparseTraining");
        ExperimentSpec read = json.readValue("{\"sparseTraining\":{\"method\":\"set\",\"sparsity\":0.95,"
                + "\"snapshotSteps\":[10,20]}}", ExperimentSpec.class);
        assertThat(read.withDefaults().sparseTraining().snapshotSteps()).containsExactly(10, 20);
        assertThat(read.withDefaults().sparseTraining().method()).isEqualTo("set");
    }

    @Test
    void theIdentityDefaultsHoldEveryMethodsDefaultsButNoSparsity() {
        SparseTrainingSpec defaults = SparseTrainingSpec.identityDefaults();
        assertThat(defaults.sparsity()).isNull();
        assertThat(defaults.averageFromEpoch()).isNull();
        assertThat(defaults.randomMaskDenominator()).isEqualTo(100);
        assertThat(defaults.averaging()).isEqualTo("union");
        assertThat(defaults.snapshotSteps()).isEmpty();
    }
}
