package io.ticketfoundry.api.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.experiment.SpecIdentity;
import io.ticketfoundry.api.job.JobQueue;
import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.common.protocol.CheckpointRequest;
import io.ticketfoundry.common.protocol.CompleteRequest;
import io.ticketfoundry.common.protocol.LayerDensity;
import io.ticketfoundry.common.protocol.Lease;
import io.ticketfoundry.common.protocol.MetricReport;
import io.ticketfoundry.common.protocol.TicketReport;
import io.ticketfoundry.common.spec.EvaluationSpec;
import io.ticketfoundry.common.spec.ExperimentSpec;
import io.ticketfoundry.common.spec.PruningSpec;
import io.ticketfoundry.common.spec.RewindSpec;
import io.ticketfoundry.common.spec.TrainingSpec;
import java.net.http.HttpResponse;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Experiments made the way workers make them, in a pool of their own: every file uploaded through the
 * worker protocol and remembered in {@link #made}, so a test can account for each one afterwards.
 */
final class Lab {

    final String pool = QueueFixtures.uniquePool();
    final String worker;
    final Set<String> made = new LinkedHashSet<>();

    private final QueueFixtures fx;
    private final JobQueue queue;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Random random = new Random(UUID.randomUUID().getMostSignificantBits());

    Lab(QueueFixtures fx, JobQueue queue, JdbcClient jdbc, JsonMapper json) {
        this.fx = fx;
        this.queue = queue;
        this.jdbc = jdbc;
        this.json = json;
        this.worker = fx.workerToken(pool);
    }

    static ExperimentSpec spec(int levels, double lr) {
        return new ExperimentSpec(1, "lenet-300-100", "mnist", new TrainingSpec("sgd", lr, 0.0, 0.0, 128, 1),
                new PruningSpec("global", 0.2, levels, Map.of(), List.of()), new RewindSpec(0, "iterations"),
                new EvaluationSpec(15), null, List.of());
    }

    /** An experiment stored as a submission stores it (real resolved spec and hash), level 0 queued in this pool. */
    UUID experiment(UUID team, String name, ExperimentSpec spec) {
        ExperimentSpec resolved = SpecIdentity.resolve(spec);
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO experiment (id, team_id, name, spec, resolved_spec, spec_hash, schema_version)
                VALUES (:id, :team, :name, CAST(:spec AS jsonb), CAST(:resolved AS jsonb), :hash, 1)""")
                .param("id", id).param("team", team).param("name", name)
                .param("spec", json.writeValueAsString(spec))
                .param("resolved", json.writeValueAsString(resolved))
                .param("hash", SpecIdentity.hash(resolved))
                .update();
        jdbc.sql("INSERT INTO replicate (experiment_id, seed) VALUES (:e, 0)").param("e", id).update();
        queue.enqueueImpLevel(id, 0, 0, null, pool);
        return id;
    }

    byte[] bytes(int size) {
        byte[] out = new byte[size];
        random.nextBytes(out);
        return out;
    }

    Lease lease() {
        return fx.lease(worker);
    }

    String upload(Lease lease, byte[] bytes) {
        HttpResponse<String> response = fx.upload(worker, lease.jobId(), lease.fencingToken(), bytes);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        String sha = QueueFixtures.sha256(bytes);
        made.add(sha);
        return sha;
    }

    String upload(Lease lease) {
        return upload(lease, bytes(96));
    }

    /** Uploads a checkpoint file and records it as the job's latest checkpoint. */
    String checkpoint(Lease lease) {
        String sha = upload(lease);
        HttpResponse<String> response = fx.post(worker, "/api/v1/worker/jobs/" + lease.jobId() + "/checkpoint",
                new CheckpointRequest(lease.fencingToken(), sha, 1, 10));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return sha;
    }

    /** Completes the lease with a ticket of these files and test-split metrics; answers the ticket. */
    UUID complete(Lease lease, String mask, String rewind, String trained, double accuracy) {
        TicketReport report = new TicketReport(lease.level(), mask, rewind, trained, 1000, 800 - lease.level(), 1010,
                810 - lease.level(), Map.of("fc1.weight", new LayerDensity(1000, 800 - lease.level())),
                List.of(new MetricReport("mnist", "test", "accuracy", accuracy, Map.of("split", "test"), null),
                        new MetricReport("mnist", "test", "ece", 0.05, Map.of("bins", 15),
                                Map.of("bins", List.of(Map.of("count", 3, "accuracy", 0.5))))),
                Map.of("engine", "test"));
        HttpResponse<String> done = fx.post(worker, "/api/v1/worker/jobs/" + lease.jobId() + "/complete",
                new CompleteRequest(lease.fencingToken(), report));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        return UUID.fromString(fx.tree(done).path("ticketId").asString());
    }

    /** Leases the next job and completes it with three new files. */
    UUID completeNext(double accuracy) {
        Lease lease = lease();
        return complete(lease, upload(lease), upload(lease), upload(lease), accuracy);
    }
}
