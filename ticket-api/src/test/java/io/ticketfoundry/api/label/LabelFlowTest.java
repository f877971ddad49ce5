package io.ticketfoundry.api.label;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.support.QueueTestBase;
import io.ticketfoundry.common.protocol.CompleteRequest;
import io.ticketfoundry.common.protocol.LayerDensity;
import io.ticketfoundry.common.protocol.Lease;
import io.ticketfoundry.common.protocol.TicketReport;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Aliases name one ticket per experiment and move with a history; tags mark any number; masks by alias. */
class LabelFlowTest extends QueueTestBase {

    QueueFixtures.Team team;
    UUID experiment;
    UUID first;
    UUID second;

    @BeforeEach
    void setUp() {
        String pool = QueueFixtures.uniquePool();
        String worker = fx.workerToken(pool);
        team = fx.team();
        experiment = fx.experiment(team.id());
        queue.enqueueImpLevel(experiment, 0, 0, null, pool);
        first = complete(worker, 0);
        second = complete(worker, 1);
    }

    private UUID complete(String worker, int level) {
        Lease lease = fx.lease(worker);
        Random random = new Random(level);
        TicketReport report = new TicketReport(level, fx.uploadRandom(worker, lease, random),
                fx.uploadRandom(worker, lease, random), fx.uploadRandom(worker, lease, random), 1000, 800, 1010, 810,
                Map.of("fc1.weight", new LayerDensity(1000, 800)), List.of(), Map.of());
        HttpResponse<String> done = fx.post(worker, "/api/v1/worker/jobs/" + lease.jobId() + "/complete",
                new CompleteRequest(lease.fencingToken(), report));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        return UUID.fromString(fx.tree(done).path("ticketId").asString());
    }

    @Test
    void anAliasMovesAndKeepsItsHistoryAndFetchesTheMask() {
        String path = "/api/v1/experiments/" + experiment + "/aliases/best-ece-80pct";
        HttpResponse<String> set = fx.call(team.memberToken(), "PUT", path, Map.of("ticketId", first.toString()));
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(fx.tree(set).path("ticketId").asString()).isEqualTo(first.toString());
        byte[] firstMask = fx.getBytes(team.viewerToken(), "/api/v1/tickets/" + first + "/mask").body();
        assertThat(fx.getBytes(team.viewerToken(), path + "/mask").body()).isEqualTo(firstMask);

        assertThat(fx.call(team.memberToken(), "PUT", path, Map.of("ticketId", second.toString())).statusCode())
                .isEqualTo(200);
        byte[] secondMask = fx.getBytes(team.viewerToken(), "/api/v1/tickets/" + second + "/mask").body();
        assertThat(fx.getBytes(team.viewerToken(), path + "/mask").body()).isEqualTo(secondMask);
        JsonNode ticket = fx.tree(fx.get(team.viewerToken(), "/api/v1/tickets/" + second));
        assertThat(ticket.path("aliases").get(0).asString()).isEqualTo("best-ece-80pct");

        assertThat(fx.call(team.memberToken(), "DELETE", path, null).statusCode()).isEqualTo(204);
        assertThat(fx.get(team.viewerToken(), path + "/mask").statusCode()).isEqualTo(404);
        JsonNode history = fx.tree(fx.get(team.viewerToken(), path));
        assertThat(history.path("current").isNull()).isTrue();
        List<String> actions = new ArrayList<>();
        history.path("history").forEach(h -> actions.add(h.path("action").asString() + ":"
                + h.path("ticketId").asString() + "<" + h.path("previousTicketId").asString()));
        assertThat(actions).containsExactly("set:" + first + "<", "moved:" + second + "<" + first,
                "removed:<" + second);
    }

    @Test
    void aliasesAreCheckedAndOnlyWritersSetThem() {
        String base = "/api/v1/experiments/" + experiment + "/aliases/";
        assertThat(fx.problemFields(fx.call(team.memberToken(), "PUT", base + "-bad", Map.of("ticketId",
                first.toString())))).containsExactly("alias");
        assertThat(fx.problemFields(fx.call(team.memberToken(), "PUT", base + "ok", Map.of()))).containsExactly("ticketId");
        UUID foreignTicket = UUID.randomUUID();
        assertThat(fx.problemFields(fx.call(team.memberToken(), "PUT", base + "ok",
                Map.of("ticketId", foreignTicket.toString())))).containsExactly("ticketId");
        assertThat(fx.call(team.viewerToken(), "PUT", base + "ok", Map.of("ticketId", first.toString())).statusCode())
                .isEqualTo(403);
        assertThat(fx.call(fx.team().memberToken(), "PUT", base + "ok", Map.of("ticketId", first.toString()))
                .statusCode()).isEqualTo(404);
        assertThat(fx.get(team.viewerToken(), base + "ok/nonsense").statusCode()).isEqualTo(404);
    }

    @Test
    void tagsMarkSeveralTicketsWithAHistory() {
        String tag = "paper-fig-3";
        assertThat(fx.call(team.memberToken(), "PUT", "/api/v1/tickets/" + first + "/tags/" + tag, null).statusCode())
                .isEqualTo(200);
        JsonNode both = fx.tree(fx.call(team.memberToken(), "PUT", "/api/v1/tickets/" + second + "/tags/" + tag, null));
        assertThat(both.path("ticketIds")).hasSize(2);
        assertThat(fx.tree(fx.get(team.viewerToken(), "/api/v1/experiments/" + experiment + "/tags")).path(tag))
                .hasSize(2);
        JsonNode after = fx.tree(fx.call(team.memberToken(), "DELETE", "/api/v1/tickets/" + first + "/tags/" + tag, null));
        assertThat(after.path("ticketIds").get(0).asString()).isEqualTo(second.toString());
        assertThat(after.path("history")).hasSize(3);
        assertThat(fx.call(team.viewerToken(), "PUT", "/api/v1/tickets/" + first + "/tags/x", null).statusCode())
                .isEqualTo(403);
    }
}
