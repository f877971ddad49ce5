package io.ticketfoundry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class LevelTableTest {

    @Test
    void printsOneRowPerLevelInOrderWithBothDensitiesAndTheTestMetrics() {
        String tickets = """
                [{"seed":0,"level":1,"remainingPrunable":800,"prunableWeights":1000,"remainingTotal":810,"totalParameters":1010,
                  "metrics":[{"name":"accuracy","split":"test","value":0.8712},{"name":"ece","split":"test","value":0.0213},
                             {"name":"nll","split":"test","value":0.3541},{"name":"brier","split":"test","value":0.1899}]},
                 {"seed":0,"level":0,"remainingPrunable":1000,"prunableWeights":1000,"remainingTotal":1010,"totalParameters":1010,
                  "metrics":[{"name":"accuracy","split":"test","value":0.87}]}]""";
        String table = LevelTable.render(JsonMapper.builder().build().readTree(tickets));
        String[] lines = table.split("\\R");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).contains("level", "remaining(pr)", "remaining(all)", "accuracy", "ECE", "NLL", "Brier");
        assertThat(lines[1]).startsWith("0     0").contains("100.00%", "0.8700").endsWith("-");
        assertThat(lines[2]).startsWith("0     1").contains("80.00%", "80.20%", "0.8712", "0.0213", "0.3541", "0.1899");
    }

    @Test
    void saysSoWhenThereAreNoTickets() {
        assertThat(LevelTable.render(JsonMapper.builder().build().readTree("{\"items\":[]}"))).contains("no tickets yet");
    }
}
