package io.ticketfoundry.worker.prune;

import static io.ticketfoundry.worker.TestModels.tiny;
import static io.ticketfoundry.worker.TestModels.tinyWeights;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ticketfoundry.common.spec.PruningSpec;
import io.ticketfoundry.worker.model.LeNet300100;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MagnitudePruningTest {

    // a: 6 weights, b: 4, c: 4 -> 14 prunable
    private final Weights weights = tinyWeights(
            new float[] {0.9f, -0.1f, 0.5f, -0.7f, 0.3f, 0.05f},
            new float[] {-0.2f, 0.8f, 0.01f, -0.6f},
            new float[] {0.4f, -0.02f, 1.0f, 0.15f});

    private static PruningSpec spec(String scope, double fraction, Map<String, Double> layers, List<String> ignore) {
        return new PruningSpec(scope, fraction, 1, layers, ignore);
    }

    private static Mask mask(byte[] a, byte[] b, byte[] c) {
        Map<String, byte[]> values = new LinkedHashMap<>();
        values.put("a.weight", a);
        values.put("b.weight", b);
        values.put("c.weight", c);
        return Mask.of(tiny(), values);
    }

    @Test
    void globalPrunesCeilOfFractionOfAllRemainingWeightsBySmallestMagnitude() {
        Mask next = MagnitudePruning.prune(weights, Mask.allOnes(tiny()), spec("global", 0.2, Map.of(), List.of()));

        // ceil(0.2 * 14) = 3: |0.01|, |-0.02|, |0.05|
        assertThat(next.total() - next.remaining()).isEqualTo(3);
        assertThat(next.values("a.weight")).containsExactly(1, 1, 1, 1, 1, 0);
        assertThat(next.values("b.weight")).containsExactly(1, 1, 0, 1);
        assertThat(next.values("c.weight")).containsExactly(1, 0, 1, 1);
    }

    @Test
    void countsOnlyStillUnprunedWeightsOnLaterLevels() {
        Mask first = MagnitudePruning.prune(weights, Mask.allOnes(tiny()), spec("global", 0.2, Map.of(), List.of()));
        // Weights at pruned positions are zero after retraining; they must not be chosen again.
        Weights retrained = tinyWeights(
                new float[] {0.9f, -0.1f, 0.5f, -0.7f, 0.3f, 0f},
                new float[] {-0.2f, 0.8f, 0f, -0.6f},
                new float[] {0.4f, 0f, 1.0f, 0.15f});

        Mask second = MagnitudePruning.prune(retrained, first, spec("global", 0.2, Map.of(), List.of()));

        // 11 remain; ceil(0.2 * 11) = ceil(2.2) = 3 more: |-0.1|, |0.15|, |-0.2|
        assertThat(second.remaining()).isEqualTo(8);
        assertThat(second.values("a.weight")).containsExactly(1, 0, 1, 1, 1, 0);
        assertThat(second.values("b.weight")).containsExactly(0, 1, 0, 1);
        assertThat(second.values("c.weight")).containsExactly(1, 0, 1, 0);
    }

    @Test
    void layerwisePrunesCeilPerTensor() {
        Mask next = MagnitudePruning.prune(weights, Mask.allOnes(tiny()), spec("layerwise", 0.3, Map.of(), List.of()));

        // a: ceil(1.8) = 2, b: ceil(1.2) = 2, c: ceil(1.2) = 2
        assertThat(next.remaining("a.weight")).isEqualTo(4);
        assertThat(next.values("a.weight")).containsExactly(1, 0, 1, 1, 1, 0);
        assertThat(next.values("b.weight")).containsExactly(0, 1, 0, 1);
        assertThat(next.values("c.weight")).containsExactly(1, 0, 1, 0);
    }

    @Test
    void layerFractionTakesATensorOutOfThePoolAndIgnoredTensorsAreNeverPrunedNorCounted() {
        Mask next = MagnitudePruning.prune(weights, Mask.allOnes(tiny()),
                spec("global", 0.5, Map.of("c.weight", 0.25), List.of("b.weight")));

        // pool = a only: ceil(0.5 * 6) = 3 -> 0.05, -0.1, 0.3; c alone: ceil(0.25 * 4) = 1 -> -0.02; b untouched
        assertThat(next.values("a.weight")).containsExactly(1, 0, 1, 1, 0, 0);
        assertThat(next.values("b.weight")).containsExactly(1, 1, 1, 1);
        assertThat(next.values("c.weight")).containsExactly(1, 0, 1, 1);
    }

    @Test
    void tiesAreBrokenByTensorOrderThenFlatIndex() {
        Weights equal = tinyWeights(new float[] {0.5f, -0.5f, 0.5f, 0.5f, -0.5f, 0.5f},
                new float[] {0.5f, 0.5f, -0.5f, 0.5f}, new float[] {-0.5f, 0.5f, 0.5f, 0.5f});
        Mask start = mask(new byte[] {0, 1, 1, 1, 1, 1}, new byte[] {1, 1, 1, 1}, new byte[] {1, 1, 1, 1});

        Mask next = MagnitudePruning.prune(equal, start, spec("global", 0.5, Map.of(), List.of()));

        // 13 remain, ceil(6.5) = 7: a[1..5] then b[0], b[1]
        assertThat(next.values("a.weight")).containsExactly(0, 0, 0, 0, 0, 0);
        assertThat(next.values("b.weight")).containsExactly(0, 0, 1, 1);
        assertThat(next.values("c.weight")).containsExactly(1, 1, 1, 1);
        assertThat(MagnitudePruning.prune(equal, start, spec("global", 0.5, Map.of(), List.of()))).isEqualTo(next);
    }

    @Test
    void leNetLevelOneCountsMatchTheConventions() {
        ModelDefinition lenet = new LeNet300100();
        Weights init = lenet.initialWeights(3);

        Mask global = MagnitudePruning.prune(init, Mask.allOnes(lenet), PruningSpec.defaults());
        Mask fcIgnored = MagnitudePruning.prune(init, Mask.allOnes(lenet),
                new PruningSpec("global", 0.2, 1, Map.of(), List.of("fc3.weight")));
        Mask halfRateOutput = MagnitudePruning.prune(init, Mask.allOnes(lenet),
                new PruningSpec("global", 0.2, 1, Map.of("fc3.weight", 0.1), List.of()));

        assertThat(global.total()).isEqualTo(266_200);
        assertThat(global.total() - global.remaining()).isEqualTo(53_240);
        assertThat(fcIgnored.total() - fcIgnored.remaining()).isEqualTo(53_040);
        assertThat(fcIgnored.remaining("fc3.weight")).isEqualTo(1000);
        assertThat(halfRateOutput.total("fc3.weight") - halfRateOutput.remaining("fc3.weight")).isEqualTo(100);
        assertThat(halfRateOutput.total() - halfRateOutput.remaining()).isEqualTo(53_040 + 100);
    }

    @Test
    void pruneCountUsesTheDecimalFraction() {
        assertThat(MagnitudePruning.pruneCount(0.2, 266_200)).isEqualTo(53_240);
        assertThat(MagnitudePruning.pruneCount(0.1, 30)).isEqualTo(3);
        assertThat(MagnitudePruning.pruneCount(0.2, 11)).isEqualTo(3);
        assertThat(MagnitudePruning.pruneCount(0.0, 11)).isZero();
        assertThat(MagnitudePruning.pruneCount(1.0, 11)).isEqualTo(11);
    }

    @Test
    void rejectsUnknownTensorsBadFractionsAndBiases() {
        Mask ones = Mask.allOnes(tiny());
        assertThatThrownBy(() -> MagnitudePruning.prune(weights, ones, spec("global", 0.2, Map.of(), List.of("z.weight"))))
                .hasMessageContaining("z.weight");
        assertThatThrownBy(() -> MagnitudePruning.prune(weights, ones, spec("global", 0.2, Map.of("a.bias", 0.1), List.of())))
                .hasMessageContaining("not a prunable tensor");
        assertThatThrownBy(() -> MagnitudePruning.prune(weights, ones, spec("global", 1.5, Map.of(), List.of())))
                .hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> MagnitudePruning.prune(weights, ones, spec("random", 0.2, Map.of(), List.of())))
                .hasMessageContaining("scope");
    }

    @Test
    void maskRejectsWrongNamesSizesAndValues() {
        assertThatThrownBy(() -> mask(new byte[6], new byte[4], new byte[3])).hasMessageContaining("c.weight");
        assertThatThrownBy(() -> mask(new byte[6], new byte[] {0, 1, 2, 1}, new byte[4])).hasMessageContaining("neither 0 nor 1");
        assertThatThrownBy(() -> Mask.of(tiny(), Map.of("a.weight", new byte[6]))).hasMessageContaining("exactly the prunable");
    }
}
