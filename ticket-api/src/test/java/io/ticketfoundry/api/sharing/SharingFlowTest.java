package io.ticketfoundry.api.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.QueueTestBase;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Experiments are private to their team until shared; shares are read-only and revocable at once. */
class SharingFlowTest extends QueueTestBase {

    AccessWorld w;

    @BeforeEach
    void setUp() {
        w = new AccessWorld(fx, queue, jdbc);
    }

    private List<String> experimentIds(String token, String query) {
        List<String> ids = new ArrayList<>();
        fx.tree(fx.get(token, "/api/v1/experiments?size=200" + query)).path("items")
                .forEach(e -> ids.add(e.path("id").asString()));
        return ids;
    }

    @Test
    void aSharedExperimentIsReadableByTheOtherTeamAndNotWritable() {
        String e = w.experiment.toString();
        assertThat(fx.get(w.reader.viewerToken(), "/api/v1/experiments/" + e).statusCode()).isEqualTo(200);
        assertThat(fx.get(w.reader.memberToken(), "/api/v1/tickets/" + w.ticket).statusCode()).isEqualTo(200);
        assertThat(fx.get(w.reader.memberToken(), "/api/v1/tickets/" + w.ticket + "/mask").statusCode()).isEqualTo(200);
        assertThat(fx.get(w.reader.memberToken(), "/api/v1/experiments/" + e + "/lineage").statusCode()).isEqualTo(200);
        assertThat(fx.get(w.reader.memberToken(), "/api/v1/jobs/" + w.queuedJob).statusCode()).isEqualTo(200);
        assertThat(experimentIds(w.reader.memberToken(), "")).contains(e);
        assertThat(experimentIds(w.reader.memberToken(), "&scope=shared")).contains(e);
        assertThat(experimentIds(w.reader.memberToken(), "&scope=own")).doesNotContain(e);

        // read-only: no jobs, labels or sharing changes in the owner's experiment
        assertThat(fx.post(w.reader.memberToken(), "/api/v1/tickets/" + w.ticket + "/evaluations", Map.of())
                .statusCode()).isEqualTo(403);
        assertThat(fx.post(w.reader.memberToken(), "/api/v1/jobs/" + w.queuedJob + "/cancel", null).statusCode())
                .isEqualTo(403);
        assertThat(fx.call(w.reader.memberToken(), "PUT", "/api/v1/experiments/" + e + "/aliases/best",
                Map.of("ticketId", w.ticket.toString())).statusCode()).isEqualTo(403);
        assertThat(fx.get(w.reader.memberToken(), "/api/v1/experiments/" + e + "/sharing").statusCode()).isEqualTo(403);

        // the stranger sees nothing
        assertThat(fx.get(w.stranger.memberToken(), "/api/v1/experiments/" + e).statusCode()).isEqualTo(404);
        assertThat(fx.get(w.stranger.memberToken(), "/api/v1/tickets/" + w.ticket).statusCode()).isEqualTo(404);
        assertThat(experimentIds(w.stranger.memberToken(), "")).doesNotContain(e);
    }

    @Test
    void aTransferFromASharedTicketIsMadeInTheReadersTeamWithLineageToTheSource() {
        HttpResponse<String> made = fx.post(w.reader.memberToken(), "/api/v1/tickets/" + w.ticket + "/transfers",
                Map.of("dataset", "fashion-mnist"));
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        JsonNode transfer = fx.tree(made).path("experiment");
        assertThat(transfer.path("teamId").asString()).isEqualTo(w.reader.id().toString());
        assertThat(transfer.path("resolvedSpec").path("transfer").path("sourceTickets").get(0).asString())
                .isEqualTo(w.ticket.toString());
        assertThat(jdbc.sql("SELECT parent_ticket_id FROM job WHERE experiment_id = :e")
                .param("e", java.util.UUID.fromString(transfer.path("id").asString())).query(java.util.UUID.class)
                .single()).isEqualTo(w.ticket);
        assertThat(fx.post(w.reader.viewerToken(), "/api/v1/tickets/" + w.ticket + "/transfers",
                Map.of("dataset", "fashion-mnist")).statusCode()).isEqualTo(403);
        assertThat(fx.post(w.stranger.memberToken(), "/api/v1/tickets/" + w.ticket + "/transfers",
                Map.of("dataset", "fashion-mnist")).statusCode()).isEqualTo(404);
    }

