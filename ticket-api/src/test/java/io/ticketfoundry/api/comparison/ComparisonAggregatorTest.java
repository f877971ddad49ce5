package io.ticketfoundry.api.comparison;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ticketfoundry.api.comparison.ComparisonViews.ComparisonCell;
import io.ticketfoundry.api.comparison.ComparisonViews.Comparison;
import io.ticketfoundry.api.comparison.ComparisonViews.MetricOverSeeds;
import io.ticketfoundry.api.metric.MetricSelection.TicketValue;
import io.ticketfoundry.api.web.FieldProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Mean, sample std and the per-level layout, with numbers worked out by hand. */
class ComparisonAggregatorTest {

    final UUID a = UUID.randomUUID();
    final UUID b = UUID.randomUUID();
    final UUID job = UUID.randomUUID();
    final ComparedExperiment first = new ComparedExperiment(a, UUID.randomUUID(), "dense baseline", "mnist", "basic");
    final ComparedExperiment second = new ComparedExperiment(b, UUID.randomUUID(), "mixup", "cifar10", "mixup");

    /** One row per metric value of one ticket; the same ticket id for all of them. */
    private List<TicketValue> ticket(UUID experiment, long seed, int level, long remaining, Object... metricValues) {
        UUID ticket = UUID.randomUUID();
        List<TicketValue> rows = new ArrayList<>();
        if (metricValues.length == 0) {
            rows.add(new TicketValue(experiment, ticket, seed, level, 1000, remaining, "mnist", null, null, null));
        }
        for (int i = 0; i < metricValues.length; i += 2) {
            rows.add(new TicketValue(experiment, ticket, seed, level, 1000, remaining, "mnist", (String) metricValues[i],
                    (Double) metricValues[i + 1], job));
        }
        return rows;
    }

    private static ComparisonQuery query(List<UUID> experiments, String dataset) {
        return new ComparisonQuery(experiments, List.of("accuracy", "ece"), dataset, "test", "imp");
    }

