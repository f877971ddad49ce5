package io.ticketfoundry.api.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.ApiClient;
import io.ticketfoundry.api.support.ApiClient.Response;
import io.ticketfoundry.api.support.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class PresetAndSweepApiTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private ApiClient api;
    private String member;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        member = api.teamToken(api.createTeam("sweepers"), "member");
    }

    @Test
    void presetsAreListedAndServedByName() {
        Response list = api.get(member, "/api/v1/presets");
        assertThat(list.status()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        list.body().get("items").forEach(p -> names.add(p.get("name").stringValue()));
        assertThat(names).contains("open-lth-lenet-300-100", "frankle-carbin-lenet-300-100",
                "calibrate-and-prune-fashion-mnist", "open-lth-resnet-20-cifar10");
        Response one = api.get(member, "/api/v1/presets/open-lth-resnet-20-cifar10");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.body().at("/spec/training/epochs").intValue()).isEqualTo(160);
        assertThat(api.get(member, "/api/v1/presets/nope").status()).isEqualTo(404);
        assertThat(api.get(null, "/api/v1/presets").status()).isEqualTo(401);
    }

    @Test
    void submittingByPresetMergesTheOverrides() {
        Response created = api.post(member, "/api/v1/experiments", """
                {"name": "fc short", "preset": "frankle-carbin-lenet-300-100", "spec": {"training": {"epochs": 2}}}""");
        assertThat(created.status()).isEqualTo(201);
        JsonNode resolved = created.body().get("resolvedSpec");
        assertThat(resolved.at("/training/epochs").intValue()).isEqualTo(2);
        assertThat(resolved.at("/training/optimizer").stringValue()).isEqualTo("adam");
        assertThat(resolved.at("/training/batchSize").intValue()).isEqualTo(60);
        assertThat(resolved.at("/pruning/layerFractions/fc3.weight").doubleValue()).isEqualTo(0.1);

        // the same spec spelt out without the preset is the same experiment
        Response spelt = api.post(member, "/api/v1/experiments", """
                {"name": "x", "spec": {"training": {"optimizer": "adam", "learningRate": 0.0012, "batchSize": 60, "epochs": 2},
                 "pruning": {"scope": "layerwise", "layerFractions": {"fc3.weight": 0.1}, "levels": 15}}}""");
        assertThat(spelt.status()).isEqualTo(200);
        assertThat(spelt.body().get("id")).isEqualTo(created.body().get("id"));

        Response bad = api.post(member, "/api/v1/experiments", """
                {"name": "x", "preset": "mystery", "spec": {"training": {"epochs": 0}}}""");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorFields()).contains("preset", "spec.training.epochs");
    }

    @Test
    void aSweepCreatesTheGridTimesSeedsInOneCallAndFindsExistingPoints() {
        String body = """
                {"name": "lr x scope", "spec": {"training": {"epochs": 2}, "pruning": {"levels": 1}},
                 "grid": {"training.learningRate": [0.1, 0.05], "pruning.scope": ["global", "layerwise"]},
                 "seeds": [0, 1]}""";
        Response sweep = api.post(member, "/api/v1/sweeps", body);
        assertThat(sweep.status()).isEqualTo(201);
        JsonNode experiments = sweep.body().get("experiments");
        assertThat(experiments).hasSize(4);
        List<UUID> ids = new ArrayList<>();
        experiments.forEach(e -> {
            assertThat(e.get("created").booleanValue()).isTrue();
            ids.add(UUID.fromString(e.get("experimentId").stringValue()));
        });
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(experiments.get(1).at("/point/pruning.scope").stringValue()).isEqualTo("layerwise");
        assertThat(experiments.get(2).at("/point/training.learningRate").doubleValue()).isEqualTo(0.05);
        long jobs = jdbc.sql("SELECT count(*) FROM job WHERE experiment_id IN (:ids) AND level = 0")
                .param("ids", ids).query(Long.class).single();
        assertThat(jobs).isEqualTo(8);

        Response again = api.post(member, "/api/v1/sweeps", body);
        assertThat(again.status()).isEqualTo(201);
        List<UUID> againIds = new ArrayList<>();
        again.body().get("experiments").forEach(e -> {
            assertThat(e.get("created").booleanValue()).isFalse();
            againIds.add(UUID.fromString(e.get("experimentId").stringValue()));
        });
        assertThat(againIds).isEqualTo(ids);
        Response read = api.get(member, "/api/v1/sweeps/" + sweep.body().get("id").stringValue());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body().get("experiments")).hasSize(4);
    }

    @Test
    void sweepProblemsNameTheGridEntryAndNothingIsStored() {
        long before = jdbc.sql("SELECT count(*) FROM experiment").query(Long.class).single();
        Response bad = api.post(member, "/api/v1/sweeps", """
                {"name": "bad", "grid": {"training.learningRate": [0.1, -1], "pruning.layerFractions.fc3.weight": [0.1, 2],
                 "training.lr": [1]}}""");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorFields()).containsExactlyInAnyOrder("grid.training.lr");

        Response values = api.post(member, "/api/v1/sweeps", """
                {"name": "bad", "grid": {"training.learningRate": [0.1, -1], "pruning.layerFractions.fc3.weight": [0.1, 2]}}""");
        assertThat(values.status()).isEqualTo(400);
        assertThat(values.errorFields()).containsExactlyInAnyOrder("grid.training.learningRate[1]",
                "grid.pruning.layerFractions.fc3.weight[1]");

        Response big = api.post(member, "/api/v1/sweeps", """
                {"name": "big", "grid": {"training.epochs": [1,2,3,4,5,6,7,8,9], "training.batchSize": [1,2,3,4,5,6,7,8]}}""");
        assertThat(big.status()).isEqualTo(400);
        assertThat(big.errorFields()).containsExactly("grid");
        assertThat(jdbc.sql("SELECT count(*) FROM experiment").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void theExampleSweepsAreAcceptedWhole() throws Exception {
        for (String file : List.of("objective-comparison.json", "pruning-methods.json", "sparse-training-methods.json")) {
            String request = java.nio.file.Files.readString(java.nio.file.Path.of("..", "examples", file));
            Response sweep = api.post(member, "/api/v1/sweeps", request);
            assertThat(sweep.status()).as(file + ": " + sweep.body()).isEqualTo(201);
            assertThat(sweep.body().get("experiments").size()).as(file).isGreaterThanOrEqualTo(8);
        }
    }
}
