package io.ticketfoundry.api.team;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.support.QueueTestBase;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** People in several teams, roles per team, tokens per person with expiry, revocation. */
class PeopleAndTokensTest extends QueueTestBase {

    private static final String TEAM = BearerTokenFilter.TEAM_HEADER;

    @Test
    void aPersonInTwoTeamsActsInEitherWithOneToken() {
        QueueFixtures.Team vision = fx.team();
        QueueFixtures.Team audio = fx.team();
        String visionAdmin = fx.adminToken(vision.id());
        String audioAdmin = fx.adminToken(audio.id());
        String alice = "alice-" + UUID.randomUUID();
        HttpResponse<String> joined = fx.call(visionAdmin, "PUT", "/api/v1/teams/" + vision.id() + "/members/" + alice,
                Map.of("role", "member"));
        assertThat(joined.statusCode()).as(joined.body()).isEqualTo(200);
        assertThat(fx.call(audioAdmin, "PUT", "/api/v1/teams/" + audio.id() + "/members/" + alice,
                Map.of("role", "viewer")).statusCode()).isEqualTo(200);
        // a token issued for an existing person reaches the issuing team only; alice's first token (made
        // with her as a new person) reaches every team she joins
        HttpResponse<String> scoped = fx.post(visionAdmin, "/api/v1/teams/" + vision.id() + "/tokens",
                Map.of("name", "alice laptop", "person", alice));
        assertThat(scoped.statusCode()).as(scoped.body()).isEqualTo(201);
        assertThat(fx.get(fx.tree(scoped).path("token").asString(), "/api/v1/me", TEAM, audio.id().toString())
                .statusCode()).isEqualTo(403);
        String carol = "carol-" + UUID.randomUUID();
        HttpResponse<String> issued = fx.post(visionAdmin, "/api/v1/teams/" + vision.id() + "/tokens",
                Map.of("name", carol, "role", "member"));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        String token = fx.tree(issued).path("token").asString();
        alice = fx.tree(issued).path("person").asString();
        assertThat(fx.call(audioAdmin, "PUT", "/api/v1/teams/" + audio.id() + "/members/" + alice,
                Map.of("role", "viewer")).statusCode()).isEqualTo(200);

        JsonNode me = fx.tree(fx.get(token, "/api/v1/me"));
        assertThat(me.path("person").asString()).isEqualTo(alice);
        assertThat(me.path("teamId").asString()).isEqualTo(vision.id().toString());
        assertThat(me.path("role").asString()).isEqualTo("member");
        assertThat(me.path("memberships")).hasSize(2);
        JsonNode inAudio = fx.tree(fx.get(token, "/api/v1/me", TEAM, audio.id().toString()));
        assertThat(inAudio.path("teamId").asString()).isEqualTo(audio.id().toString());
        assertThat(inAudio.path("role").asString()).isEqualTo("viewer");

        // a member in vision submits there; a viewer in audio may not
        Map<String, Object> submission = Map.of("name", "x", "spec", Map.of("pruning", Map.of("levels", 0)));
        assertThat(fx.post(token, "/api/v1/experiments", submission).statusCode()).isEqualTo(201);
        assertThat(fx.call(token, "POST", "/api/v1/experiments", submission, TEAM, audio.id().toString()).statusCode())
                .isEqualTo(403);
        // both teams' experiments are listed, whichever team the request acts in
        UUID audioExperiment = fx.experiment(audio.id());
        assertThat(fx.get(token, "/api/v1/experiments/" + audioExperiment).statusCode()).isEqualTo(200);

        HttpResponse<String> foreign = fx.get(token, "/api/v1/me", TEAM, fx.team().id().toString());
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(fx.tree(foreign).path("errors").get(0).path("field").asString()).isEqualTo(TEAM);

        // a role change and a removal take effect at once
        fx.call(audioAdmin, "PUT", "/api/v1/teams/" + audio.id() + "/members/" + alice, Map.of("role", "member"));
        assertThat(fx.tree(fx.get(token, "/api/v1/me", TEAM, audio.id().toString())).path("role").asString())
                .isEqualTo("member");
        assertThat(fx.call(audioAdmin, "DELETE", "/api/v1/teams/" + audio.id() + "/members/" + alice, null)
                .statusCode()).isEqualTo(204);
        assertThat(fx.get(token, "/api/v1/experiments/" + audioExperiment).statusCode()).isEqualTo(404);
        assertThat(fx.get(token, "/api/v1/me", TEAM, audio.id().toString()).statusCode()).isEqualTo(403);
    }

