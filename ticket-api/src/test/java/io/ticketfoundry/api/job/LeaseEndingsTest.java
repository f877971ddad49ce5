package io.ticketfoundry.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.support.QueueTestBase;
import io.ticketfoundry.common.protocol.FailRequest;
import io.ticketfoundry.common.protocol.Heartbeat;
import io.ticketfoundry.common.protocol.Lease;
import io.ticketfoundry.common.protocol.LeaseRequest;
import io.ticketfoundry.common.protocol.ReleaseRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How a lease ends besides completion: after expiry, after a cancel request, given back, and retried. */
class LeaseEndingsTest extends QueueTestBase {

    String pool;
    String worker;
    QueueFixtures.Team team;
    UUID experiment;

    @BeforeEach
    void setUp() {
        pool = QueueFixtures.uniquePool();
        worker = fx.workerToken(pool);
        team = fx.team();
        experiment = fx.experiment(team.id());
    }

    private Lease lease() {
        HttpResponse<String> response = fx.post(worker, "/api/v1/worker/leases", new LeaseRequest("w"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return fx.read(response, Lease.class);
    }

    private Map<String, Object> row(UUID job) {
        return jdbc.sql("SELECT status, attempts, last_error, available_at <= now() AS available FROM job WHERE id = :id")
                .param("id", job).query().singleRow();
    }

    @Test
    void anExpiredLeaseCannotBeExtendedOrFinishedEvenBeforeTheSweep() {
        UUID job = queue.enqueueImpLevel(experiment, 1, 0, null, pool);
        Lease lease = lease();
        jdbc.sql("UPDATE job SET lease_expires_at = now() - interval '1 second' WHERE id = :id").param("id", job).update();

        HttpResponse<String> heartbeat = fx.post(worker, "/api/v1/worker/jobs/" + job + "/heartbeat",
                new Heartbeat(lease.fencingToken(), null));
        assertThat(heartbeat.statusCode()).isEqualTo(409);
        assertThat(heartbeat.body()).contains("expired");
        assertThat(fx.post(worker, "/api/v1/worker/jobs/" + job + "/fail",
                new FailRequest(lease.fencingToken(), "late", true, false)).statusCode()).isEqualTo(409);
        assertThat(row(job)).containsEntry("status", "leased");
    }

    @Test
    void aRetryableFailureAfterACancelRequestEndsCancelledInsteadOfQueued() {
        UUID job = queue.enqueueImpLevel(experiment, 2, 0, null, pool);
        Lease lease = lease();
        assertThat(fx.post(team.memberToken(), "/api/v1/jobs/" + job + "/cancel", null).statusCode()).isEqualTo(200);

        HttpResponse<String> fail = fx.post(worker, "/api/v1/worker/jobs/" + job + "/fail",
                new FailRequest(lease.fencingToken(), "network down", true, false));
        assertThat(fail.statusCode()).isEqualTo(200);
        assertThat(row(job)).containsEntry("status", "cancelled");
    }

    @Test
    void aReleasedLeaseIsQueuedAtOnceWithoutCountingTheAttempt() {
        UUID job = queue.enqueueImpLevel(experiment, 3, 0, null, pool);
        Lease lease = lease();
        assertThat(lease.attempt()).isEqualTo(1);

        HttpResponse<String> release = fx.post(worker, "/api/v1/worker/jobs/" + job + "/release",
                new ReleaseRequest(lease.fencingToken(), "worker shutting down"));
        assertThat(release.statusCode()).as(release.body()).isEqualTo(200);
        assertThat(row(job)).containsEntry("status", "queued").containsEntry("attempts", 0).containsEntry("available", true);
        assertThat((String) row(job).get("last_error")).contains("released by w: worker shutting down");

        assertThat(fx.post(worker, "/api/v1/worker/jobs/" + job + "/release",
                new ReleaseRequest(lease.fencingToken(), "again")).statusCode()).as("the old token is stale").isEqualTo(409);
        Lease again = lease();
        assertThat(again.jobId()).isEqualTo(job);
        assertThat(again.attempt()).isEqualTo(1);
    }

    @Test
    void aFailedLevelCanBeRetriedOnceAsANewJobAndOnlyByAWriter() {
        UUID job = queue.enqueueImpLevel(experiment, 4, 0, null, pool);
        Lease lease = lease();
        fx.post(worker, "/api/v1/worker/jobs/" + job + "/fail", new FailRequest(lease.fencingToken(), "bad data", false, false));
        assertThat(row(job)).containsEntry("status", "failed");

        assertThat(fx.post(team.viewerToken(), "/api/v1/jobs/" + job + "/retry", null).statusCode()).isEqualTo(403);
        HttpResponse<String> retry = fx.post(team.memberToken(), "/api/v1/jobs/" + job + "/retry", null);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        UUID retried = UUID.fromString(fx.tree(retry).path("id").asString());
        assertThat(retried).isNotEqualTo(job);
        assertThat(fx.tree(retry).path("status").asString()).isEqualTo("queued");
        assertThat(fx.tree(retry).path("level").asInt()).isZero();
        assertThat(fx.tree(retry).path("seed").asLong()).isEqualTo(4);

        assertThat(fx.post(team.memberToken(), "/api/v1/jobs/" + job + "/retry", null).statusCode())
                .as("the level already has a queued job").isEqualTo(409);
        assertThat(fx.post(team.memberToken(), "/api/v1/jobs/" + retried + "/retry", null).statusCode())
                .as("only failed or cancelled jobs").isEqualTo(409);
        QueueFixtures.Team other = fx.team();
        assertThat(fx.post(other.memberToken(), "/api/v1/jobs/" + job + "/retry", null).statusCode()).isEqualTo(404);
    }
}
