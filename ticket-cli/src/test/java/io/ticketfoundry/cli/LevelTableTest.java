package io.ticketfoundry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class LevelTableTest {

    @Test
    void printsOneRowPerLevelInOrderWithBothDensitiesAndTheTestMetrics() {
        String tickets = """
                {"items":[
                 {"seed":0,"level":1,"prunable":{"total":1000,"remaining":800,"density":0.8},
                  "allParameters":{"total":1010,"remaining":810,"density":0.801980198},
                  "accuracy":0.8712,"ece":0.0213,"nll":0.3541,"brier":0.1899},
                 {"seed":0,"level":0,"prunable":{"total":1000,"remaining":1000,"density":1.0},
                  "allParameters":{"total":1010,"remaining":1010,"density":1.0},"accuracy":0.87,"ece":null}]}""";
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

    @Test
    void aSparseTrainingSnapshotIsLabelledWithItsStep() {
        String tickets = """
                {"items":[
                 {"seed":0,"level":0,"kind":"imp","step":null,"prunable":{"total":1000,"remaining":100,"density":0.1},
                  "allParameters":{"total":1010,"remaining":110,"density":0.1089},"accuracy":0.9},
                 {"seed":0,"level":0,"kind":"snapshot","step":200,"prunable":{"total":1000,"remaining":100,"density":0.1},
                  "allParameters":{"total":1010,"remaining":110,"density":0.1089},"accuracy":0.7}]}""";
        String[] lines = LevelTable.render(JsonMapper.builder().build().readTree(tickets)).split("\\R");
        assertThat(lines).hasSize(3);
        assertThat(lines[1]).endsWith("-");
        assertThat(lines[2]).contains("0.7000").endsWith("snapshot step 200");
    }
}