    @Test
    void revokingAShareTakesEffectAtOnceAndPublicReachesEveryPerson() {
        String e = w.experiment.toString();
        JsonNode sharing = fx.tree(fx.get(w.owner.viewerToken(), "/api/v1/experiments/" + e + "/sharing"));
        assertThat(sharing.path("visibility").asString()).isEqualTo("private");
        assertThat(sharing.path("teams").get(0).path("teamId").asString()).isEqualTo(w.reader.id().toString());
        assertThat(fx.call(w.owner.viewerToken(), "DELETE", "/api/v1/experiments/" + e + "/sharing/teams/"
                + w.reader.id(), null).statusCode()).isEqualTo(403);

        HttpResponse<String> revoked = fx.call(w.owner.memberToken(), "DELETE", "/api/v1/experiments/" + e
                + "/sharing/teams/" + w.reader.id(), null);
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(fx.tree(revoked).path("teams").size()).isZero();
        assertThat(fx.get(w.reader.memberToken(), "/api/v1/experiments/" + e).statusCode()).isEqualTo(404);
        assertThat(fx.get(w.reader.memberToken(), "/api/v1/tickets/" + w.ticket + "/mask").statusCode()).isEqualTo(404);
        assertThat(experimentIds(w.reader.memberToken(), "")).doesNotContain(e);

        assertThat(fx.call(w.owner.memberToken(), "PUT", "/api/v1/experiments/" + e + "/sharing",
                Map.of("visibility", "public")).statusCode()).isEqualTo(200);
        assertThat(fx.get(w.stranger.viewerToken(), "/api/v1/experiments/" + e).statusCode()).isEqualTo(200);
        assertThat(fx.get(w.stranger.viewerToken(), "/api/v1/experiments/" + e + "/lineage").statusCode())
                .isEqualTo(200);
        assertThat(fx.get(w.worker, "/api/v1/experiments/" + e).statusCode()).isEqualTo(404);
        assertThat(fx.call(w.owner.memberToken(), "PUT", "/api/v1/experiments/" + e + "/sharing",
                Map.of("visibility", "everyone")).statusCode()).isEqualTo(400);
        assertThat(fx.call(w.owner.memberToken(), "PUT", "/api/v1/experiments/" + e + "/sharing",
                Map.of("visibility", "private")).statusCode()).isEqualTo(200);
        assertThat(fx.get(w.stranger.viewerToken(), "/api/v1/experiments/" + e).statusCode()).isEqualTo(404);

        List<String> actions = new ArrayList<>();
        fx.tree(fx.get(w.ownerAdmin, "/api/v1/teams/" + w.owner.id() + "/audit")).forEach(event -> actions.add(
                event.path("action").asString()));
        assertThat(actions).containsSubsequence("experiment.made-private", "experiment.made-public",
                "experiment.share-revoked", "experiment.shared");
    }

    @Test
    void sharingNamesAnExistingOtherTeam() {
        String path = "/api/v1/experiments/" + w.experiment + "/sharing/teams/";
        assertThat(fx.problemFields(fx.call(w.owner.memberToken(), "PUT", path + "no-such-team", null)))
                .containsExactly("team");
        assertThat(fx.problemFields(fx.call(w.owner.memberToken(), "PUT", path + w.owner.id(), null)))
                .containsExactly("team");
        assertThat(fx.call(w.stranger.memberToken(), "PUT", path + w.stranger.id(), null).statusCode()).isEqualTo(404);
    }
}
