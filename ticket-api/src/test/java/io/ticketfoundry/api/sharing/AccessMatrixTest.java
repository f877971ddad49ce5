package io.ticketfoundry.api.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.mask.MaskFiles;
import io.ticketfoundry.api.support.QueueTestBase;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every endpoint × every kind of caller: the owning team's admin, member and viewer, a member and
 * viewer of a team the experiment is shared with, a member of a foreign team, a worker token and no
 * token. Each answer is checked against the rule for that endpoint; then lists, lineage, plots and
 * comparisons are checked to show nothing of the owner's to the foreign team.
 */
class AccessMatrixTest extends QueueTestBase {

    /** The callers, in the columns of the expectations below. */
    private enum Who { OWNER_ADMIN, OWNER_MEMBER, OWNER_VIEWER, READER_MEMBER, READER_VIEWER, STRANGER, WORKER, ANONYMOUS }

    private static final int OK = 200;
    private static final Set<Integer> SUCCESS = Set.of(200, 201, 202, 204);

    /**
     * Expected statuses per caller, in {@link Who} order; {@code OK} stands for any success.
     * READ: anything inside an experiment others may read; WRITE: a change inside the owner's experiment.
     */
    private static final int[] READ = {OK, OK, OK, OK, OK, 404, 404, 401};
    private static final int[] WRITE = {OK, OK, 403, 403, 403, 404, 404, 401};
    private static final int[] OWN_TEAM_READ = {OK, OK, OK, 403, 403, 404, 404, 401}; // the sharing settings
    private static final int[] TRANSFER = {OK, OK, 403, OK, 403, 404, 404, 401};
    private static final int[] TEAM_ADMIN = {OK, 403, 403, 404, 404, 404, 403, 401};
    private static final int[] TEAM_MEMBERS = {OK, OK, OK, 404, 404, 404, 404, 401};
    private static final int[] TEAM_PRIVATE = {OK, OK, OK, 404, 404, 404, 404, 401}; // masks: the team's own
    private static final int[] ANY_PERSON = {OK, OK, OK, OK, OK, OK, 403, 401};
    private static final int[] WORKER_ONLY = {403, 403, 403, 403, 403, 403, OK, 401};

    private record Case(String method, String path, Object body, int[] expected) {
    }

