package io.ticketfoundry.worker.prune;

import static io.ticketfoundry.worker.TestModels.tiny;
import static io.ticketfoundry.worker.TestModels.tinyWeights;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ticketfoundry.common.spec.PruningSpec;
import io.ticketfoundry.worker.model.LeNet300100;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.Weights;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** open_lth's counting convention, exact target sparsity and the sharing of a last level. */
class PruningConventionsTest {

    private static final ModelDefinition LENET = new LeNet300100();

    private static PruningSpec global(List<String> ignore, String counting) {
        return new PruningSpec("global", 0.2, 1, Map.of(), ignore, null, counting, null);
    }

    @Test
    void openLthCountsIgnoredWeightsAndPrunesThroughTheThreshold() {
        Weights trained = LENET.initialWeights(3);
        Mask dense = Mask.allOnes(LENET);

        Mask openLth = MagnitudePruning.prune(trained, dense, global(List.of("fc3.weight"), PruningSpec.IGNORED_INCLUDED));
        // sparse_global.py: n = ceil(0.2 x 266,200) = 53,240; prunes |w| <= sorted[n], i.e. n + 1
        assertThat(dense.remaining() - openLth.remaining()).isEqualTo(53_241);
        assertThat(openLth.isDense("fc3.weight")).isTrue();

        Mask ours = MagnitudePruning.prune(trained, dense, global(List.of("fc3.weight"), PruningSpec.IGNORED_EXCLUDED));
        // ceil(0.2 x (235,200 + 30,000)) = 53,040
        assertThat(dense.remaining() - ours.remaining()).isEqualTo(53_040);
    }

    @Test
    void openLthLaterLevelsCountTheSurvivorsOfEveryPrunableTensor() {
        Weights trained = LENET.initialWeights(3);
        PruningSpec spec = global(List.of("fc3.weight"), PruningSpec.IGNORED_INCLUDED);
        Mask first = MagnitudePruning.prune(trained, Mask.allOnes(LENET), spec);
        Mask second = MagnitudePruning.prune(trained, first, spec);
        long remaining = first.remaining(); // 212,959, fc3's 1,000 included
        assertThat(first.remaining() - second.remaining()).isEqualTo(MagnitudePruning.pruneCount(0.2, remaining) + 1);
    }

    @Test
    void targetRemainingIsTheFloorOfTheKeptFraction() {
        assertThat(MagnitudePruning.targetRemaining(266_200, 0.9)).isEqualTo(26_620);
        assertThat(MagnitudePruning.targetRemaining(14, 0.5)).isEqualTo(7);
        assertThat(MagnitudePruning.targetRemaining(14, 0.3)).isEqualTo(9); // 9.8 -> 9: sparsity 5/14 >= 0.3
    }

    @Test
    void pruneToRemainingReachesTheTargetExactlyInEveryScope() {
        Weights weights = tinyWeights(
                new float[] {0.9f, -0.1f, 0.5f, -0.7f, 0.3f, 0.05f},
                new float[] {-0.2f, 0.8f, 0.01f, -0.6f},
                new float[] {0.4f, -0.02f, 1.0f, 0.15f});
        for (String scope : List.of("global", "layerwise")) {
            PruningSpec spec = new PruningSpec(scope, 0.2, 1, Map.of(), List.of());
            for (long target = 14; target >= 0; target--) {
                Mask mask = MagnitudePruning.pruneToRemaining(weights, Mask.allOnes(tiny()), spec, target);
                assertThat(mask.remaining()).as(scope + " to " + target).isEqualTo(target);
            }
        }
        // global: the smallest magnitudes go first
        Mask seven = MagnitudePruning.pruneToRemaining(weights, Mask.allOnes(tiny()), new PruningSpec("global", 0.2, 1, Map.of(), List.of()), 7);
        assertThat(seven.values("a.weight")).containsExactly(1, 0, 1, 1, 0, 0);
        assertThat(seven.values("b.weight")).containsExactly(0, 1, 0, 1);
        assertThat(seven.values("c.weight")).containsExactly(1, 0, 1, 0);
    }

    @Test
    void layerwiseTargetSharesInProportionToTheOrdinaryCounts() {
        Weights trained = LENET.initialWeights(5);
        PruningSpec spec = new PruningSpec("layerwise", 0.2, 1, Map.of("fc3.weight", 0.1), List.of());
        long target = MagnitudePruning.targetRemaining(266_200, 0.5);
        Mask mask = MagnitudePruning.pruneToRemaining(trained, Mask.allOnes(LENET), spec, target);
        assertThat(mask.remaining()).isEqualTo(133_100);
        // shares ∝ 0.2 x 235,200 : 0.2 x 30,000 : 0.1 x 1,000 -> the same density in fc1 and fc2, half the rate in fc3
        assertThat((double) mask.remaining("fc1.weight") / 235_200).isCloseTo((double) mask.remaining("fc2.weight") / 30_000,
                org.assertj.core.data.Offset.offset(1e-4));
        assertThat(1000 - mask.remaining("fc3.weight")).isBetween(250L, 252L);
    }

    @Test
    void anUnreachableTargetIsAClearError() {
        Weights trained = LENET.initialWeights(5);
        PruningSpec spec = global(List.of("fc1.weight"), PruningSpec.IGNORED_EXCLUDED);
        assertThatThrownBy(() -> MagnitudePruning.pruneToRemaining(trained, Mask.allOnes(LENET), spec, 1000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ignored");
    }

    @Test
    void shareIsExactAndCapped() {
        assertThat(MagnitudePruning.share(10, new long[] {1, 1, 1}, new long[] {100, 100, 100})).containsExactly(4, 3, 3);
        assertThat(MagnitudePruning.share(10, new long[] {9, 1}, new long[] {5, 100})).containsExactly(5, 5);
        assertThat(MagnitudePruning.share(3, new long[] {0, 0}, new long[] {2, 2})).containsExactly(2, 1);
    }
}
