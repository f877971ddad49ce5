package io.ticketfoundry.api.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ticketfoundry.api.artifact.ArtifactService.Deletion;
import io.ticketfoundry.api.job.WorkerService;
import io.ticketfoundry.api.mask.MaskFiles;
import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.support.QueueTestBase;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.team.TokenKind;
import io.ticketfoundry.api.web.ApiException;
import io.ticketfoundry.common.protocol.CompleteRequest;
import io.ticketfoundry.common.protocol.LayerDensity;
import io.ticketfoundry.common.protocol.Lease;
import io.ticketfoundry.common.protocol.MetricReport;
import io.ticketfoundry.common.protocol.TicketReport;
import io.ticketfoundry.common.spec.ExperimentSpec;
import io.ticketfoundry.common.spec.PruningSpec;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link ArtifactService#deleteIfUnreferenced}: what keeps an artifact, what removes it, and when its
 * bytes go; bytes stored but never recorded; the collector.
 */
class ArtifactDeletionTest extends QueueTestBase {

    @Autowired
    ArtifactService artifacts;
    @Autowired
    ArtifactStore store;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    WorkerService workers;
    @Autowired
    ArtifactCollector collector;

    final Random random = new Random();
    final ExecutorService threads = Executors.newFixedThreadPool(2);
    QueueFixtures.Team team;
    String pool;
    String worker;

