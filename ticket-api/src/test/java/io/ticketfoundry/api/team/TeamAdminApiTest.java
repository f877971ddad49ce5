package io.ticketfoundry.api.team;

import static io.ticketfoundry.api.support.ApiTestSupport.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.ApiClient;
import io.ticketfoundry.api.support.ApiClient.Response;
import io.ticketfoundry.api.support.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class TeamAdminApiTest {

    @LocalServerPort
    int port;

    private ApiClient api;
    private UUID team;
    private String teamAdmin;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        team = api.createTeam("admins");
        teamAdmin = api.teamToken(team, "admin");
    }

    @Test
    void onlyThePlatformAdminCreatesTeams() {
        String name = "team-" + UUID.randomUUID();
        Response created = api.post(ADMIN_TOKEN, "/api/v1/teams", "{\"name\":\"" + name + "\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().path("name").asString()).isEqualTo(name);
        assertThat(created.header("Location")).endsWith("/api/v1/teams/" + created.body().path("id").asString());

        assertThat(api.post(ADMIN_TOKEN, "/api/v1/teams", "{\"name\":\"" + name + "\"}").status()).isEqualTo(409);
        assertThat(api.post(ADMIN_TOKEN, "/api/v1/teams", "{\"name\":\"  \"}").errorFields()).containsExactly("name");
        assertThat(api.post(ADMIN_TOKEN, "/api/v1/teams", "{}").errorFields()).containsExactly("name");
        assertThat(api.post(ADMIN_TOKEN, "/api/v1/teams", "{\"name\":\"x\",\"colour\":\"red\"}").errorFields())
                .containsExactly("colour");

        Response asTeamAdmin = api.post(teamAdmin, "/api/v1/teams", "{\"name\":\"mine-" + UUID.randomUUID() + "\"}");
        assertThat(asTeamAdmin.status()).isEqualTo(403);
        assertThat(asTeamAdmin.contentType()).contains("application/problem+json");
        assertThat(api.post(api.workerToken("default"), "/api/v1/teams", "{\"name\":\"w-" + UUID.randomUUID() + "\"}").status())
                .isEqualTo(403);
        assertThat(api.post(null, "/api/v1/teams", "{\"name\":\"anon\"}").status()).isEqualTo(401);
    }

    @Test
    void thePlatformAdminSeesEveryTeamAndAUserTheirOwn() {
        UUID other = api.createTeam("others");
        assertThat(teamIds(api.get(ADMIN_TOKEN, "/api/v1/teams"))).contains(team.toString(), other.toString());
        assertThat(teamIds(api.get(teamAdmin, "/api/v1/teams"))).containsExactly(team.toString());
        assertThat(teamIds(api.get(api.teamToken(other, "viewer"), "/api/v1/teams"))).containsExactly(other.toString());
        assertThat(api.get(api.workerToken("default"), "/api/v1/teams").status()).isEqualTo(403);
    }

    private static List<String> teamIds(Response response) {
        assertThat(response.status()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        response.body().forEach(team -> out.add(team.path("id").asString()));
        return out;
    }

    @Test
    void aTeamAdminIssuesTokensForTheirOwnTeamOnly() {
        Response issued = api.post(teamAdmin, "/api/v1/teams/" + team + "/tokens", "{\"name\":\"bob\",\"role\":\"member\"}");
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
        JsonNode body = issued.body();
        String token = body.path("token").asString();
        assertThat(token).startsWith("tf_");
        assertThat(body.path("prefix").asString()).isEqualTo(token.substring(0, 10));
        assertThat(body.path("role").asString()).isEqualTo("member");
        assertThat(body.path("teamId").asString()).isEqualTo(team.toString());
        assertThat(body.path("name").asString()).isEqualTo("bob");

        Response me = api.get(token, "/api/v1/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body().path("kind").asString()).isEqualTo("user");
        assertThat(me.body().path("role").asString()).isEqualTo("member");
        assertThat(me.body().path("teamId").asString()).isEqualTo(team.toString());
        assertThat(me.body().path("teamName").asString()).startsWith("admins-");
        assertThat(me.body().path("tokenId").asString()).isEqualTo(body.path("id").asString());

        UUID other = api.createTeam("elsewhere");
        assertThat(api.post(teamAdmin, "/api/v1/teams/" + other + "/tokens", "{\"name\":\"x\",\"role\":\"admin\"}").status())
                .isEqualTo(404);
        assertThat(api.post(teamAdmin, "/api/v1/teams/" + UUID.randomUUID() + "/tokens", "{\"name\":\"x\",\"role\":\"admin\"}").status())
                .isEqualTo(404);
        assertThat(api.post(ADMIN_TOKEN, "/api/v1/teams/" + UUID.randomUUID() + "/tokens", "{\"name\":\"x\",\"role\":\"admin\"}").status())
                .isEqualTo(404);
        assertThat(api.post(token, "/api/v1/teams/" + team + "/tokens", "{\"name\":\"x\",\"role\":\"viewer\"}").status())
                .isEqualTo(403);
        assertThat(api.post(api.workerToken("default"), "/api/v1/teams/" + team + "/tokens", "{\"name\":\"x\",\"role\":\"viewer\"}").status())
                .isEqualTo(403);

        Response invalid = api.post(teamAdmin, "/api/v1/teams/" + team + "/tokens", "{\"name\":\"\",\"role\":\"owner\"}");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.errorFields()).containsExactly("name", "role");
        assertThat(api.post(teamAdmin, "/api/v1/teams/" + team + "/tokens", "{\"name\":\"x\"}").errorFields()).containsExactly("role");
    }

    @Test
    void listingShowsThePrefixNeverTheToken() {
        String member = api.teamToken(team, "member");
        Response listed = api.get(teamAdmin, "/api/v1/teams/" + team + "/tokens");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body().size()).isEqualTo(2);
        String raw = listed.raw().body();
        assertThat(raw).doesNotContain(member).doesNotContain(teamAdmin).doesNotContainIgnoringCase("hash")
                .doesNotContain("\"token\"");
        assertThat(raw).contains("\"prefix\":\"" + member.substring(0, 10) + "\"");
        listed.body().forEach(token -> {
            assertThat(token.path("kind").asString()).isEqualTo("user");
            assertThat(token.path("teamId").asString()).isEqualTo(team.toString());
            assertThat(token.has("revokedAt")).isFalse();
        });

        assertThat(api.get(ADMIN_TOKEN, "/api/v1/teams/" + team + "/tokens").status()).isEqualTo(200);
        assertThat(api.get(member, "/api/v1/teams/" + team + "/tokens").status()).isEqualTo(403);
        assertThat(api.get(api.teamToken(api.createTeam("nosy"), "admin"), "/api/v1/teams/" + team + "/tokens").status())
                .isEqualTo(404);
    }

    @Test
    void aRevokedTokenIs401() {
        String member = api.teamToken(team, "member");
        UUID memberId = tokenId(member);
        assertThat(api.get(member, "/api/v1/me").status()).isEqualTo(200);

        String foreignAdmin = api.teamToken(api.createTeam("foreign"), "admin");
        assertThat(api.delete(foreignAdmin, "/api/v1/tokens/" + memberId).status()).isEqualTo(404);
        String otherMember = api.teamToken(team, "member");
        assertThat(api.delete(otherMember, "/api/v1/tokens/" + memberId).status()).isEqualTo(403);
        assertThat(api.get(member, "/api/v1/me").status()).isEqualTo(200);

        assertThat(api.delete(teamAdmin, "/api/v1/tokens/" + memberId).status()).isEqualTo(204);
        Response revoked = api.get(member, "/api/v1/me");
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revoked.contentType()).contains("application/problem+json");
        assertThat(api.post(member, "/api/v1/experiments", "{\"name\":\"after revocation\"}").status()).isEqualTo(401);
        assertThat(api.delete(teamAdmin, "/api/v1/tokens/" + memberId).status()).isEqualTo(204);

        Response listed = api.get(teamAdmin, "/api/v1/teams/" + team + "/tokens");
        listed.body().forEach(token -> assertThat(token.has("revokedAt"))
                .isEqualTo(token.path("id").asString().equals(memberId.toString())));

        assertThat(api.delete(ADMIN_TOKEN, "/api/v1/tokens/" + tokenId(otherMember)).status()).isEqualTo(204);
        assertThat(api.get(otherMember, "/api/v1/me").status()).isEqualTo(401);
        assertThat(api.delete(teamAdmin, "/api/v1/tokens/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void theLastPlatformAdminTokenCannotBeRevoked() {
        UUID adminId = tokenId(ADMIN_TOKEN);
        assertThat(api.delete(teamAdmin, "/api/v1/tokens/" + adminId).status()).isEqualTo(404);
        assertThat(api.delete(ADMIN_TOKEN, "/api/v1/tokens/" + adminId).status()).isEqualTo(409);
        assertThat(api.get(ADMIN_TOKEN, "/api/v1/me").status()).isEqualTo(200);
    }

    @Test
    void onlyThePlatformAdminIssuesWorkerTokens() {
        Response issued = api.post(ADMIN_TOKEN, "/api/v1/worker-tokens", "{\"name\":\"gpu-1\"}");
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
        assertThat(issued.body().path("pool").asString()).isEqualTo("default");
        assertThat(issued.body().path("kind").asString()).isEqualTo("worker");
        assertThat(issued.body().has("teamId")).isFalse();
        String worker = issued.body().path("token").asString();

        Response me = api.get(worker, "/api/v1/me");
        assertThat(me.body().path("kind").asString()).isEqualTo("worker");
        assertThat(me.body().path("pool").asString()).isEqualTo("default");
        assertThat(me.body().has("teamId")).isFalse();

        Response gpuPool = api.post(ADMIN_TOKEN, "/api/v1/worker-tokens", "{\"name\":\"gpu-2\",\"pool\":\"gpu-a100\"}");
        assertThat(gpuPool.body().path("pool").asString()).isEqualTo("gpu-a100");
        assertThat(api.post(ADMIN_TOKEN, "/api/v1/worker-tokens", "{\"name\":\"x\",\"pool\":\"GPU pool\"}").errorFields())
                .containsExactly("pool");
        assertThat(api.post(ADMIN_TOKEN, "/api/v1/worker-tokens", "{\"pool\":\"gpu\"}").errorFields()).containsExactly("name");

        assertThat(api.post(teamAdmin, "/api/v1/worker-tokens", "{\"name\":\"sneaky\"}").status()).isEqualTo(403);
        assertThat(api.post(worker, "/api/v1/worker-tokens", "{\"name\":\"sneaky\"}").status()).isEqualTo(403);

        Response listed = api.get(ADMIN_TOKEN, "/api/v1/worker-tokens");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.raw().body()).doesNotContain(worker).contains(worker.substring(0, 10));
        assertThat(api.get(teamAdmin, "/api/v1/worker-tokens").status()).isEqualTo(403);
    }

    @Test
    void thePlatformAdminIsItself() {
        Response me = api.get(ADMIN_TOKEN, "/api/v1/me");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body().path("kind").asString()).isEqualTo("platform-admin");
        assertThat(me.body().has("teamId")).isFalse();
        assertThat(api.get(null, "/api/v1/me").status()).isEqualTo(401);
    }

    private UUID tokenId(String token) {
        return UUID.fromString(api.get(token, "/api/v1/me").body().path("tokenId").asString());
    }
}