    @Test
    void aTeamAdminsTokenForSomeoneElseReachesOnlyThatTeam() {
        QueueFixtures.Team mine = fx.team();
        QueueFixtures.Team theirs = fx.team();
        String myAdmin = fx.adminToken(mine.id());
        // bob is an admin elsewhere; an admin of my team adds him here as a viewer and issues a token for him
        String bob = fx.tree(fx.get(fx.adminToken(theirs.id()), "/api/v1/me")).path("person").asString();
        HttpResponse<String> issued = fx.post(myAdmin, "/api/v1/teams/" + mine.id() + "/tokens",
                Map.of("name", "for bob", "person", bob, "role", "viewer"));
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        String token = fx.tree(issued).path("token").asString();
        UUID theirExperiment = fx.experiment(theirs.id());
        assertThat(fx.get(token, "/api/v1/experiments/" + theirExperiment).statusCode()).isEqualTo(404);
        assertThat(fx.get(token, "/api/v1/me", TEAM, theirs.id().toString()).statusCode()).isEqualTo(403);
        assertThat(fx.tree(fx.get(token, "/api/v1/me")).path("memberships")).hasSize(1);
        assertThat(fx.get(token, "/api/v1/teams/" + theirs.id() + "/tokens").statusCode()).isEqualTo(404);
        assertThat(fx.post(token, "/api/v1/me/tokens", Map.of("name", "escalate")).statusCode()).isEqualTo(403);
    }

    @Test
    void aTokenWhosePersonLeftItsTeamActsInNoTeam() {
        QueueFixtures.Team team = fx.team();
        String admin = fx.adminToken(team.id());
        String member = fx.tree(fx.get(team.memberToken(), "/api/v1/me")).path("personId").asString();
        assertThat(fx.call(admin, "DELETE", "/api/v1/teams/" + team.id() + "/members/" + member, null).statusCode())
                .isEqualTo(204);
        JsonNode me = fx.tree(fx.get(team.memberToken(), "/api/v1/me"));
        assertThat(me.path("teamId").isMissingNode() || me.path("teamId").isNull()).isTrue();
        assertThat(fx.post(team.memberToken(), "/api/v1/experiments", Map.of("name", "x",
                "spec", Map.of("pruning", Map.of("levels", 0)))).statusCode()).isEqualTo(403);
        assertThat(fx.get(team.memberToken(), "/api/v1/experiments/" + fx.experiment(team.id())).statusCode())
                .isEqualTo(404);
        assertThat(fx.tree(fx.get(team.memberToken(), "/api/v1/masks"))).isEmpty();
    }

