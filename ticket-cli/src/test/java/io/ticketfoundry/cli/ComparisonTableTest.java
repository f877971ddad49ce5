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
}