    @BeforeEach
    void setUp() {
        team = fx.team();
        pool = QueueFixtures.uniquePool();
        worker = fx.workerToken(pool);
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    /** New bytes, stored the way every upload is; no row names them yet. */
    private ArtifactStore.StoredObject stored() {
        byte[] bytes = bytes(256);
        return artifacts.store(new ByteArrayInputStream(bytes), bytes.length, QueueFixtures.sha256(bytes));
    }

    /** New bytes, stored and recorded the way every upload is; nothing references them. */
    private String recorded() {
        ArtifactStore.StoredObject stored = stored();
        artifacts.record(stored, "application/octet-stream");
        return stored.sha256();
    }

    private boolean held(String sha) {
        return artifacts.find(sha).isPresent() && store.exists(ArtifactStore.keyOf(sha));
    }

    private boolean gone(String sha) {
        return artifacts.find(sha).isEmpty() && !store.exists(ArtifactStore.keyOf(sha));
    }

    private void sql(String statement, Map<String, ?> params) {
        var spec = jdbc.sql(statement);
        for (Map.Entry<String, ?> param : params.entrySet()) {
            spec = spec.param(param.getKey(), param.getValue());
        }
        spec.update();
    }

    /** Completes a level-0 job through the worker API; answers {ticketId, jobId}. */
    private UUID[] completedTicket(String mask, String rewind, String trained, Lease lease) {
        TicketReport report = new TicketReport(0, mask, rewind, trained, 1000, 800, 1010, 810,
                Map.of("fc1.weight", new LayerDensity(1000, 800)),
                List.of(new MetricReport("mnist", "test", "accuracy", 0.9, Map.of(), null)), Map.of("engine", "test"));
        HttpResponse<String> done = fx.post(worker, "/api/v1/worker/jobs/" + lease.jobId() + "/complete",
                new CompleteRequest(lease.fencingToken(), report));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        return new UUID[] {UUID.fromString(fx.tree(done).get("ticketId").asString()), lease.jobId()};
    }

    private Lease leaseNewJob() {
        UUID experiment = fx.experiment(team.id(), new ExperimentSpec(null, null, null, null,
                new PruningSpec(null, null, 0, null, null), null, null));
        queue.enqueueImpLevel(experiment, random.nextInt(1000), 0, null, pool);
        return fx.lease(worker);
    }

    @Test
    void theColumnsCheckedAreEveryForeignKeyToArtifactAndEveryOtherSha256ColumnIsAccountedFor() {
        Set<String> foreignKeys = new HashSet<>(jdbc.sql("""
                SELECT cl.relname || '.' || a.attname FROM pg_constraint c
                JOIN pg_class cl ON cl.oid = c.conrelid
                JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
                WHERE c.contype = 'f' AND c.confrelid = 'artifact'::regclass""").query(String.class).list());
        assertThat(foreignKeys).containsExactlyInAnyOrderElementsOf(ArtifactService.REFERENCING_COLUMNS);

        Set<String> hashColumns = new HashSet<>(jdbc.sql("""
                SELECT table_name || '.' || column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND column_name LIKE '%sha256'""").query(String.class).list());
        Set<String> expected = new HashSet<>(ArtifactService.REFERENCING_COLUMNS);
        // the artifact's own key, and the hash of a mask file as uploaded (not stored unless it is the normalised mask)
        expected.addAll(List.of("artifact.sha256", "uploaded_mask.uploaded_sha256"));
        assertThat(hashColumns).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void eachReferencingColumnOnItsOwnKeepsTheArtifact() {
        Lease lease = leaseNewJob();
        UUID[] ticketAndJob = completedTicket(fx.uploadRandom(worker, lease, random), fx.uploadRandom(worker, lease, random),
                fx.uploadRandom(worker, lease, random), lease);
        UUID ticket = ticketAndJob[0];
        UUID job = ticketAndJob[1];
        HttpResponse<String> mask = fx.postMultipart(team.memberToken(), "/api/v1/masks", Map.of("model", "lenet-300-100"),
                Map.of("file", MaskFiles.asF32("lenet-300-100", 10, MaskFiles.randomMask("lenet-300-100", 10, 0.3, 1)),
                        "weights", MaskFiles.weights("lenet-300-100", 10, 2)));
        assertThat(mask.statusCode()).as(mask.body()).isEqualTo(201);
        UUID maskId = UUID.fromString(fx.tree(mask).path("id").asString());

        record Reference(Consumer<String> refer, Consumer<String> release) {
        }
        Map<String, Reference> references = new LinkedHashMap<>();
        for (String column : List.of("mask_sha256", "rewind_sha256", "trained_sha256")) {
            String original = jdbc.sql("SELECT " + column + " FROM ticket WHERE id = :id").param("id", ticket).query(String.class).single();
            references.put("ticket." + column, new Reference(
                    sha -> sql("UPDATE ticket SET " + column + " = :sha WHERE id = :id", Map.of("sha", sha, "id", ticket)),
                    sha -> sql("UPDATE ticket SET " + column + " = :sha WHERE id = :id", Map.of("sha", original, "id", ticket))));
        }
        references.put("job_artifact.sha256", new Reference(
                sha -> sql("INSERT INTO job_artifact (job_id, sha256, role) VALUES (:job, :sha, 'input')", Map.of("job", job, "sha", sha)),
                sha -> sql("DELETE FROM job_artifact WHERE job_id = :job AND sha256 = :sha", Map.of("job", job, "sha", sha))));
        references.put("job_checkpoint.sha256", new Reference(
                sha -> sql("INSERT INTO job_checkpoint (job_id, sha256, epoch, step, fencing_token) VALUES (:job, :sha, 1, 10, 1)",
                        Map.of("job", job, "sha", sha)),
                sha -> sql("DELETE FROM job_checkpoint WHERE job_id = :job", Map.of("job", job))));
        references.put("dataset_file.sha256", new Reference(
                sha -> {
                    sql("""
                            INSERT INTO dataset (id, team_id, kind, name, description, num_classes, input_shape)
                            VALUES (:id, :team, 'upload', 'files', '{}'::jsonb, 2, '{1,2,2}')""",
                            Map.of("id", "upload-" + sha, "team", team.id()));
                    sql("""
                            INSERT INTO dataset_file (scope, dataset_id, role, sha256, size_bytes)
                            VALUES (:scope, :id, 'train', :sha, 256)""",
                            Map.of("scope", team.id().toString(), "id", "upload-" + sha, "sha", sha));
                },
                sha -> sql("DELETE FROM dataset WHERE id = :id", Map.of("id", "upload-" + sha))));
        for (String column : List.of("mask_sha256", "weights_sha256")) {
            String original = jdbc.sql("SELECT " + column + " FROM uploaded_mask WHERE id = :id").param("id", maskId)
                    .query(String.class).single();
            references.put("uploaded_mask." + column, new Reference(
                    sha -> sql("UPDATE uploaded_mask SET " + column + " = :sha WHERE id = :id", Map.of("sha", sha, "id", maskId)),
                    sha -> sql("UPDATE uploaded_mask SET " + column + " = :sha WHERE id = :id", Map.of("sha", original, "id", maskId))));
        }
        assertThat(references.keySet()).containsExactlyInAnyOrderElementsOf(ArtifactService.REFERENCING_COLUMNS);

        references.forEach((column, reference) -> {
            String sha = recorded();
            reference.refer().accept(sha);
            assertThat(artifacts.references(sha)).as(column).containsExactly(column);
            assertThat(artifacts.deleteIfUnreferenced(sha)).as(column).isEqualTo(Deletion.REFERENCED);
            assertThat(held(sha)).as(column).isTrue();
            reference.release().accept(sha);
            assertThat(artifacts.references(sha)).as(column).isEmpty();
            assertThat(artifacts.deleteIfUnreferenced(sha)).as(column).isEqualTo(Deletion.DELETED);
            assertThat(gone(sha)).as(column).isTrue();
        });
    }

    @Test
    void aTicketsFilesAreKeptAndStayDownloadable() {
        Lease lease = leaseNewJob();
        String mask = fx.uploadRandom(worker, lease, random);
        String rewind = fx.uploadRandom(worker, lease, random);
        String trained = fx.uploadRandom(worker, lease, random);
        UUID ticket = completedTicket(mask, rewind, trained, lease)[0];
        Map<String, Deletion> outcomes = artifacts.deleteIfUnreferenced(List.of(mask, rewind, trained));
        assertThat(outcomes).containsOnly(Map.entry(mask, Deletion.REFERENCED), Map.entry(rewind, Deletion.REFERENCED),
                Map.entry(trained, Deletion.REFERENCED));
        assertThat(artifacts.references(mask)).containsExactly("ticket.mask_sha256", "job_artifact.sha256");
        for (String file : List.of("mask", "rewind", "weights")) {
            assertThat(fx.getBytes(team.viewerToken(), "/api/v1/tickets/" + ticket + "/" + file).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anUnreferencedArtifactLosesRowAndBytesAndDeletingAgainIsHarmless() {
        String sha = recorded();
        String other = recorded();
        assertThat(artifacts.deleteIfUnreferenced(sha)).isEqualTo(Deletion.DELETED);
        assertThat(gone(sha)).isTrue();
        assertThat(held(other)).isTrue();
        assertThat(artifacts.deleteIfUnreferenced(sha)).isEqualTo(Deletion.ABSENT);
        assertThat(artifacts.deleteIfUnreferenced(QueueFixtures.sha256(bytes(8)))).isEqualTo(Deletion.ABSENT);
        assertThatThrownBy(() -> artifacts.deleteIfUnreferenced("not-a-hash")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bytesThatNoRowNamesAreRemoved() {
        byte[] bytes = bytes(100);
        ArtifactStore.StoredObject stray = store.put(new ByteArrayInputStream(bytes), QueueFixtures.sha256(bytes), 1024);
        assertThat(store.exists(stray.storageKey())).isTrue();
        assertThat(artifacts.deleteIfUnreferenced(stray.sha256())).isEqualTo(Deletion.ABSENT);
        assertThat(store.exists(stray.storageKey())).isFalse();
    }

    @Test
    void inACallersTransactionTheBytesGoOnlyWhenItCommits() {
        String sha = recorded();
        transaction.executeWithoutResult(status -> {
            assertThat(artifacts.deleteIfUnreferenced(sha)).isEqualTo(Deletion.DELETED);
            status.setRollbackOnly();
        });
        assertThat(held(sha)).as("rolled back: row and bytes stay").isTrue();

        transaction.executeWithoutResult(status -> {
            assertThat(artifacts.deleteIfUnreferenced(sha)).isEqualTo(Deletion.DELETED);
            assertThat(store.exists(ArtifactStore.keyOf(sha))).as("not before the commit").isTrue();
        });
        assertThat(gone(sha)).isTrue();
    }

    private void awaitALockWait() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (jdbc.sql("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock'""").query(Long.class).single() == 0) {
            assertThat(System.nanoTime()).as("a transaction waits for a row lock").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void aReferenceCommittedWhileTheDeletionWaitsKeepsTheArtifact() throws Exception {
        UUID job = leaseNewJob().jobId();
        String sha = recorded();
        CountDownLatch referenced = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        Future<?> referencing = threads.submit(() -> transaction.executeWithoutResult(status -> {
            sql("INSERT INTO job_artifact (job_id, sha256, role) VALUES (:job, :sha, 'input')", Map.of("job", job, "sha", sha));
            referenced.countDown();
            try {
                commit.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertThat(referenced.await(30, TimeUnit.SECONDS)).isTrue();
        Future<Deletion> deletion = threads.submit(() -> artifacts.deleteIfUnreferenced(sha));
        awaitALockWait();
        assertThat(deletion.isDone()).isFalse();
        commit.countDown();
        referencing.get(30, TimeUnit.SECONDS);
        assertThat(deletion.get(30, TimeUnit.SECONDS)).isEqualTo(Deletion.REFERENCED);
        assertThat(held(sha)).isTrue();
    }

    @Test
    void aReferenceAddedWhileTheDeletionIsUncommittedFailsOnItsForeignKey() throws Exception {
        UUID job = leaseNewJob().jobId();
        String sha = recorded();
        CountDownLatch deleted = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        Future<Deletion> deletion = threads.submit(() -> transaction.execute(status -> {
            Deletion outcome = artifacts.deleteIfUnreferenced(sha);
            deleted.countDown();
            try {
                commit.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return outcome;
        }));
        assertThat(deleted.await(30, TimeUnit.SECONDS)).isTrue();
        Future<?> referencing = threads.submit(() -> sql(
                "INSERT INTO job_artifact (job_id, sha256, role) VALUES (:job, :sha, 'input')", Map.of("job", job, "sha", sha)));
        awaitALockWait();
        commit.countDown();
        assertThat(deletion.get(30, TimeUnit.SECONDS)).isEqualTo(Deletion.DELETED);
        assertThatThrownBy(() -> referencing.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(DataIntegrityViolationException.class);
        assertThat(gone(sha)).isTrue();
    }

    @Test
    void recordingBytesThatWereDeletedMeanwhileFailsAndLeavesNoRow() {
        byte[] bytes = bytes(300);
        String sha = QueueFixtures.sha256(bytes);
        ArtifactStore.StoredObject stored = artifacts.store(new ByteArrayInputStream(bytes), bytes.length, sha);
        artifacts.record(stored, "application/octet-stream");
        // an upload of the same bytes that found them in the store just before they were deleted
        ArtifactStore.StoredObject late = artifacts.store(new ByteArrayInputStream(bytes), bytes.length, sha);
        assertThat(artifacts.deleteIfUnreferenced(sha)).isEqualTo(Deletion.DELETED);
        assertThatThrownBy(() -> artifacts.record(late, "application/octet-stream"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
        assertThat(artifacts.find(sha)).isEmpty();

        ArtifactStore.StoredObject again = artifacts.store(new ByteArrayInputStream(bytes), bytes.length, sha);
        artifacts.record(again, "application/octet-stream");
        assertThat(held(sha)).isTrue();
    }

    @Test
    void manyHashesAtOnceReportEachOutcome() {
        String free = recorded();
        Lease lease = leaseNewJob();
        String used = fx.uploadRandom(worker, lease, random);
        String unknown = QueueFixtures.sha256(bytes(3));
        List<String> order = new ArrayList<>(List.of(used, free, unknown));
        assertThat(artifacts.deleteIfUnreferenced(order)).containsExactly(Map.entry(used, Deletion.REFERENCED),
                Map.entry(free, Deletion.DELETED), Map.entry(unknown, Deletion.ABSENT));
        assertThat(held(used)).isTrue();
        assertThat(gone(free)).isTrue();
    }

    @Test
    void aReferenceRemovedWithItsJobReleasesTheArtifact() {
        ArtifactStore.StoredObject object = stored();
        UUID job = leaseNewJob().jobId();
        artifacts.recordOutput(job, object, "application/octet-stream");
        assertThat(artifacts.deleteIfUnreferenced(object.sha256())).isEqualTo(Deletion.REFERENCED);
        assertThat(held(object.sha256())).isTrue();

        jdbc.sql("DELETE FROM job WHERE id = :id").param("id", job).update();
        assertThat(artifacts.deleteIfUnreferenced(object.sha256())).isEqualTo(Deletion.DELETED);
        assertThat(gone(object.sha256())).isTrue();
    }

    @Test
    void aTransactionThatRecordedTheArtifactFinishesBeforeTheDeletionLooksAtReferences() throws Exception {
        UUID job = leaseNewJob().jobId();
        String sha = recorded();
        ArtifactStore.StoredObject again = artifacts.store(new ByteArrayInputStream(read(sha)), 256, sha);
        CountDownLatch recordedAgain = new CountDownLatch(1);
        CountDownLatch refer = new CountDownLatch(1);
        // an upload of bytes that already have a row: it records (nothing new) and then refers to them
        Future<?> upload = threads.submit(() -> transaction.executeWithoutResult(status -> {
            artifacts.record(again, "application/octet-stream");
            recordedAgain.countDown();
            try {
                refer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sql("INSERT INTO job_artifact (job_id, sha256, role) VALUES (:job, :sha, 'output')", Map.of("job", job, "sha", sha));
        }));
        assertThat(recordedAgain.await(30, TimeUnit.SECONDS)).isTrue();
        Future<Deletion> deletion = threads.submit(() -> artifacts.deleteIfUnreferenced(sha));
        awaitALockWait();
        assertThat(deletion.isDone()).as("the deletion waits for the hash's lock").isFalse();
        refer.countDown();
        upload.get(30, TimeUnit.SECONDS);
        assertThat(deletion.get(30, TimeUnit.SECONDS)).isEqualTo(Deletion.REFERENCED);
        assertThat(held(sha)).isTrue();
    }

    @Test
    void anUploadRacingTheDeletionNeverLeavesARowWithoutBytes() throws Exception {
        for (int round = 0; round < 10; round++) {
            String sha = recorded();
            ArtifactStore.StoredObject late = artifacts.store(new ByteArrayInputStream(read(sha)), 256, sha);
            CountDownLatch deleted = new CountDownLatch(1);
            CountDownLatch commit = new CountDownLatch(1);
            Future<Deletion> deletion = threads.submit(() -> transaction.execute(status -> {
                Deletion outcome = artifacts.deleteIfUnreferenced(sha);
                deleted.countDown();
                try {
                    commit.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return outcome;
            }));
            assertThat(deleted.await(30, TimeUnit.SECONDS)).isTrue();
            Future<Boolean> upload = threads.submit(() -> {
                try {
                    artifacts.record(late, "application/octet-stream");
                    return true;
                } catch (ApiException e) {
                    assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                    return false;
                }
            });
            awaitALockWait();
            commit.countDown();
            assertThat(deletion.get(30, TimeUnit.SECONDS)).isEqualTo(Deletion.DELETED);
            if (upload.get(30, TimeUnit.SECONDS)) {
                assertThat(held(sha)).as("recorded again: row and bytes").isTrue();
            } else {
                assertThat(gone(sha)).as("refused: neither row nor bytes").isTrue();
            }
        }
    }

    private byte[] read(String sha) throws java.io.IOException {
        try (InputStream in = store.read(ArtifactStore.keyOf(sha), 0, -1).orElseThrow()) {
            return in.readAllBytes();
        }
    }

    @Test
    void bytesStoredButNeverRecordedAreDiscardedAndRecordedOnesKept() {
        ArtifactStore.StoredObject unrecorded = stored();
        artifacts.discardIfUnrecorded(unrecorded);
        assertThat(store.exists(unrecorded.storageKey())).isFalse();
        assertThat(artifacts.find(unrecorded.sha256())).isEmpty();

        ArtifactStore.StoredObject recorded = stored();
        artifacts.record(recorded, "application/octet-stream");
        artifacts.discardIfUnrecorded(recorded);
        assertThat(held(recorded.sha256())).as("a row names them").isTrue();
        assertThat(artifacts.deleteIfUnreferenced(recorded.sha256())).isEqualTo(Deletion.DELETED);
    }

    @Test
    void recordingBytesDiscardedSinceTheyWereStoredFails() {
        ArtifactStore.StoredObject object = stored();
        artifacts.discardIfUnrecorded(object);
        assertThatThrownBy(() -> artifacts.record(object, "application/octet-stream"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
        assertThat(artifacts.find(object.sha256())).isEmpty();
    }

    @Test
    void anUploadWhoseLeaseEndsWhileTheBytesArriveKeepsNoBytes() {
        Lease lease = leaseNewJob();
        UUID tokenId = jdbc.sql("SELECT leased_by_token FROM job WHERE id = :id").param("id", lease.jobId())
                .query(UUID.class).single();
        Caller caller = Caller.machine(tokenId, TokenKind.WORKER, "worker", pool);
        byte[] bytes = bytes(128);
        // the lease changes hands once the last byte is read, before the upload is recorded
        InputStream content = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] buffer, int offset, int length) {
                int read = super.read(buffer, offset, length);
                if (read == -1) {
                    jdbc.sql("UPDATE job SET fencing_token = fencing_token + 1 WHERE id = :id")
                            .param("id", lease.jobId()).update();
                }
                return read;
            }
        };
        assertThatThrownBy(() -> workers.upload(lease.jobId(), QueueFixtures.sha256(bytes), lease.fencingToken(), caller,
                content, bytes.length, null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.CONFLICT));
        assertThat(store.exists(ArtifactStore.keyOf(QueueFixtures.sha256(bytes)))).isFalse();
        assertThat(artifacts.find(QueueFixtures.sha256(bytes))).isEmpty();
    }

    @Test
    void theCollectorTakesOldUnreferencedArtifactsOnly() {
        String old = recorded();
        String young = recorded();
        ArtifactStore.StoredObject named = stored();
        artifacts.recordOutput(leaseNewJob().jobId(), named, "application/octet-stream");
        jdbc.sql("UPDATE artifact SET created_at = now() - interval '2 hours' WHERE sha256 IN (:shas)")
                .param("shas", List.of(old, named.sha256())).update();

        assertThat(collector.collect()).isPositive();
        assertThat(gone(old)).isTrue();
        assertThat(held(young)).as("within the grace").isTrue();
        assertThat(held(named.sha256())).isTrue();
    }
}