    @Test
    void threeSeedsTwoLevelsGiveMeanAndSampleStd() {
        List<TicketValue> rows = new ArrayList<>();
        // level 0: accuracy 0.90, 0.92, 0.94 -> mean 0.92, std sqrt((0.0004 + 0 + 0.0004) / 2) = 0.02
        //          ece 0.03, 0.05, 0.04 -> mean 0.04, std sqrt((0.0001 + 0.0001 + 0) / 2) = 0.01
        rows.addAll(ticket(a, 0, 0, 1000, "accuracy", 0.90, "ece", 0.03));
        rows.addAll(ticket(a, 1, 0, 1000, "accuracy", 0.92, "ece", 0.05));
        rows.addAll(ticket(a, 2, 0, 1000, "accuracy", 0.94, "ece", 0.04));
        // level 1: accuracy 0.85, 0.88, 0.97 -> mean 0.90, squares 0.0025 + 0.0004 + 0.0049 = 0.0078, std sqrt(0.0039)
        //          remaining 800, 800, 790 -> mean fraction 0.79666...
        rows.addAll(ticket(a, 2, 1, 790, "accuracy", 0.97, "ece", 0.02));
        rows.addAll(ticket(a, 0, 1, 800, "accuracy", 0.85, "ece", 0.06));
        rows.addAll(ticket(a, 1, 1, 800, "accuracy", 0.88));

        Comparison comparison = ComparisonAggregator.aggregate(query(List.of(a), null), List.of(first), rows);

        assertThat(comparison.levels()).extracting(ComparisonViews.ComparisonLevel::level).containsExactly(0, 1);
        ComparisonCell level0 = comparison.levels().get(0).experiments().get(0);
        assertThat(level0.tickets()).isEqualTo(3);
        assertThat(level0.remainingFraction()).isEqualTo(1.0);
        assertThat(level0.metrics().keySet()).containsExactly("accuracy", "ece");
        MetricOverSeeds accuracy0 = level0.metrics().get("accuracy");
        assertThat(accuracy0.mean()).isCloseTo(0.92, within(1e-12));
        assertThat(accuracy0.std()).isCloseTo(0.02, within(1e-12));
        assertThat(accuracy0.n()).isEqualTo(3);
        assertThat(accuracy0.values()).extracting(ComparisonViews.SeedValue::seed).containsExactly(0L, 1L, 2L);
        assertThat(accuracy0.values()).extracting(ComparisonViews.SeedValue::value).containsExactly(0.90, 0.92, 0.94);
        assertThat(level0.metrics().get("ece").mean()).isCloseTo(0.04, within(1e-12));
        assertThat(level0.metrics().get("ece").std()).isCloseTo(0.01, within(1e-12));

        ComparisonCell level1 = comparison.levels().get(1).experiments().get(0);
        assertThat(level1.remainingFraction()).isCloseTo((0.8 + 0.8 + 0.79) / 3, within(1e-12));
        MetricOverSeeds accuracy1 = level1.metrics().get("accuracy");
        assertThat(accuracy1.mean()).isCloseTo(0.90, within(1e-12));
        assertThat(accuracy1.std()).isCloseTo(Math.sqrt(0.0039), within(1e-12));
        assertThat(accuracy1.values()).extracting(ComparisonViews.SeedValue::seed).containsExactly(0L, 1L, 2L);
        // seed 1 has no ECE at level 1: n = 2, mean of 0.06 and 0.02, std sqrt((0.0004 + 0.0004) / 1)
        MetricOverSeeds ece1 = level1.metrics().get("ece");
        assertThat(ece1.n()).isEqualTo(2);
        assertThat(ece1.mean()).isCloseTo(0.04, within(1e-12));
        assertThat(ece1.std()).isCloseTo(Math.sqrt(0.0008), within(1e-12));

        assertThat(comparison.experiments().get(0).seeds()).containsExactly(0L, 1L, 2L);
        assertThat(comparison.experiments().get(0).label()).isEqualTo("dense baseline (basic)");
        assertThat(comparison.std()).isEqualTo(ComparisonViews.STD_CONVENTION);
    }

    @Test
    void oneSeedHasNoStdAndAMissingMetricHasNoMean() {
        List<TicketValue> rows = new ArrayList<>(ticket(a, 7, 0, 1000, "accuracy", 0.5));
        rows.addAll(ticket(a, 7, 1, 500));
        Comparison comparison = ComparisonAggregator.aggregate(query(List.of(a), null), List.of(first), rows);
        MetricOverSeeds one = comparison.levels().get(0).experiments().get(0).metrics().get("accuracy");
        assertThat(one.n()).isEqualTo(1);
        assertThat(one.mean()).isEqualTo(0.5);
        assertThat(one.std()).isNull();
        ComparisonCell bare = comparison.levels().get(1).experiments().get(0);
        assertThat(bare.tickets()).isEqualTo(1);
        assertThat(bare.remainingFraction()).isEqualTo(0.5);
        assertThat(bare.metrics().get("accuracy").n()).isZero();
        assertThat(bare.metrics().get("accuracy").mean()).isNull();
        assertThat(bare.metrics().get("accuracy").std()).isNull();
        assertThat(bare.metrics().get("accuracy").values()).isEmpty();
    }