    @Test
    void tokensArePerPersonListedByPrefixRevocableAndExpire() {
        QueueFixtures.Team team = fx.team();
        String admin = fx.adminToken(team.id());
        HttpResponse<String> own = fx.post(team.memberToken(), "/api/v1/me/tokens", Map.of("name", "ci runner",
                "expiresAt", Instant.now().plus(1, ChronoUnit.DAYS).toString()));
        assertThat(own.statusCode()).as(own.body()).isEqualTo(201);
        String second = fx.tree(own).path("token").asString();
        assertThat(fx.get(second, "/api/v1/me").statusCode()).isEqualTo(200);
        List<JsonNode> listed = new ArrayList<>();
        fx.tree(fx.get(team.memberToken(), "/api/v1/me/tokens")).forEach(listed::add);
        assertThat(listed).hasSize(2);
        assertThat(listed).allSatisfy(t -> {
            assertThat(t.has("token")).isFalse();
            assertThat(t.path("prefix").asString()).hasSize(10);
        });
        assertThat(listed.get(1).path("expiresAt").asString()).isNotEmpty();

        // the person revokes their own token; another member may not revoke it, an admin may revoke any of the team's
        String id = fx.tree(own).path("id").asString();
        assertThat(fx.call(team.viewerToken(), "DELETE", "/api/v1/tokens/" + id, null).statusCode()).isEqualTo(403);
        assertThat(fx.call(team.memberToken(), "DELETE", "/api/v1/tokens/" + id, null).statusCode()).isEqualTo(204);
        assertThat(fx.get(second, "/api/v1/me").statusCode()).isEqualTo(401);
        String viewerId = fx.tree(fx.get(team.viewerToken(), "/api/v1/me")).path("tokenId").asString();
        assertThat(fx.call(admin, "DELETE", "/api/v1/tokens/" + viewerId, null).statusCode()).isEqualTo(204);
        assertThat(fx.get(team.viewerToken(), "/api/v1/me").statusCode()).isEqualTo(401);

        // an expired token stops working
        HttpResponse<String> shortLived = fx.post(admin, "/api/v1/teams/" + team.id() + "/tokens",
                Map.of("name", "temp", "role", "viewer", "expiresAt", Instant.now().plusSeconds(2).toString()));
        String temp = fx.tree(shortLived).path("token").asString();
        assertThat(fx.get(temp, "/api/v1/me").statusCode()).isEqualTo(200);
        jdbc.sql("UPDATE api_token SET expires_at = now() - interval '1 second' WHERE id = :id")
                .param("id", UUID.fromString(fx.tree(shortLived).path("id").asString())).update();
        assertThat(fx.get(temp, "/api/v1/me").statusCode()).isEqualTo(401);

        assertThat(fx.problemFields(fx.post(team.memberToken(), "/api/v1/me/tokens",
                Map.of("name", "old", "expiresAt", "2001-01-01T00:00:00Z")))).containsExactly("expiresAt");
        assertThat(fx.problemFields(fx.post(team.memberToken(), "/api/v1/me/tokens",
                Map.of("name", "bad", "expiresAt", "tomorrow")))).containsExactly("expiresAt");
    }

    @Test
    void membershipIsManagedByTeamAdminsAndKeepsAnAdmin() {
        QueueFixtures.Team team = fx.team();
        String admin = fx.adminToken(team.id());
        String person = "bob-" + UUID.randomUUID();
        assertThat(fx.call(team.memberToken(), "PUT", "/api/v1/teams/" + team.id() + "/members/" + person,
                Map.of("role", "member")).statusCode()).isEqualTo(403);
        assertThat(fx.call(fx.team().memberToken(), "PUT", "/api/v1/teams/" + team.id() + "/members/" + person,
                Map.of("role", "member")).statusCode()).isEqualTo(404);
        assertThat(fx.problemFields(fx.call(admin, "PUT", "/api/v1/teams/" + team.id() + "/members/" + person,
                Map.of("role", "boss")))).containsExactly("role");
        List<String> names = new ArrayList<>();
        fx.tree(fx.get(team.viewerToken(), "/api/v1/teams/" + team.id() + "/members"))
                .forEach(m -> names.add(m.path("role").asString()));
        assertThat(names).containsExactlyInAnyOrder("admin", "member", "viewer");

        String adminPerson = fx.tree(fx.get(admin, "/api/v1/me")).path("personId").asString();
        assertThat(fx.call(admin, "PUT", "/api/v1/teams/" + team.id() + "/members/" + adminPerson,
                Map.of("role", "member")).statusCode()).isEqualTo(409);
        assertThat(fx.call(admin, "DELETE", "/api/v1/teams/" + team.id() + "/members/" + adminPerson, null)
                .statusCode()).isEqualTo(409);
        List<String> teams = new ArrayList<>();
        fx.tree(fx.get(admin, "/api/v1/teams")).forEach(t -> teams.add(t.path("id").asString()));
        assertThat(teams).containsExactly(team.id().toString());
    }
}
