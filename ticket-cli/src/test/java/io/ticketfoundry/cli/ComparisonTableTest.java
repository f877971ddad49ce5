package io.ticketfoundry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ComparisonTableTest {

    @Test
    void oneMarkdownTablePerMetricWithMeanAndStdPerExperiment() {
        String json = """
                {"metrics": ["ece"], "split": "test",
                 "experiments": [{"name": "a", "objective": "basic"}, {"name": "b", "objective": "vwcc"}],
                 "levels": [
                   {"level": 0, "experiments": [
                     {"remainingFraction": 1.0, "metrics": {"ece": {"mean": 0.0231, "std": 0.0012, "n": 3}}},
                     {"remainingFraction": 1.0, "metrics": {"ece": {"mean": 0.0104, "std": null, "n": 1}}}]},
                   {"level": 1, "experiments": [
                     {"remainingFraction": 0.8, "metrics": {"ece": {"mean": 0.02, "std": 0.001, "n": 3}}},
                     {"remainingFraction": null, "metrics": {"ece": {"mean": null, "std": null, "n": 0}}}]}]}""";
        String table = ComparisonTable.render(JsonMapper.builder().build().readTree(json));
        assertThat(table).contains("**ece** (test split")
                .contains("| level | remaining | basic | vwcc |")
                .contains("| 0 | 100.0% | 0.0231 ± 0.0012 | 0.0104 |")
                .contains("| 1 | 80.0% | 0.0200 ± 0.0010 | – |");
    }

    @Test
    void theFinalTableTakesEachExperimentsLastLevelWithTickets() {
        String json = """
                {"metrics": ["accuracy"], "split": "test",
                 "experiments": [{"name": "imp to 80%"}, {"name": "snip at 80%"}],
                 "levels": [
                   {"level": 1, "experiments": [
                     {"tickets": 3, "remainingFraction": 0.8, "metrics": {"accuracy": {"mean": 0.88, "std": 0.01}}},
                     {"tickets": 3, "remainingFraction": 0.2, "metrics": {"accuracy": {"mean": 0.86, "std": 0.02}}}]},
                   {"level": 8, "experiments": [
                     {"tickets": 3, "remainingFraction": 0.2, "metrics": {"accuracy": {"mean": 0.87, "std": 0.005}}},
                     {"tickets": 0, "remainingFraction": null, "metrics": {"accuracy": {"mean": null, "std": null}}}]}]}""";
        String table = ComparisonTable.renderFinal(JsonMapper.builder().build().readTree(json));
        assertThat(table).contains("| experiment | level | remaining | accuracy |")
                .contains("| imp to 80% | 8 | 20.00% | 0.8700 ± 0.0050 |")
                .contains("| snip at 80% | 1 | 20.00% | 0.8600 ± 0.0200 |");
    }
}