    @Test
    void everyEndpointAnswersEveryCallerByTheRules() {
        AccessWorld w = new AccessWorld(fx, queue, jdbc);
        String e = "/api/v1/experiments/" + w.experiment;
        String t = "/api/v1/tickets/" + w.ticket;
        String team = "/api/v1/teams/" + w.owner.id();
        fx.call(w.owner.memberToken(), "PUT", e + "/aliases/best", Map.of("ticketId", w.ticket.toString()));
        fx.call(w.owner.memberToken(), "PUT", t + "/tags/paper", null);
        String mask = fx.tree(fx.postMultipart(w.owner.memberToken(), "/api/v1/masks", Map.of("model", "lenet-300-100"),
                Map.of("file", MaskFiles.asF32("lenet-300-100", 10, MaskFiles.randomMask("lenet-300-100", 10, 0.5, 42)))))
                .path("id").asString();

        List<Case> cases = List.of(
                new Case("GET", e, null, READ),
                new Case("GET", e + "/lineage", null, READ),
                new Case("GET", e + "/tickets", null, READ),
                new Case("GET", e + "/plots/metrics.png", null, READ),
                new Case("GET", e + "/plots/metrics.svg", null, READ),
                new Case("GET", "/api/v1/comparisons?experiments=" + w.experiment, null, READ),
                new Case("GET", "/api/v1/comparisons/plot.png?experiments=" + w.experiment, null, READ),
                new Case("GET", "/api/v1/comparisons/plot.svg?experiments=" + w.experiment, null, READ),
                new Case("GET", t, null, READ),
                new Case("GET", t + "/mask", null, READ),
                new Case("GET", t + "/rewind", null, READ),
                new Case("GET", t + "/weights", null, READ),
                new Case("GET", t + "/plots/reliability.png", null, READ),
                new Case("GET", t + "/plots/reliability.svg", null, READ),
                new Case("GET", "/api/v1/jobs/" + w.queuedJob, null, READ),
                new Case("GET", e + "/aliases", null, READ),
                new Case("GET", e + "/aliases/best", null, READ),
                new Case("GET", e + "/aliases/best/mask", null, READ),
                new Case("GET", e + "/tags", null, READ),
                new Case("GET", e + "/tags/paper", null, READ),
                new Case("GET", e + "/sharing", null, OWN_TEAM_READ),
                new Case("GET", e + "/export", null, READ),
                new Case("PUT", e + "/aliases/best", Map.of("ticketId", w.ticket.toString()), WRITE),
                new Case("PUT", t + "/tags/paper", null, WRITE),
                new Case("POST", t + "/evaluations", Map.of(), WRITE),
                new Case("POST", t + "/calibrations", Map.of(), WRITE),
                new Case("POST", e + "/evaluations", Map.of(), WRITE),
                new Case("POST", e + "/calibrations", Map.of(), WRITE),
                new Case("PUT", e + "/sharing/teams/" + w.reader.id(), null, WRITE),
                new Case("PUT", e + "/sharing", Map.of("visibility", "private"), WRITE),
                new Case("POST", t + "/transfers", Map.of("dataset", "fashion-mnist"), TRANSFER),
                new Case("GET", team + "/tokens", null, TEAM_ADMIN),
                new Case("GET", team + "/audit", null, TEAM_ADMIN),
                new Case("GET", team + "/members", null, TEAM_MEMBERS),
                new Case("GET", team + "/quota", null, TEAM_MEMBERS),
                new Case("GET", "/api/v1/masks/" + mask, null, TEAM_PRIVATE),
                new Case("GET", "/api/v1/masks/" + mask + "/file", null, TEAM_PRIVATE),
                new Case("GET", "/api/v1/experiments", null, ANY_PERSON),
                new Case("GET", "/api/v1/jobs", null, ANY_PERSON),
                new Case("GET", "/api/v1/masks", null, ANY_PERSON),
                new Case("GET", "/api/v1/me/tokens", null, ANY_PERSON),
                new Case("GET", "/api/v1/search/tickets?q=accuracy%20%3E%200", null, ANY_PERSON),
                new Case("GET", "/api/v1/search/experiments?q=model%20%3D%20lenet-300-100", null, ANY_PERSON),
                new Case("POST", "/api/v1/worker/leases", Map.of("workerId", "matrix"), WORKER_ONLY));

        Map<Who, String> tokens = new LinkedHashMap<>();
        tokens.put(Who.OWNER_ADMIN, w.ownerAdmin);
        tokens.put(Who.OWNER_MEMBER, w.owner.memberToken());
        tokens.put(Who.OWNER_VIEWER, w.owner.viewerToken());
        tokens.put(Who.READER_MEMBER, w.reader.memberToken());
        tokens.put(Who.READER_VIEWER, w.reader.viewerToken());
        tokens.put(Who.STRANGER, w.stranger.memberToken());
        tokens.put(Who.WORKER, w.worker);
        tokens.put(Who.ANONYMOUS, null);

        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Case c : cases) {
            for (Who who : Who.values()) {
                int expected = c.expected()[who.ordinal()];
                HttpResponse<String> response = fx.call(tokens.get(who), c.method(), c.path(), c.body());
                int status = response.statusCode();
                boolean good = expected == OK ? SUCCESS.contains(status) : status == expected;
                if (!good) {
                    wrong.add(c.method() + " " + c.path() + " as " + who + ": " + status + " (expected "
                            + (expected == OK ? "success" : expected) + ") " + abbreviate(response.body()));
                }
                checked++;
            }
        }
        assertThat(wrong).as("%d answers checked", checked).isEmpty();
    }

    @Test
    void onlyTheOwnersMembersDeleteAndEveryPersonMayImportIntoTheirTeam() {
        AccessWorld w = new AccessWorld(fx, queue, jdbc);
        String path = "/api/v1/experiments/" + w.experiment + "?cancel=true";
        Map<String, Integer> refused = new LinkedHashMap<>();
        refused.put(w.owner.viewerToken(), 403);
        refused.put(w.reader.memberToken(), 403);
        refused.put(w.reader.viewerToken(), 403);
        refused.put(w.stranger.memberToken(), 404);
        refused.put(w.worker, 404);
        refused.put(null, 401);
        List<String> wrong = new ArrayList<>();
        refused.forEach((token, expected) -> {
            int status = fx.call(token, "DELETE", path, null).statusCode();
            if (status != expected) {
                wrong.add("DELETE as " + (token == null ? "nobody" : token.substring(0, 8)) + ": " + status);
            }
        });
        assertThat(wrong).isEmpty();
        assertThat(fx.call(w.owner.memberToken(), "DELETE", path, null).statusCode()).isEqualTo(200);
        assertThat(fx.call(w.ownerAdmin, "DELETE", path, null).statusCode()).as("gone already").isEqualTo(404);

        // an import is checked for the caller's right to write into its own team before the archive is read
        byte[] notAnArchive = {1, 2, 3};
        assertThat(fx.postMultipart(w.owner.viewerToken(), "/api/v1/imports", Map.of(), Map.of("archive", notAnArchive))
                .statusCode()).isEqualTo(403);
        assertThat(fx.postMultipart(w.worker, "/api/v1/imports", Map.of(), Map.of("archive", notAnArchive))
                .statusCode()).isEqualTo(403);
        assertThat(fx.postMultipart(null, "/api/v1/imports", Map.of(), Map.of("archive", notAnArchive))
                .statusCode()).isEqualTo(401);
        assertThat(fx.postMultipart(w.stranger.memberToken(), "/api/v1/imports", Map.of(), Map.of("archive", notAnArchive))
                .statusCode()).as("a member reaches the archive check").isEqualTo(400);
    }

    @Test
    void nothingOfTheOwnersLeaksToAForeignTeam() {
        AccessWorld w = new AccessWorld(fx, queue, jdbc);
        String stranger = w.stranger.memberToken();
        String experiment = w.experiment.toString();
        assertThat(ids(fx.tree(fx.get(stranger, "/api/v1/experiments?size=200")).path("items"))).doesNotContain(experiment);
        assertThat(fx.tree(fx.get(stranger, "/api/v1/jobs?experimentId=" + experiment)).path("items")).isEmpty();
        assertThat(experimentsOf(fx.tree(fx.get(stranger, "/api/v1/jobs?size=200")).path("items")))
                .doesNotContain(experiment);
        // the reader sees the experiment's jobs when it asks for them, and not among its own teams' jobs
        assertThat(fx.tree(fx.get(w.reader.memberToken(), "/api/v1/jobs?experimentId=" + experiment)).path("items"))
                .isNotEmpty();
        assertThat(experimentsOf(fx.tree(fx.get(w.reader.memberToken(), "/api/v1/jobs?size=200")).path("items")))
                .doesNotContain(experiment);
        // a comparison naming a readable and an unreadable experiment fails whole, naming no data
        UUID mine = fx.experiment(w.stranger.id());
        HttpResponse<String> mixed = fx.get(stranger, "/api/v1/comparisons?experiments=" + mine + "," + experiment);
        assertThat(mixed.statusCode()).isEqualTo(404);
        assertThat(mixed.body()).doesNotContain("accuracy").doesNotContain(w.ticket.toString());
        // a foreign team's name and id do not leak through sharing errors or the team list
        assertThat(ids(fx.tree(fx.get(stranger, "/api/v1/teams")))).containsExactly(w.stranger.id().toString());
        assertThat(fx.tree(fx.get(stranger, "/api/v1/masks"))).isEmpty();
        // search finds the shared ticket for the reader, and nothing of the owner's for the stranger
        String query = "/api/v1/search/tickets?limit=200&q=experiment%20%3D%20" + experiment;
        assertThat(ids(fx.tree(fx.get(w.reader.memberToken(), query)).path("items"))).containsExactly(w.ticket.toString());
        assertThat(fx.tree(fx.get(stranger, query)).path("items")).isEmpty();
        assertThat(ids(fx.tree(fx.get(stranger, "/api/v1/search/experiments?limit=200&q=model%20%3D%20lenet-300-100"))
                .path("items"))).doesNotContain(experiment);
    }

    private static List<String> ids(JsonNode items) {
        List<String> out = new ArrayList<>();
        items.forEach(item -> out.add(item.path("id").asString()));
        return out;
    }

    private static List<String> experimentsOf(JsonNode jobs) {
        List<String> out = new ArrayList<>();
        jobs.forEach(job -> out.add(job.path("experimentId").asString()));
        return out;
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 160 ? body.substring(0, 160) + "…" : body;
    }
}
