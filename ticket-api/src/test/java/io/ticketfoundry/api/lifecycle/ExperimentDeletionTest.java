package io.ticketfoundry.api.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.artifact.ArtifactService;
import io.ticketfoundry.api.config.FoundryProperties;
import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.support.QueueTestBase;
import io.ticketfoundry.common.protocol.Heartbeat;
import io.ticketfoundry.common.protocol.Lease;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Deleting a transfer's source experiment leaves tombstones of the tickets the transfer descends from
 * and nothing else: no artifact row without a referrer, no stored object without a row, no row without
 * its object, no parent id that does not resolve. Deleting the transfer then takes the tombstones too.
 */
class ExperimentDeletionTest extends QueueTestBase {

    @Autowired
    FoundryProperties properties;

    Lab lab;
    QueueFixtures.Team owner;
    QueueFixtures.Team other;
    UUID source;
    UUID t0;
    UUID t1;
    UUID u0;
    String checkpoint;
    byte[] t1Mask;
    List<String> t1Weights;
    Lease running;

    @BeforeEach
    void setUp() {
        lab = new Lab(fx, queue, jdbc, json);
        owner = fx.team();
        other = fx.team();
        source = lab.experiment(owner.id(), "source", Lab.spec(1, 0.1));
        Lease level0 = lab.lease();
        checkpoint = lab.checkpoint(level0);
        t0 = lab.complete(level0, lab.upload(level0), lab.upload(level0), lab.upload(level0), 0.9);
        Lease level1 = lab.lease();
        t1Mask = lab.bytes(96);
        t1Weights = List.of(lab.upload(level1), lab.upload(level1));
        t1 = lab.complete(level1, lab.upload(level1, t1Mask), t1Weights.get(0), t1Weights.get(1), 0.91);
        // a second seed: its level 0 done, its level 1 running with an upload of its own
        jdbc.sql("INSERT INTO replicate (experiment_id, seed) VALUES (:e, 1)").param("e", source).update();
        queue.enqueueImpLevel(source, 1, 0, null, lab.pool);
        u0 = lab.completeNext(0.8);
        running = lab.lease();
        lab.upload(running);
        assertThat(fx.call(owner.memberToken(), "PUT", "/api/v1/experiments/" + source + "/aliases/best",
                Map.of("ticketId", t1.toString())).statusCode()).isEqualTo(200);
        assertThat(fx.call(owner.memberToken(), "PUT", "/api/v1/tickets/" + t0 + "/tags/paper", null).statusCode())
                .isEqualTo(200);
        assertThat(fx.call(owner.memberToken(), "PUT",
                "/api/v1/experiments/" + source + "/sharing/teams/" + other.id(), null).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> delete(String token, UUID experiment, boolean cancel) {
        return fx.call(token, "DELETE", "/api/v1/experiments/" + experiment + (cancel ? "?cancel=true" : ""), null);
    }

    /** The other team transfers t1; its worker retrains it keeping t1's mask (the same bytes). */
    private UUID transferT1() {
        HttpResponse<String> made = fx.post(other.memberToken(), "/api/v1/tickets/" + t1 + "/transfers",
                Map.of("dataset", "fashion-mnist"));
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return UUID.fromString(fx.tree(made).path("experiment").path("id").asString());
    }

    @Test
    void deletingATransfersSourceKeepsTombstonesAndOrphansNothing() {
        UUID target = transferT1();
        HttpResponse<String> blocked = delete(owner.memberToken(), source, true);
        assertThat(blocked.statusCode()).as(blocked.body()).isEqualTo(409);
        assertThat(blocked.body()).contains("of experiment " + target);

        Lease transfer = lab.lease();
        assertThat(transfer.kind()).isEqualTo("transfer");
        UUID tb = lab.complete(transfer, lab.upload(transfer, t1Mask), lab.upload(transfer), lab.upload(transfer), 0.7);

        assertThat(delete(other.memberToken(), source, true).statusCode()).as("a share is read-only").isEqualTo(403);
        assertThat(delete(owner.viewerToken(), source, true).statusCode()).isEqualTo(403);
        assertThat(delete(fx.team().memberToken(), source, true).statusCode()).isEqualTo(404);
        HttpResponse<String> stillRunning = delete(owner.memberToken(), source, false);
        assertThat(stillRunning.statusCode()).as(stillRunning.body()).isEqualTo(409);
        assertThat(stillRunning.body()).contains("cancel=true");

        HttpResponse<String> deleted = delete(owner.memberToken(), source, true);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        JsonNode body = fx.tree(deleted);
        assertThat(body.path("tombstone").asBoolean()).isTrue();
        assertThat(ids(body.path("tombstoneTickets"))).containsExactlyInAnyOrder(t0, t1);
        assertThat(body.path("deletedTickets").asInt()).isEqualTo(1);
        assertThat(body.path("endedJobs").asInt()).isEqualTo(1);
        assertThat(body.path("deletedArtifacts").asInt()).isPositive();

        // the tombstones: identity, metrics and provenance, no files, no labels
        JsonNode tombstone = fx.tree(fx.get(other.viewerToken(), "/api/v1/tickets/" + t1));
        assertThat(tombstone.path("tombstone").asBoolean()).isTrue();
        assertThat(tombstone.path("parentTicketId").asString()).isEqualTo(t0.toString());
        assertThat(tombstone.path("metrics")).hasSize(2);
        assertThat(tombstone.path("provenance").path("engine").asString()).isEqualTo("test");
        assertThat(tombstone.path("artifacts").isNull()).isTrue();
        assertThat(tombstone.path("aliases")).isEmpty();
        assertThat(tombstone.path("deletedExperiment").path("name").asString()).isEqualTo("source");
        assertThat(tombstone.path("deletedExperiment").path("resolvedSpec").path("model").asString())
                .isEqualTo("lenet-300-100");
        HttpResponse<String> file = fx.get(other.viewerToken(), "/api/v1/tickets/" + t1 + "/mask");
        assertThat(file.statusCode()).isEqualTo(410);
        assertThat(file.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(fx.get(owner.viewerToken(), "/api/v1/tickets/" + u0).statusCode()).isEqualTo(404);
        assertThat(fx.post(other.memberToken(), "/api/v1/tickets/" + t1 + "/transfers",
                Map.of("dataset", "mnist")).statusCode()).isEqualTo(410);

        // the experiment: gone from lists, a 410 with its tombstone for those who could read it
        HttpResponse<String> gone = fx.get(owner.viewerToken(), "/api/v1/experiments/" + source);
        assertThat(gone.statusCode()).isEqualTo(410);
        assertThat(fx.tree(gone).path("tombstone").path("name").asString()).isEqualTo("source");
        assertThat(ids(fx.tree(gone).path("tombstone").path("tickets"))).containsExactlyInAnyOrder(t0, t1);
        assertThat(fx.get(owner.viewerToken(), "/api/v1/experiments/" + source + "/tickets").statusCode()).isEqualTo(410);
        assertThat(fx.get(fx.team().memberToken(), "/api/v1/experiments/" + source).statusCode()).isEqualTo(404);
        assertThat(fx.get(owner.viewerToken(), "/api/v1/experiments?size=200").body()).doesNotContain(source.toString());
        assertThat(fx.get(owner.viewerToken(), "/api/v1/jobs?size=200").body()).doesNotContain(source.toString());
        // the worker of the ended job finds its lease gone
        assertThat(fx.post(lab.worker, "/api/v1/worker/jobs/" + running.jobId() + "/heartbeat",
                new Heartbeat(running.fencingToken(), null)).statusCode()).isEqualTo(404);

        // the transfer's lineage still resolves its source
        JsonNode lineage = fx.tree(fx.get(other.viewerToken(), "/api/v1/experiments/" + target + "/lineage"));
        assertThat(lineage.path("edges").get(0).path("from").asString()).isEqualTo(t1.toString());
        assertThat(fx.tree(fx.get(other.viewerToken(), "/api/v1/tickets/" + tb)).path("parentTicketId").asString())
                .isEqualTo(t1.toString());

        assertThat(jdbc.sql("SELECT count(*) FROM job_checkpoint c JOIN job j ON j.id = c.job_id WHERE j.experiment_id = :e")
                .param("e", source).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM ticket_tag WHERE ticket_id = :t").param("t", t0).query(Long.class).single())
                .isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'experiment.deleted' AND target_id = :e")
                .param("e", source.toString()).query(Long.class).single()).isEqualTo(1);
        String mask = QueueFixtures.sha256(t1Mask);
        assertThat(rows()).as("t1's mask stays: the transfer's ticket has the same bytes").contains(mask)
                .as("the tombstone's weights and the checkpoint go, though the transfer job read the weights")
                .doesNotContainAnyElementsOf(t1Weights).doesNotContain(checkpoint);
        assertNothingOrphaned();

        HttpResponse<String> second = delete(other.memberToken(), target, false);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(fx.tree(second).path("tombstone").asBoolean()).isFalse();
        assertThat(ids(fx.tree(second).path("trimmedExperiments"))).containsExactly(source);
        assertThat(jdbc.sql("SELECT count(*) FROM experiment WHERE id IN (:ids)").param("ids", List.of(source, target))
                .query(Long.class).single()).isZero();
        assertThat(fx.get(owner.viewerToken(), "/api/v1/tickets/" + t1).statusCode()).isEqualTo(404);
        assertNothingOrphaned();
        assertThat(rows()).as("no artifact row of either experiment").isEmpty();
        assertThat(objects()).as("no stored object of either experiment").isEmpty();
    }

    @Test
    void anExperimentNothingNamesGoesWholeAndItsSpecCanBeSubmittedAgain() {
        assertThat(delete(owner.memberToken(), source, true).statusCode()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT count(*) FROM experiment WHERE id = :e").param("e", source).query(Long.class).single())
                .isZero();
        assertThat(fx.get(owner.viewerToken(), "/api/v1/experiments/" + source).statusCode()).isEqualTo(404);
        assertNothingOrphaned();
        assertThat(rows()).isEmpty();
        assertThat(objects()).isEmpty();
    }

    @Test
    void aTombstonedSpecDoesNotBlockTheSameSpecAgain() {
        transferT1();
        Lease transfer = lab.lease();
        lab.complete(transfer, lab.upload(transfer), lab.upload(transfer), lab.upload(transfer), 0.7);
        assertThat(delete(owner.memberToken(), source, true).statusCode()).isEqualTo(200);
        String hash = jdbc.sql("SELECT spec_hash FROM experiment WHERE id = :e").param("e", source)
                .query(String.class).single();
        UUID again = lab.experiment(owner.id(), "source again", Lab.spec(1, 0.1));
        assertThat(jdbc.sql("SELECT spec_hash FROM experiment WHERE id = :e").param("e", again).query(String.class).single())
                .isEqualTo(hash);
        assertThat(delete(owner.memberToken(), again, false).statusCode()).isEqualTo(200);
    }

    @Test
    void twoDeletionsAtOnceEndWithOneDeletion() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<Integer>> answers = pool.invokeAll(List.of(
                    () -> delete(owner.memberToken(), source, true).statusCode(),
                    () -> delete(owner.memberToken(), source, true).statusCode()));
            List<Integer> statuses = new ArrayList<>();
            for (java.util.concurrent.Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            assertThat(statuses).containsExactlyInAnyOrder(200, 404);
        } finally {
            pool.shutdown();
        }
        assertNothingOrphaned();
        assertThat(rows()).isEmpty();
    }

    private static List<UUID> ids(JsonNode array) {
        List<UUID> out = new ArrayList<>();
        array.forEach(node -> out.add(UUID.fromString(node.asString())));
        return out;
    }

    /** The files this test made that still have an artifact row. */
    private Set<String> rows() {
        return Set.copyOf(jdbc.sql("SELECT sha256 FROM artifact WHERE sha256 IN (:made)").param("made", lab.made)
                .query(String.class).list());
    }

    /** The files this test made that are still in the artifact store. */
    private Set<String> objects() {
        Path root = properties.artifactRoot().toAbsolutePath().normalize();
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(path -> !path.startsWith(root.resolve("tmp")))
                    .map(path -> path.getFileName().toString()).filter(lab.made::contains)
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void assertNothingOrphaned() {
        Set<String> rows = rows();
        assertThat(objects()).as("every stored object has a row, every row its object").isEqualTo(rows);
        String referenced = ArtifactService.anyReference("a.sha256");
        assertThat(jdbc.sql("SELECT sha256 FROM artifact a WHERE sha256 IN (:made) AND NOT (" + referenced + ")")
                .param("made", lab.made).query(String.class).list()).as("artifact rows nothing names").isEmpty();
        assertThat(jdbc.sql("""
                SELECT count(*) FROM ticket t LEFT JOIN ticket p ON p.id = t.parent_ticket_id
                WHERE t.parent_ticket_id IS NOT NULL AND p.id IS NULL""").query(Long.class).single()).isZero();
        assertThat(jdbc.sql("""
                SELECT count(*) FROM job j LEFT JOIN ticket p ON p.id = j.parent_ticket_id
                WHERE j.parent_ticket_id IS NOT NULL AND p.id IS NULL""").query(Long.class).single()).isZero();
        assertThat(jdbc.sql("""
                SELECT count(*) FROM ticket t LEFT JOIN job j ON j.id = t.job_id WHERE j.id IS NULL""")
                .query(Long.class).single()).isZero();
    }
}
