package io.ticketfoundry.api.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.support.QueueTestBase;
import io.ticketfoundry.common.protocol.CompleteRequest;
import io.ticketfoundry.common.protocol.LayerDensity;
import io.ticketfoundry.common.protocol.Lease;
import io.ticketfoundry.common.protocol.LeaseRequest;
import io.ticketfoundry.common.protocol.TicketReport;
import io.ticketfoundry.common.spec.EvaluationSpec;
import io.ticketfoundry.common.spec.ExperimentSpec;
import io.ticketfoundry.common.spec.PruningSpec;
import io.ticketfoundry.common.spec.RewindSpec;
import io.ticketfoundry.common.spec.TrainingSpec;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Control jobs: queued after IMP levels >= 1, leased with their control, recorded as tickets of their kind. */
class ControlFlowTest extends QueueTestBase {

    String pool;
    String worker;
    QueueFixtures.Team team;
    final Random random = new Random(1);

    @BeforeEach
    void setUp() {
        pool = QueueFixtures.uniquePool();
        worker = fx.workerToken(pool);
        team = fx.team();
    }

    private Lease lease() {
        return fx.lease(worker);
    }

    private String upload(Lease lease) {
        return fx.uploadRandom(worker, lease, random);
    }

    /** Completes a leased job with fresh files (the rewind point inherited above level 0), remaining as given. */
    private JsonNode complete(Lease lease, long remaining) {
        String mask = upload(lease);
        String trained = upload(lease);
        String rewind = lease.level() == 0 ? upload(lease) : lease.inputs().rewindSha256();
        TicketReport report = new TicketReport(lease.level(), mask, rewind, trained, 1000, remaining, 1010, remaining + 10,
                Map.of("fc1.weight", new LayerDensity(1000, remaining)), List.of(), Map.of());
        HttpResponse<String> done = fx.post(worker, "/api/v1/worker/jobs/" + lease.jobId() + "/complete",
                new CompleteRequest(lease.fencingToken(), report));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        return fx.tree(done);
    }

    @Test
    void controlsFollowEveryPrunedLevelAndRecordTicketsWithControlLineage() {
        ExperimentSpec spec = new ExperimentSpec(1, "lenet-300-100", "mnist", new TrainingSpec("sgd", 0.1, 0.0, 0.0, 128, 1),
                new PruningSpec("global", 0.2, 1, Map.of(), List.of()), new RewindSpec(0, "iterations"), new EvaluationSpec(15),
                null, List.of("reinit", "global-permuted"));
        UUID experiment = fx.experiment(team.id(), spec);
        queue.enqueueImpLevel(experiment, 0, 0, null, pool);

        Lease zero = lease();
        complete(zero, 1000);
        assertThat(jdbc.sql("SELECT count(*) FROM job WHERE experiment_id = :e AND kind = 'control'")
                .param("e", experiment).query(Long.class).single()).as("no controls of the dense level").isZero();

        Lease one = lease();
        assertThat(one.level()).isEqualTo(1);
        JsonNode done = complete(one, 800);
        UUID impTicket = UUID.fromString(done.get("ticketId").stringValue());
        assertThat(done.get("nextJobId").isNull()).isTrue();

        List<String> controls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Lease control = lease();
            assertThat(control.kind()).isEqualTo("control");
            assertThat(control.level()).isEqualTo(1);
            assertThat(control.inputs().parentTicketId()).isEqualTo(impTicket);
            controls.add(control.control());
            JsonNode controlDone = complete(control, 800);
            assertThat(controlDone.get("nextJobId").isNull()).isTrue();
        }
        assertThat(controls).containsExactlyInAnyOrder("reinit", "global-permuted");

        JsonNode tickets = fx.tree(fx.get(team.memberToken(), "/api/v1/experiments/" + experiment + "/tickets"));
        List<String> kinds = new ArrayList<>();
        tickets.get("items").forEach(t -> kinds.add(t.get("level").intValue() + ":" + t.get("kind").stringValue()));
        assertThat(kinds).containsExactly("0:imp", "1:imp", "1:control-global-permuted", "1:control-reinit");

        JsonNode lineage = fx.tree(fx.get(team.memberToken(), "/api/v1/experiments/" + experiment + "/lineage"));
        List<String> edges = new ArrayList<>();
        lineage.get("edges").forEach(e -> edges.add(e.get("kind").stringValue()
                + (e.get("from").stringValue().equals(impTicket.toString()) ? " from the IMP ticket" : "")));
        assertThat(edges).containsExactlyInAnyOrder("prune", "control from the IMP ticket", "control from the IMP ticket");
        assertThat(lease(worker)).isFalse();
    }

    @Test
    void aTargetSparsityStopsWhenAReportedTicketReachesIt() {
        ExperimentSpec spec = new ExperimentSpec(1, "lenet-300-100", "mnist", null,
                new PruningSpec(null, null, null, null, null, 0.5, null, null), null, null, null, null);
        UUID experiment = fx.experiment(team.id(), spec);
        queue.enqueueImpLevel(experiment, 0, 0, null, pool);
        assertThat(complete(lease(), 1000).get("nextJobId").isNull()).isFalse();
        assertThat(complete(lease(), 800).get("nextJobId").isNull()).isFalse();
        assertThat(complete(lease(), 640).get("nextJobId").isNull()).isFalse();
        assertThat(complete(lease(), 500).get("nextJobId").isNull()).as("floor(0.5 x 1000) reached").isTrue();
    }

    private boolean lease(String token) {
        HttpResponse<String> response = fx.post(token, "/api/v1/worker/leases", new LeaseRequest("w"));
        return response.statusCode() == 200;
    }
}