    @Test
    void experimentsStandSideBySideInTheOrderAskedWithEmptyCellsWhereOneHasNoLevel() {
        List<TicketValue> rows = new ArrayList<>();
        rows.addAll(ticket(a, 0, 0, 1000, "accuracy", 0.9));
        rows.addAll(ticket(a, 0, 1, 800, "accuracy", 0.8));
        rows.addAll(ticket(b, 5, 0, 1000, "accuracy", 0.7));
        Comparison comparison = ComparisonAggregator.aggregate(query(List.of(b, a), null), List.of(second, first), rows);
        assertThat(comparison.experiments()).extracting(ComparisonViews.ComparisonExperiment::id).containsExactly(b, a);
        assertThat(comparison.experiments()).extracting(ComparisonViews.ComparisonExperiment::dataset)
                .as("each experiment's own dataset when none is asked for").containsExactly("cifar10", "mnist");
        assertThat(comparison.levels().get(0).experiments()).extracting(ComparisonCell::experimentId).containsExactly(b, a);
        ComparisonCell missing = comparison.levels().get(1).experiments().get(0);
        assertThat(missing.experimentId()).isEqualTo(b);
        assertThat(missing.tickets()).isZero();
        assertThat(missing.remainingFraction()).isNull();
        assertThat(missing.metrics().get("accuracy").n()).isZero();

        Comparison asked = ComparisonAggregator.aggregate(query(List.of(b, a), "fashion-mnist"), List.of(second, first), rows);
        assertThat(asked.dataset()).isEqualTo("fashion-mnist");
        assertThat(asked.experiments()).extracting(ComparisonViews.ComparisonExperiment::dataset)
                .containsExactly("fashion-mnist", "fashion-mnist");
    }

    @Test
    void anExperimentWithoutTicketsHasNoSeedsAndNoLevels() {
        Comparison comparison = ComparisonAggregator.aggregate(query(List.of(a), null), List.of(first), List.of());
        assertThat(comparison.levels()).isEmpty();
        assertThat(comparison.experiments().get(0).seeds()).isEmpty();
    }

    @Test
    void statisticsOfFewValues() {
        assertThat(ComparisonAggregator.mean(List.of())).isNull();
        assertThat(ComparisonAggregator.sampleStd(List.of())).isNull();
        assertThat(ComparisonAggregator.sampleStd(List.of(3.0))).isNull();
        assertThat(ComparisonAggregator.sampleStd(List.of(1.0, 3.0))).isCloseTo(Math.sqrt(2.0), within(1e-15));
        assertThat(ComparisonAggregator.sampleStd(List.of(2.0, 2.0, 2.0))).isZero();
    }

    @Test
    void queryParametersAreReadStrictlyAndNamedInProblems() {
        List<FieldProblem> problems = new ArrayList<>();
        ComparisonQuery ok = ComparisonQuery.read(" " + a + " ," + b, null, null, null, null, problems);
        assertThat(problems).isEmpty();
        assertThat(ok.experiments()).containsExactly(a, b);
        assertThat(ok.metrics()).containsExactly("accuracy", "ece", "nll", "brier");
        assertThat(ok.split()).isEqualTo("test");
        assertThat(ok.dataset()).isNull();
        assertThat(ok.ticketKind()).isEqualTo("imp");
        assertThat(ComparisonQuery.read(a.toString(), "mce,ood-auroc", null, null, null, problems).metrics())
                .as("the robustness metrics of evaluate jobs").containsExactly("mce", "ood-auroc");
        assertThat(problems).isEmpty();

        ComparisonQuery bad = ComparisonQuery.read(a + ",nope," + a, "accuracy,f1,accuracy", " ", "", "lottery", problems);
        assertThat(bad).isNull();
        assertThat(problems).extracting(FieldProblem::field)
                .containsExactly("experiments", "experiments", "metrics", "metrics", "dataset", "split", "ticketKind");

        List<FieldProblem> tooMany = new ArrayList<>();
        String thirteen = String.join(",", java.util.stream.Stream.generate(() -> UUID.randomUUID().toString())
                .limit(13).toList());
        assertThat(ComparisonQuery.read(thirteen, null, null, null, null, tooMany)).isNull();
        assertThat(tooMany).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("experiments");
            assertThat(p.message()).contains("at most 12");
        });
        List<FieldProblem> missing = new ArrayList<>();
        assertThat(ComparisonQuery.read(null, "", null, null, "calibrated", missing)).isNull();
        assertThat(missing).extracting(FieldProblem::field).containsExactly("experiments", "metrics");
    }
}
