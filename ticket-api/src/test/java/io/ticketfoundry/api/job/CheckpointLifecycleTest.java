package io.ticketfoundry.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.support.QueueTestBase;
import io.ticketfoundry.common.protocol.CheckpointRequest;
import io.ticketfoundry.common.protocol.JobCheckpoint;
import io.ticketfoundry.common.protocol.Lease;
import io.ticketfoundry.common.protocol.LeaseRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Epoch checkpoints: recorded under the lease, kept per job, handed to the job's next lease. */
class CheckpointLifecycleTest extends QueueTestBase {

    String pool;
    QueueFixtures.Team team;
    UUID experiment;

    @BeforeEach
    void setUp() {
        pool = QueueFixtures.uniquePool();
        team = fx.team();
        experiment = fx.experiment(team.id());
    }

    private Lease lease(String token) {
        HttpResponse<String> response = fx.post(token, "/api/v1/worker/leases", new LeaseRequest("w"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return fx.read(response, Lease.class);
    }

    private HttpResponse<String> checkpoint(String token, UUID job, long fencing, String sha, int epoch, long step) {
        return fx.post(token, "/api/v1/worker/jobs/" + job + "/checkpoint", new CheckpointRequest(fencing, sha, epoch, step));
    }

    @Test
    void theNextLeaseOfAJobCarriesItsLatestCheckpointAndAStaleLeaseCannotRecordOne() {
        UUID job = queue.enqueueImpLevel(experiment, 3, 0, null, pool);
        String first = fx.workerToken(pool);
        String second = fx.workerToken(pool);
        Lease lease1 = lease(first);
        assertThat(lease1.checkpoint()).isNull();

        byte[] epoch2 = {2, 2, 2};
        byte[] epoch4 = {4, 4, 4, 4};
        assertThat(fx.upload(first, job, lease1.fencingToken(), epoch2).statusCode()).isEqualTo(201);
        assertThat(fx.upload(first, job, lease1.fencingToken(), epoch4).statusCode()).isEqualTo(201);
        String sha2 = QueueFixtures.sha256(epoch2);
        String sha4 = QueueFixtures.sha256(epoch4);

        // only artifacts this job uploaded, sensible counters, the current token
        assertThat(checkpoint(first, job, lease1.fencingToken(), "f".repeat(64), 1, 10).statusCode()).isEqualTo(400);
        assertThat(checkpoint(first, job, lease1.fencingToken(), sha2, 0, 10).statusCode()).isEqualTo(400);
        assertThat(checkpoint(first, job, lease1.fencingToken() + 1000, sha2, 2, 20).statusCode()).isEqualTo(409);

        HttpResponse<String> recorded = checkpoint(first, job, lease1.fencingToken(), sha4, 4, 40);
        assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(200);
        assertThat(fx.read(recorded, JobCheckpoint.class).epoch()).isEqualTo(4);
        // an older one never replaces a newer one
        JobCheckpoint latest = fx.read(checkpoint(first, job, lease1.fencingToken(), sha2, 2, 20), JobCheckpoint.class);
        assertThat(latest.sha256()).isEqualTo(sha4);
        assertThat(latest.step()).isEqualTo(40);

        JsonNode view = fx.tree(fx.get(team.viewerToken(), "/api/v1/jobs/" + job));
        assertThat(view.path("checkpoint").path("epoch").asInt()).isEqualTo(4);
        assertThat(view.path("checkpoint").path("sha256").asString()).isEqualTo(sha4);

        // the worker dies: its lease expires, the job is leased again and resumes from epoch 4
        jdbc.sql("UPDATE job SET lease_expires_at = now() - interval '1 second' WHERE id = :id").param("id", job).update();
        queue.sweepExpired();
        jdbc.sql("UPDATE job SET available_at = now() WHERE id = :id").param("id", job).update();
        Lease lease2 = lease(second);
        assertThat(lease2.jobId()).isEqualTo(job);
        assertThat(lease2.attempt()).isEqualTo(2);
        assertThat(lease2.checkpoint()).isNotNull();
        assertThat(lease2.checkpoint().sha256()).isEqualTo(sha4);
        assertThat(lease2.checkpoint().epoch()).isEqualTo(4);
        assertThat(lease2.checkpoint().step()).isEqualTo(40);
        // the new lease may download it; the old one may not record anything any more
        assertThat(fx.getBytes(second, "/api/v1/worker/jobs/" + job + "/artifacts/" + sha4,
                "X-Fencing-Token", Long.toString(lease2.fencingToken())).body()).isEqualTo(epoch4);
        assertThat(checkpoint(first, job, lease1.fencingToken(), sha4, 5, 50).statusCode()).isEqualTo(409);
    }
}
