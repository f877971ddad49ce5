package io.ticketfoundry.worker.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ModelRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayerDensitiesTest {

    private static final ModelRegistry MODELS = ModelRegistry.standard();

    @Test
    void erkFollowsItsFormulaOnLeNet300100() {
        ModelDefinition lenet = MODELS.get("lenet-300-100", 10);
        // fc1 [300, 784], fc2 [100, 300], fc3 [10, 100]: raw scores (n_in + n_out) / (n_in n_out)
        double r1 = (784 + 300) / (784.0 * 300);
        double r2 = (300 + 100) / (300.0 * 100);
        double r3 = (100 + 10) / (100.0 * 10);
        long budget = (long) Math.floor(0.2 * 266_200); // 80% sparsity: 53,240 kept
        // ε·r3 > 1 at this budget, so fc3 is dense (1,000 weights) and ε solves fc1 and fc2 over the rest
        double epsilon = (budget - 1000) / (r1 * 235_200 + r2 * 30_000);
        Map<String, Long> counts = LayerDensities.keptCounts(lenet, List.of(), LayerDensities.ERK, 0.8);
        assertThat(counts.get("fc3.weight")).isEqualTo(1000);
        assertThat((double) counts.get("fc1.weight")).isCloseTo(epsilon * r1 * 235_200, within(1.0));
        assertThat((double) counts.get("fc2.weight")).isCloseTo(epsilon * r2 * 30_000, within(1.0));
        assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(budget);
    }

    @Test
    void everyDistributionMeetsTheBudgetExactlyAndNeverExceedsOne() {
        for (String name : List.of("lenet-300-100", "lenet-5", "conv-4", "vgg-11", "resnet-20", "resnet-18")) {
            ModelDefinition model = MODELS.get(name, 10);
            long total = model.prunableParameters().stream().mapToLong(p -> p.size()).sum();
            for (double sparsity : new double[] {0.0, 0.5, 0.8, 0.95, 0.99}) {
                for (String distribution : LayerDensities.DISTRIBUTIONS) {
                    Map<String, Double> densities = LayerDensities.densities(model, List.of(), distribution, sparsity);
                    Map<String, Long> counts = LayerDensities.keptCounts(model, List.of(), distribution, sparsity);
                    assertThat(counts.values().stream().mapToLong(Long::longValue).sum())
                            .as(name + " " + distribution + " " + sparsity)
                            .isEqualTo(MagnitudePruning.targetRemaining(total, sparsity));
                    assertThat(densities.values()).allSatisfy(d -> assertThat(d).isBetween(0.0, 1.0));
                }
            }
        }
    }

    @Test
    void ignoredTensorsStayOutOfTheBudget() {
        ModelDefinition lenet = MODELS.get("lenet-300-100", 10);
        Map<String, Long> counts = LayerDensities.keptCounts(lenet, List.of("fc3.weight"), LayerDensities.UNIFORM, 0.9);
        assertThat(counts).containsOnlyKeys("fc1.weight", "fc2.weight");
        assertThat(counts.get("fc1.weight") + counts.get("fc2.weight")).isEqualTo(26_520); // floor(0.1 × 265,200)
        assertThat((double) counts.get("fc1.weight") / 235_200).isCloseTo(0.1, within(1e-4));
        assertThatThrownBy(() -> LayerDensities.keptCounts(lenet, List.of(), "lognormal", 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LayerDensities.keptCounts(lenet, List.of(), LayerDensities.ERK, 1.0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
