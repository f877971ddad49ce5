package io.ticketfoundry.api.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.ApiClient;
import io.ticketfoundry.api.support.ApiClient.Response;
import io.ticketfoundry.api.support.ApiTestSupport;
import io.ticketfoundry.api.support.IntegrationTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class ExperimentApiTest {

    private static final String EXPERIMENTS = "/api/v1/experiments";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private ApiClient api;
    private UUID team;
    private String member;
    private String viewer;
    private String otherTeamMember;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        team = api.createTeam("lab");
        member = api.teamToken(team, "member");
        viewer = api.teamToken(team, "viewer");
        otherTeamMember = api.teamToken(api.createTeam("rivals"), "member");
    }

    private Response submit(String token, String body) {
        return api.post(token, EXPERIMENTS, body);
    }

    private List<JsonNode> jobsOf(UUID experiment) {
        return jdbc.sql("SELECT seed, level, status, kind, parent_ticket_id FROM job WHERE experiment_id = :id ORDER BY seed")
                .param("id", experiment)
                .query((rs, n) -> (JsonNode) ApiClient.JSON.createObjectNode()
                        .put("seed", rs.getLong("seed"))
                        .put("level", rs.getInt("level"))
                        .put("status", rs.getString("status"))
                        .put("kind", rs.getString("kind"))
                        .put("parent", rs.getString("parent_ticket_id")))
                .list();
    }

    @Test
    void submittingCreatesTheExperimentAndQueuesLevelZeroForEverySeed() {
        Response created = submit(member, """
                {"name":"baseline","spec":{"training":{"learningRate":0.05},"pruning":{"levels":3}},"seeds":[1,2,3]}""");

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode body = created.body();
        UUID id = UUID.fromString(body.path("id").asString());
        assertThat(created.header("Location")).endsWith("/api/v1/experiments/" + id);
        assertThat(body.path("name").asString()).isEqualTo("baseline");
        assertThat(body.path("specHash").asString()).matches("[0-9a-f]{64}");
        assertThat(body.path("schemaVersion").asInt()).isEqualTo(1);
        assertThat(body.path("spec").toString()).isEqualTo("{\"pruning\":{\"levels\":3},\"training\":{\"learningRate\":0.05}}");
        assertThat(body.path("resolvedSpec").path("model").asString()).isEqualTo("lenet-300-100");
        assertThat(body.path("resolvedSpec").path("training").path("learningRate").asDouble()).isEqualTo(0.05);
        assertThat(body.path("resolvedSpec").path("training").path("epochs").asInt()).isEqualTo(40);
        assertThat(body.path("seeds").toString()).isEqualTo("[1,2,3]");
        assertThat(body.path("status").asString()).isEqualTo("queued");
        assertThat(body.path("jobs").path("queued").asInt()).isEqualTo(3);
        assertThat(body.path("jobs").path("leased").asInt()).isZero();
        assertThat(body.path("createdAt").asString()).isNotBlank();

        assertThat(jobsOf(id)).hasSize(3).allSatisfy(job -> {
            assertThat(job.path("level").asInt()).isZero();
            assertThat(job.path("status").asString()).isEqualTo("queued");
            assertThat(job.path("parent").isNull()).isTrue();
        });
        assertThat(jobsOf(id)).extracting(job -> job.path("seed").asLong()).containsExactly(1L, 2L, 3L);

        Response fetched = api.get(member, EXPERIMENTS + "/" + id);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.body().path("specHash").asString()).isEqualTo(body.path("specHash").asString());
        assertThat(api.get(viewer, EXPERIMENTS + "/" + id).status()).isEqualTo(200);
    }

    @Test
    void anEmptySpecAndNoSeedsMeanTheDefaultsWithSeedZero() {
        Response created = submit(member, "{\"name\":\"defaults\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.body().path("spec").toString()).isEqualTo("{}");
        assertThat(created.body().path("seeds").toString()).isEqualTo("[0]");
        assertThat(created.body().path("specHash").asString()).isEqualTo(SpecHasher.sha256("{}"));

        Response defaults = api.get(member, EXPERIMENTS + "/defaults");
        assertThat(defaults.status()).isEqualTo(200);
        assertThat(defaults.body()).isEqualTo(created.body().path("resolvedSpec"));
    }

    @Test
    void resubmittingTheSameSpecReturnsTheExperimentAndAddsOnlyNewSeeds() {
        Response first = submit(member, """
                {"name":"sweep","spec":{"training":{"learningRate":0.05,"batchSize":64},"pruning":{"ignore":["fc3.weight"]}},
                 "seeds":[7]}""");
        assertThat(first.status()).isEqualTo(201);
        UUID id = UUID.fromString(first.body().path("id").asString());

        // Other key order, numbers written differently, defaults spelled out, same seed: the same experiment.
        Response again = submit(member, """
                {"seeds":[7],"spec":{"pruning":{"ignore":["fc3.weight"],"fraction":0.20,"scope":"global"},
                 "schemaVersion":1,"model":"lenet-300-100","training":{"batchSize":64.0,"learningRate":5e-2,"epochs":40}},
                 "name":"sweep again"}""");
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.body().path("id").asString()).isEqualTo(id.toString());
        assertThat(again.body().path("name").asString()).isEqualTo("sweep");
        assertThat(jobsOf(id)).hasSize(1);

        // A new seed: a new replicate and its level-0 job, nothing for the seed it already had.
        Response moreSeeds = submit(member, """
                {"name":"sweep","spec":{"training":{"learningRate":0.05,"batchSize":64},"pruning":{"ignore":["fc3.weight"]}},
                 "seeds":[7,8]}""");
        assertThat(moreSeeds.status()).isEqualTo(200);
        assertThat(moreSeeds.body().path("id").asString()).isEqualTo(id.toString());
        assertThat(moreSeeds.body().path("seeds").toString()).isEqualTo("[7,8]");
        assertThat(moreSeeds.body().path("jobs").path("queued").asInt()).isEqualTo(2);
        assertThat(jobsOf(id)).extracting(job -> job.path("seed").asLong() + "@" + job.path("level").asInt())
                .containsExactly("7@0", "8@0");

        // A different value: a different experiment.
        Response different = submit(member, """
                {"name":"sweep","spec":{"training":{"learningRate":0.05,"batchSize":65},"pruning":{"ignore":["fc3.weight"]}},
                 "seeds":[7]}""");
        assertThat(different.status()).isEqualTo(201);
        assertThat(different.body().path("id").asString()).isNotEqualTo(id.toString());

        // The same spec in another team is that team's own experiment.
        Response otherTeam = submit(otherTeamMember, """
                {"name":"sweep","spec":{"training":{"learningRate":0.05,"batchSize":64},"pruning":{"ignore":["fc3.weight"]}}}""");
        assertThat(otherTeam.status()).isEqualTo(201);
        assertThat(otherTeam.body().path("specHash").asString()).isEqualTo(first.body().path("specHash").asString());
        assertThat(otherTeam.body().path("id").asString()).isNotEqualTo(id.toString());
    }

    @Test
    void concurrentIdenticalSubmissionsEndWithOneExperiment() throws Exception {
        String body = "{\"name\":\"race\",\"spec\":{\"pruning\":{\"levels\":2},\"training\":{\"epochs\":3}},\"seeds\":[1,2]}";
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(() -> submit(member, body));
            }
            Set<String> ids = new HashSet<>();
            int created = 0;
            for (Future<Response> future : pool.invokeAll(calls)) {
                Response response = future.get();
                assertThat(response.status()).as(response.toString()).isIn(200, 201);
                created += response.status() == 201 ? 1 : 0;
                ids.add(response.body().path("id").asString());
            }
            assertThat(ids).hasSize(1);
            assertThat(created).isEqualTo(1);
            assertThat(jobsOf(UUID.fromString(ids.iterator().next()))).hasSize(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void validationProblemsNameEveryField() {
        Response unknown = submit(member, "{\"name\":\"x\",\"spec\":{\"training\":{\"lr\":0.1}}}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.contentType()).contains("application/problem+json");
        assertThat(unknown.errorFields()).containsExactly("spec.training.lr");
        assertThat(unknown.body().path("errors").get(0).path("message").asString()).isEqualTo("is not a known field");

        Response wrongType = submit(member, "{\"name\":\"x\",\"spec\":{\"pruning\":{\"fraction\":\"0.2\"},\"evaluation\":{\"eceBins\":1.5}}}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.errorFields()).containsExactly("spec.pruning.fraction", "spec.evaluation.eceBins");

        Response unknownBinning = submit(member,
                "{\"name\":\"x\",\"spec\":{\"evaluation\":{\"eceEdges\":\"[lo,hi]\",\"binning\":\"adaptive\"}}}");
        assertThat(unknownBinning.status()).isEqualTo(400);
        assertThat(unknownBinning.errorFields()).containsExactly("spec.evaluation.eceEdges", "spec.evaluation.binning");

        Response impossible = submit(member, """
                {"spec":{"model":"gpt","training":{"learningRate":-1,"momentum":1.5,"epochs":10},
                 "pruning":{"fraction":1.0,"levels":-1,"layerFractions":{"conv1.weight":0.5}},
                 "rewind":{"step":11,"unit":"epochs"}},
                 "seeds":[1,1,2.5]}""");
        assertThat(impossible.status()).isEqualTo(400);
        assertThat(impossible.errorFields()).containsExactly("name", "spec.model", "spec.training.learningRate",
                "spec.training.momentum", "spec.pruning.fraction", "spec.pruning.levels", "spec.rewind.step",
                "seeds[1]", "seeds[2]");
        assertThat(impossible.body().path("title").asString()).isEqualTo("Invalid request");
        assertThat(impossible.body().path("status").asInt()).isEqualTo(400);

        Response topLevel = submit(member, "{\"name\":\"x\",\"specs\":{}}");
        assertThat(topLevel.status()).isEqualTo(400);
        assertThat(topLevel.errorFields()).containsExactly("specs");

        assertThat(submit(member, "{\"name\":\"x\",\"seeds\":[]}").errorFields()).containsExactly("seeds");
        assertThat(submit(member, "{\"name\":\"x\",\"seeds\":\"1\"}").errorFields()).containsExactly("seeds");
        assertThat(submit(member, "{\"name\":5,\"seeds\":[\"1\"]}").errorFields()).containsExactly("name", "seeds[0]");
        assertThat(submit(member, "{\"name\":\"x\",\"spec\":[1]}").errorFields()).containsExactly("spec");
        assertThat(submit(member, "{\"name\":\"" + "n".repeat(201) + "\"}").errorFields()).containsExactly("name");
        assertThat(submit(member, "not json").status()).isEqualTo(400);
        assertThat(jdbc.sql("SELECT count(*) FROM experiment WHERE team_id = :team").param("team", team)
                .query(Long.class).single()).isZero();
    }

    @Test
    void onlyMembersAndAdminsOfATeamSubmit() {
        String body = "{\"name\":\"nope\"}";
        Response asViewer = submit(viewer, body);
        assertThat(asViewer.status()).isEqualTo(403);
        assertThat(asViewer.contentType()).contains("application/problem+json");
        assertThat(submit(api.workerToken("default"), body).status()).isEqualTo(403);
        assertThat(submit(ApiTestSupport.ADMIN_TOKEN, body).status()).isEqualTo(403);
        Response anonymous = submit(null, body);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).contains("application/problem+json");
        assertThat(submit("tf_not_a_real_token", body).status()).isEqualTo(401);
        assertThat(submit(api.teamToken(team, "admin"), body).status()).isEqualTo(201);
    }

    @Test
    void anotherTeamsExperimentIsNotFound() {
        UUID id = UUID.fromString(submit(member, "{\"name\":\"secret\"}").body().path("id").asString());
        Response foreign = api.get(otherTeamMember, EXPERIMENTS + "/" + id);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.contentType()).contains("application/problem+json");
        assertThat(api.get(member, EXPERIMENTS + "/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(api.get(ApiTestSupport.ADMIN_TOKEN, EXPERIMENTS + "/" + id).status()).isEqualTo(404);
        assertThat(api.get(otherTeamMember, EXPERIMENTS).body().path("items").toString()).doesNotContain(id.toString());
        assertThat(api.get(member, EXPERIMENTS + "/not-a-uuid").status()).isEqualTo(400);
    }

    @Test
    void listingIsPagedNewestFirstAndFiltered() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String dataset = i % 2 == 0 ? "mnist" : "fashion-mnist";
            Response created = submit(member, "{\"name\":\"Run_" + i + "\",\"spec\":{\"dataset\":\"" + dataset
                    + "\",\"pruning\":{\"levels\":" + (i + 1) + "}}}");
            assertThat(created.status()).isEqualTo(201);
            ids.add(created.body().path("id").asString());
        }
        Response firstPage = api.get(viewer, EXPERIMENTS + "?page=0&size=2");
        assertThat(firstPage.status()).isEqualTo(200);
        assertThat(firstPage.body().path("total").asLong()).isEqualTo(5);
        assertThat(firstPage.body().path("page").asInt()).isZero();
        assertThat(firstPage.body().path("size").asInt()).isEqualTo(2);
        assertThat(ids(firstPage)).containsExactly(ids.get(4), ids.get(3));
        assertThat(ids(api.get(viewer, EXPERIMENTS + "?page=2&size=2"))).containsExactly(ids.get(0));

        assertThat(ids(api.get(viewer, EXPERIMENTS + "?dataset=fashion-mnist"))).containsExactly(ids.get(3), ids.get(1));
        assertThat(ids(api.get(viewer, EXPERIMENTS + "?name=run_2"))).containsExactly(ids.get(2));
        assertThat(ids(api.get(viewer, EXPERIMENTS + "?name=n_"))).hasSize(5);
        assertThat(ids(api.get(viewer, EXPERIMENTS + "?name=%25"))).isEmpty();
        assertThat(ids(api.get(viewer, EXPERIMENTS + "?model=lenet-300-100&dataset=mnist"))).containsExactly(ids.get(4), ids.get(2), ids.get(0));
        String hash = api.get(viewer, EXPERIMENTS + "/" + ids.get(1)).body().path("specHash").asString();
        assertThat(ids(api.get(viewer, EXPERIMENTS + "?specHash=" + hash))).containsExactly(ids.get(1));

        assertThat(api.get(viewer, EXPERIMENTS + "?page=-1&size=0").errorFields()).containsExactly("page", "size");
        assertThat(api.get(viewer, EXPERIMENTS + "?size=201").errorFields()).containsExactly("size");
        assertThat(api.get(viewer, EXPERIMENTS + "?page=abc").errorFields()).containsExactly("page");
    }

    private static List<String> ids(Response page) {
        List<String> out = new ArrayList<>();
        page.body().path("items").forEach(item -> out.add(item.path("id").asString()));
        return out;
    }

    @Test
    void statusFollowsTheJobs() {
        UUID id = UUID.fromString(submit(member, "{\"name\":\"status\",\"seeds\":[1,2]}").body().path("id").asString());
        assertThat(status(id)).isEqualTo("queued");
        setJob(id, 1, "leased");
        assertThat(status(id)).isEqualTo("running");
        setJob(id, 1, "succeeded");
        assertThat(status(id)).isEqualTo("running");
        setJob(id, 2, "failed");
        assertThat(status(id)).isEqualTo("failed");
        setJob(id, 2, "succeeded");
        assertThat(status(id)).isEqualTo("succeeded");
        JsonNode jobs = api.get(member, EXPERIMENTS + "/" + id).body().path("jobs");
        assertThat(jobs.toString()).isEqualTo("{\"queued\":0,\"leased\":0,\"succeeded\":2,\"failed\":0,\"cancelled\":0}");
    }

    private String status(UUID id) {
        return api.get(member, EXPERIMENTS + "/" + id).body().path("status").asString();
    }

    private void setJob(UUID experiment, long seed, String status) {
        jdbc.sql("""
                UPDATE job SET status = :status,
                       lease_expires_at = CASE WHEN :status = 'leased' THEN now() + interval '1 minute' END,
                       fencing_token = CASE WHEN :status = 'leased' THEN nextval('fencing_token_seq') END
                WHERE experiment_id = :id AND seed = :seed""")
                .param("status", status).param("id", experiment).param("seed", seed).update();
    }
}
