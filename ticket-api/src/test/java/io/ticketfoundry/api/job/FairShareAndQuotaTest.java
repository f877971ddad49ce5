package io.ticketfoundry.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.support.QueueTestBase;
import io.ticketfoundry.common.protocol.Lease;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** One team's sweep cannot starve another: fair share across teams, running and active-job quotas. */
class FairShareAndQuotaTest extends QueueTestBase {

    private String platformAdmin() {
        return tokens.issueMachine("admin", io.ticketfoundry.api.team.TokenKind.PLATFORM_ADMIN, null, null, null)
                .token();
    }

    private UUID teamOf(Lease lease) {
        return jdbc.sql("SELECT team_id FROM experiment WHERE id = :e").param("e", lease.experimentId())
                .query(UUID.class).single();
    }

    @Test
    void workersServeTheTeamWithFewerRunningJobsFirst() {
        String pool = QueueFixtures.uniquePool();
        String worker = fx.workerToken(pool);
        QueueFixtures.Team big = fx.team();
        QueueFixtures.Team small = fx.team();
        // the big team's sweep was queued first, six jobs; the small team's two jobs come later
        for (int i = 0; i < 6; i++) {
            queue.enqueueImpLevel(fx.experiment(big.id()), 0, 0, null, pool);
        }
        for (int i = 0; i < 2; i++) {
            queue.enqueueImpLevel(fx.experiment(small.id()), 0, 0, null, pool);
        }
        List<UUID> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            order.add(teamOf(fx.lease(worker)));
        }
        // running counts stay level: big, small, big, small (ties go to the oldest job)
        assertThat(order).containsExactly(big.id(), small.id(), big.id(), small.id());
    }

    @Test
    void aTeamAtItsRunningQuotaWaitsAndAWeightedTeamGetsMore() {
        String pool = QueueFixtures.uniquePool();
        String worker = fx.workerToken(pool);
        String root = platformAdmin();
        QueueFixtures.Team capped = fx.team();
        QueueFixtures.Team heavy = fx.team();
        HttpResponse<String> set = fx.call(root, "PUT", "/api/v1/teams/" + capped.id() + "/quota",
                Map.of("maxRunningJobs", 1));
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(fx.call(root, "PUT", "/api/v1/teams/" + heavy.id() + "/quota", Map.of("shareWeight", 3))
                .statusCode()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            queue.enqueueImpLevel(fx.experiment(capped.id()), 0, 0, null, pool);
        }
        for (int i = 0; i < 5; i++) {
            queue.enqueueImpLevel(fx.experiment(heavy.id()), 0, 0, null, pool);
        }
        List<UUID> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            order.add(teamOf(fx.lease(worker)));
        }
        // capped runs one job at most; heavy takes every other lease
        assertThat(order.stream().filter(capped.id()::equals).count()).isEqualTo(1);
        assertThat(order.stream().filter(heavy.id()::equals).count()).isEqualTo(4);

        assertThat(fx.call(capped.memberToken(), "PUT", "/api/v1/teams/" + capped.id() + "/quota",
                Map.of("maxRunningJobs", 5)).statusCode()).isEqualTo(403);
        assertThat(fx.problemFields(fx.call(root, "PUT", "/api/v1/teams/" + capped.id() + "/quota",
                Map.of("maxRunningJobs", 0, "shareWeight", 5000)))).containsExactlyInAnyOrder("maxRunningJobs",
                "shareWeight");
        assertThat(fx.tree(fx.get(capped.viewerToken(), "/api/v1/teams/" + capped.id() + "/quota"))
                .path("maxRunningJobs").asInt()).isEqualTo(1);
    }

    @Test
    void aSubmissionOverTheActiveJobQuotaIsRefusedAndQueuesNothing() {
        String root = platformAdmin();
        QueueFixtures.Team team = fx.team();
        fx.call(root, "PUT", "/api/v1/teams/" + team.id() + "/quota", Map.of("maxActiveJobs", 2));
        Map<String, Object> body = Map.of("name", "sweep", "spec", Map.of("pruning", Map.of("levels", 0)),
                "seeds", List.of(1, 2));
        assertThat(fx.post(team.memberToken(), "/api/v1/experiments", body).statusCode()).isEqualTo(201);
        long experiments = jdbc.sql("SELECT count(*) FROM experiment WHERE team_id = :t").param("t", team.id())
                .query(Long.class).single();
        HttpResponse<String> refused = fx.post(team.memberToken(), "/api/v1/experiments", Map.of("name", "more",
                "spec", Map.of("pruning", Map.of("levels", 0), "training", Map.of("epochs", 3)), "seeds", List.of(1)));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(jdbc.sql("SELECT count(*) FROM experiment WHERE team_id = :t").param("t", team.id())
                .query(Long.class).single()).isEqualTo(experiments);
        assertThat(jdbc.sql("SELECT count(*) FROM job j JOIN experiment e ON e.id = j.experiment_id WHERE e.team_id = :t")
                .param("t", team.id()).query(Long.class).single()).isEqualTo(2);
    }
}
