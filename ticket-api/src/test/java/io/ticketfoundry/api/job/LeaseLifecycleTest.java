package io.ticketfoundry.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.support.QueueTestBase;
import io.ticketfoundry.common.protocol.CompleteRequest;
import io.ticketfoundry.common.protocol.FailRequest;
import io.ticketfoundry.common.protocol.Heartbeat;
import io.ticketfoundry.common.protocol.HeartbeatResponse;
import io.ticketfoundry.common.protocol.Lease;
import io.ticketfoundry.common.protocol.LeaseRequest;
import io.ticketfoundry.common.protocol.Progress;
import io.ticketfoundry.common.protocol.TicketReport;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Leases expiring, retries with backoff, poison jobs, stale fencing tokens and cancels, against real PostgreSQL. */
class LeaseLifecycleTest extends QueueTestBase {

    String pool;
    QueueFixtures.Team team;
    UUID experiment;

    @BeforeEach
    void setUp() {
        pool = QueueFixtures.uniquePool();
        team = fx.team();
        experiment = fx.experiment(team.id());
    }

    private Lease lease(String token, String workerId) {
        HttpResponse<String> response = fx.post(token, "/api/v1/worker/leases", new LeaseRequest(workerId));
        if (response.statusCode() == 204) {
            return null;
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return fx.read(response, Lease.class);
    }

    private HttpResponse<String> heartbeat(String token, UUID job, long fencing, Progress progress) {
        return fx.post(token, "/api/v1/worker/jobs/" + job + "/heartbeat", new Heartbeat(fencing, progress));
    }

    private HttpResponse<String> fail(String token, UUID job, long fencing, boolean retryable, boolean cancelled) {
        return fx.post(token, "/api/v1/worker/jobs/" + job + "/fail", new FailRequest(fencing, "boom", retryable, cancelled));
    }

    private void expireLease(UUID job) {
        jdbc.sql("UPDATE job SET lease_expires_at = now() - interval '1 second' WHERE id = :id").param("id", job).update();
    }

    private void makeAvailable(UUID job) {
        jdbc.sql("UPDATE job SET available_at = now() WHERE id = :id").param("id", job).update();
    }

    private Map<String, Object> row(UUID job) {
        return jdbc.sql("""
                SELECT status, attempts, last_error, lease_owner, fencing_token,
                       extract(epoch FROM available_at - now()) AS available_in
                FROM job WHERE id = :id""").param("id", job).query().singleRow();
    }

    private double availableIn(UUID job) {
        return ((Number) row(job).get("available_in")).doubleValue();
    }

    @Test
    void anExpiredLeaseIsLeasedAgainWithTheAttemptCountedAndTheOldTokenIsRefused() {
        UUID job = queue.enqueueImpLevel(experiment, 7, 0, null, pool);
        String first = fx.workerToken(pool);
        String second = fx.workerToken(pool);

        Lease lease1 = lease(first, "w1");
        assertThat(lease1.jobId()).isEqualTo(job);
        assertThat(lease1.attempt()).isEqualTo(1);
        assertThat(lease1.seed()).isEqualTo(7);
        assertThat(lease1.level()).isZero();
        assertThat(lease1.kind()).isEqualTo("imp-level");
        assertThat(lease1.experimentId()).isEqualTo(experiment);
        assertThat(lease1.inputs()).isNull();
        assertThat(lease1.heartbeatIntervalSeconds()).isEqualTo(20);
        assertThat(lease(second, "w2")).as("nothing else is queued").isNull();

        expireLease(job);
        // the next lease attempt sweeps first: the job is queued again after the 5 s backoff
        assertThat(lease(second, "w2")).isNull();
        assertThat(row(job)).containsEntry("status", "queued").containsEntry("attempts", 1);
        assertThat((String) row(job).get("last_error")).contains("lease of w1 expired");
        assertThat(availableIn(job)).isBetween(3.5, 5.0);

        makeAvailable(job);
        Lease lease2 = lease(second, "w2");
        assertThat(lease2.jobId()).isEqualTo(job);
        assertThat(lease2.attempt()).isEqualTo(2);
        assertThat(lease2.fencingToken()).isGreaterThan(lease1.fencingToken());
        assertThat(row(job)).containsEntry("lease_owner", "w2");

        // the first worker lost its lease: every write with its token is refused
        long stale = lease1.fencingToken();
        assertThat(heartbeat(first, job, stale, null).statusCode()).isEqualTo(409);
        assertThat(fx.upload(first, job, stale, new byte[] {1, 2, 3}).statusCode()).isEqualTo(409);
        TicketReport report = new TicketReport(0, "a".repeat(64), "b".repeat(64), "c".repeat(64), 10, 10, 12, 12,
                Map.of(), List.of(), Map.of());
        HttpResponse<String> complete = fx.post(first, "/api/v1/worker/jobs/" + job + "/complete", new CompleteRequest(stale, report));
        assertThat(complete.statusCode()).isEqualTo(409);
        assertThat(complete.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
        assertThat(fail(first, job, stale, true, false).statusCode()).isEqualTo(409);
        // the second worker's own token works, and the first worker's token with the current number does not
        assertThat(heartbeat(first, job, lease2.fencingToken(), null).statusCode()).isEqualTo(409);
        assertThat(heartbeat(second, job, lease2.fencingToken(), null).statusCode()).isEqualTo(200);
        assertThat(row(job)).containsEntry("status", "leased").containsEntry("attempts", 2);
        // a worker of another pool does not even see the job
        assertThat(heartbeat(fx.workerToken(QueueFixtures.uniquePool()), job, lease2.fencingToken(), null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void theScheduledSweepRequeuesWithExponentialBackoff() {
        UUID job = queue.enqueueImpLevel(experiment, 1, 0, null, pool);
        String worker = fx.workerToken(pool);
        lease(worker, "w");
        expireLease(job);
        assertThat(queue.sweepExpired()).isGreaterThanOrEqualTo(1);
        assertThat(availableIn(job)).isBetween(3.5, 5.0);
        makeAvailable(job);
        assertThat(lease(worker, "w").attempt()).isEqualTo(2);
        expireLease(job);
        queue.sweepExpired();
        assertThat(availableIn(job)).as("5 s × 2^(2−1)").isBetween(8.5, 10.0);
    }

    @Test
    void aPoisonJobWhoseLeasesKeepExpiringEndsFailedAfterMaxAttempts() {
        UUID job = queue.enqueueImpLevel(experiment, 2, 0, null, pool);
        String worker = fx.workerToken(pool);
        for (int attempt = 1; attempt <= 3; attempt++) {
            makeAvailable(job);
            Lease lease = lease(worker, "w");
            assertThat(lease.jobId()).isEqualTo(job);
            assertThat(lease.attempt()).isEqualTo(attempt);
            expireLease(job);
            queue.sweepExpired();
        }
        assertThat(row(job)).containsEntry("status", "failed").containsEntry("attempts", 3);
        assertThat((String) row(job).get("last_error")).contains("attempts exhausted (3 of 3)");
        makeAvailable(job);
        assertThat(lease(worker, "w")).as("a terminal job is never leased again").isNull();
        JsonNode view = fx.tree(fx.get(team.viewerToken(), "/api/v1/jobs/" + job));
        assertThat(view.get("status").asString()).isEqualTo("failed");
        assertThat(view.get("attempts").asInt()).isEqualTo(3);
        assertThat(view.get("maxAttempts").asInt()).isEqualTo(3);
        assertThat(view.get("finishedAt").isNull()).isFalse();
    }

    @Test
    void aJobThatKeepsFailingRetryablyEndsFailedAfterMaxAttempts() {
        UUID job = queue.enqueueImpLevel(experiment, 3, 0, null, pool);
        String worker = fx.workerToken(pool);
        for (int attempt = 1; attempt <= 3; attempt++) {
            makeAvailable(job);
            Lease lease = lease(worker, "w");
            assertThat(lease.attempt()).isEqualTo(attempt);
            HttpResponse<String> failed = fail(worker, job, lease.fencingToken(), true, false);
            assertThat(failed.statusCode()).isEqualTo(200);
            assertThat(fx.tree(failed).get("status").asString()).isEqualTo(attempt < 3 ? "queued" : "failed");
            // a second report with the same token finds the lease over
            assertThat(fail(worker, job, lease.fencingToken(), true, false).statusCode()).isEqualTo(409);
        }
        assertThat(row(job)).containsEntry("status", "failed");
        assertThat((String) row(job).get("last_error")).isEqualTo("attempts exhausted (3 of 3): boom");
        makeAvailable(job);
        assertThat(lease(worker, "w")).isNull();
    }

    @Test
    void aFailureThatIsNotRetryableEndsTheJobAtOnce() {
        UUID job = queue.enqueueImpLevel(experiment, 4, 0, null, pool);
        String worker = fx.workerToken(pool);
        Lease lease = lease(worker, "w");
        assertThat(fail(worker, job, lease.fencingToken(), false, false).statusCode()).isEqualTo(200);
        assertThat(row(job)).containsEntry("status", "failed").containsEntry("attempts", 1).containsEntry("last_error", "boom");
    }

    @Test
    void heartbeatsExtendTheLeaseAndStoreProgress() {
        UUID job = queue.enqueueImpLevel(experiment, 5, 0, null, pool);
        String worker = fx.workerToken(pool);
        Lease lease = lease(worker, "w");
        jdbc.sql("UPDATE job SET lease_expires_at = now() + interval '2 seconds' WHERE id = :id").param("id", job).update();
        HttpResponse<String> response = heartbeat(worker, job, lease.fencingToken(), new Progress(0, 3, 40, 1200L, 0.42, "train"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        HeartbeatResponse answer = fx.read(response, HeartbeatResponse.class);
        assertThat(answer.cancelRequested()).isFalse();
        double expiresIn = jdbc.sql("SELECT extract(epoch FROM lease_expires_at - now()) FROM job WHERE id = :id")
                .param("id", job).query(Double.class).single();
        assertThat(expiresIn).isBetween(55.0, 60.0);
        JsonNode view = fx.tree(fx.get(team.memberToken(), "/api/v1/jobs/" + job));
        assertThat(view.get("status").asString()).isEqualTo("leased");
        assertThat(view.get("progress").get("epoch").asInt()).isEqualTo(3);
        assertThat(view.get("progress").get("phase").asString()).isEqualTo("train");
        assertThat(view.get("leaseOwner").asString()).isEqualTo("w");
    }

    @Test
    void onlyWorkerTokensUseTheWorkerApiAndOnlyTeamTokensReadJobs() {
        HttpResponse<String> asUser = fx.post(team.memberToken(), "/api/v1/worker/leases", new LeaseRequest("w"));
        assertThat(asUser.statusCode()).isEqualTo(403);
        assertThat(fx.post(null, "/api/v1/worker/leases", new LeaseRequest("w")).statusCode()).isEqualTo(401);
        assertThat(fx.get(fx.workerToken(pool), "/api/v1/jobs").statusCode()).isEqualTo(403);
        HttpResponse<String> noWorkerId = fx.post(fx.workerToken(pool), "/api/v1/worker/leases", new LeaseRequest(" "));
        assertThat(noWorkerId.statusCode()).isEqualTo(400);
        assertThat(fx.tree(noWorkerId).get("errors").get(0).get("field").asString()).isEqualTo("workerId");
    }

    @Test
    void cancellingAQueuedJobEndsItAtOnce() {
        UUID job = queue.enqueueImpLevel(experiment, 6, 0, null, pool);
        assertThat(fx.post(team.viewerToken(), "/api/v1/jobs/" + job + "/cancel", null).statusCode()).isEqualTo(403);
        assertThat(fx.post(fx.team().memberToken(), "/api/v1/jobs/" + job + "/cancel", null).statusCode()).isEqualTo(404);
        HttpResponse<String> cancelled = fx.post(team.memberToken(), "/api/v1/jobs/" + job + "/cancel", null);
        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(fx.tree(cancelled).get("status").asString()).isEqualTo("cancelled");
        assertThat(lease(fx.workerToken(pool), "w")).isNull();
        assertThat(fx.post(team.memberToken(), "/api/v1/jobs/" + job + "/cancel", null).statusCode()).isEqualTo(409);
    }

    @Test
    void cancellingALeasedJobReachesTheWorkerThroughItsHeartbeat() {
        UUID job = queue.enqueueImpLevel(experiment, 8, 0, null, pool);
        String worker = fx.workerToken(pool);
        Lease lease = lease(worker, "w");
        HttpResponse<String> requested = fx.post(team.memberToken(), "/api/v1/jobs/" + job + "/cancel", null);
        assertThat(requested.statusCode()).isEqualTo(200);
        assertThat(fx.tree(requested).get("status").asString()).isEqualTo("leased");
        assertThat(fx.tree(requested).get("cancelRequested").asBoolean()).isTrue();

        HeartbeatResponse answer = fx.read(heartbeat(worker, job, lease.fencingToken(), null), HeartbeatResponse.class);
        assertThat(answer.cancelRequested()).isTrue();
        HttpResponse<String> acknowledged = fail(worker, job, lease.fencingToken(), true, true);
        assertThat(acknowledged.statusCode()).isEqualTo(200);
        assertThat(row(job)).containsEntry("status", "cancelled");
        JsonNode view = fx.tree(fx.get(team.viewerToken(), "/api/v1/jobs/" + job));
        assertThat(view.get("status").asString()).isEqualTo("cancelled");
        assertThat(heartbeat(worker, job, lease.fencingToken(), null).statusCode()).isEqualTo(409);
    }

    @Test
    void listingIsTeamScopedFilteredAndPaged() {
        UUID other = fx.experiment(team.id());
        for (int seed = 0; seed < 3; seed++) {
            queue.enqueueImpLevel(experiment, seed, 0, null, pool);
        }
        UUID cancelled = queue.enqueueImpLevel(other, 0, 0, null, pool);
        fx.post(team.memberToken(), "/api/v1/jobs/" + cancelled + "/cancel", null);

        JsonNode all = fx.tree(fx.get(team.viewerToken(), "/api/v1/jobs?size=2"));
        assertThat(all.get("total").asLong()).isEqualTo(4);
        assertThat(all.get("items").size()).isEqualTo(2);
        assertThat(all.get("page").asInt()).isZero();
        assertThat(all.get("size").asInt()).isEqualTo(2);
        JsonNode second = fx.tree(fx.get(team.viewerToken(), "/api/v1/jobs?size=2&page=1"));
        assertThat(second.get("items").size()).isEqualTo(2);

        JsonNode ofExperiment = fx.tree(fx.get(team.viewerToken(), "/api/v1/jobs?experimentId=" + experiment));
        assertThat(ofExperiment.get("total").asLong()).isEqualTo(3);
        JsonNode ofStatus = fx.tree(fx.get(team.viewerToken(), "/api/v1/jobs?status=cancelled"));
        assertThat(ofStatus.get("total").asLong()).isEqualTo(1);
        assertThat(ofStatus.get("items").get(0).get("id").asString()).isEqualTo(cancelled.toString());

        JsonNode foreign = fx.tree(fx.get(fx.team().viewerToken(), "/api/v1/jobs"));
        assertThat(foreign.get("total").asLong()).isZero();
        assertThat(fx.get(fx.team().viewerToken(), "/api/v1/jobs/" + cancelled).statusCode()).isEqualTo(404);
        assertThat(fx.get(team.viewerToken(), "/api/v1/jobs?status=bogus").statusCode()).isEqualTo(400);
        assertThat(fx.get(team.viewerToken(), "/api/v1/jobs/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
    }
}
