package io.ticketfoundry.api.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.support.QueueTestBase;
import io.ticketfoundry.api.web.ApiException;
import io.ticketfoundry.api.job.WorkerService;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.team.TokenKind;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;

/** Artifacts are deleted, row and bytes, only when nothing names them. */
class ArtifactDeletionTest extends QueueTestBase {

    @Autowired
    ArtifactService artifacts;
    @Autowired
    ArtifactStore store;
    @Autowired
    WorkerService workers;
    @Autowired
    ArtifactCollector collector;

    private final Random random = new Random(11);

    private ArtifactStore.StoredObject stored() {
        byte[] bytes = new byte[256];
        random.nextBytes(bytes);
        return artifacts.store(new ByteArrayInputStream(bytes), bytes.length, QueueFixtures.sha256(bytes));
    }

    private boolean hasRow(String sha) {
        return artifacts.find(sha).isPresent();
    }

    @Test
    void anUnreferencedArtifactGoesWithItsBytes() {
        ArtifactStore.StoredObject object = stored();
        artifacts.record(object, "application/octet-stream");

        assertThat(artifacts.deleteIfUnreferenced(object.sha256())).isTrue();
        assertThat(hasRow(object.sha256())).isFalse();
        assertThat(store.exists(object.storageKey())).isFalse();
        assertThat(artifacts.deleteIfUnreferenced(object.sha256())).as("nothing left to delete").isFalse();
    }

    @Test
    void aReferencedArtifactStays() {
        ArtifactStore.StoredObject object = stored();
        UUID experiment = fx.experiment(fx.team().id());
        UUID job = queue.enqueueImpLevel(experiment, 0, 0, null, QueueFixtures.uniquePool());
        artifacts.recordOutput(job, object, "application/octet-stream");

        assertThat(artifacts.deleteIfUnreferenced(object.sha256())).isFalse();
        assertThat(hasRow(object.sha256())).isTrue();
        assertThat(store.exists(object.storageKey())).isTrue();

        jdbc.sql("DELETE FROM job WHERE id = :id").param("id", job).update();
        assertThat(artifacts.deleteIfUnreferenced(object.sha256())).isTrue();
        assertThat(store.exists(object.storageKey())).isFalse();
    }

    @Test
    void recordingBytesThatWereDeletedMeanwhileFailsUntilTheyAreStoredAgain() {
        ArtifactStore.StoredObject object = stored();
        store.delete(object.storageKey());
        assertThatThrownBy(() -> artifacts.record(object, "application/octet-stream"))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
    }

    @Test
    void bytesStoredButNeverRecordedAreDiscardedAndRecordedOnesKept() {
        ArtifactStore.StoredObject unrecorded = stored();
        artifacts.discardIfUnrecorded(unrecorded);
        assertThat(store.exists(unrecorded.storageKey())).isFalse();

        ArtifactStore.StoredObject recorded = stored();
        artifacts.record(recorded, "application/octet-stream");
        artifacts.discardIfUnrecorded(recorded);
        assertThat(store.exists(recorded.storageKey())).isTrue();
        assertThat(artifacts.deleteIfUnreferenced(recorded.sha256())).isTrue();
    }

    @Test
    void anUploadWhoseLeaseEndsWhileTheBytesArriveKeepsNoBytes() {
        String pool = QueueFixtures.uniquePool();
        String worker = fx.workerToken(pool);
        UUID experiment = fx.experiment(fx.team().id());
        queue.enqueueImpLevel(experiment, 0, 0, null, pool);
        io.ticketfoundry.common.protocol.Lease lease = fx.lease(worker);
        UUID tokenId = jdbc.sql("SELECT leased_by_token FROM job WHERE id = :id").param("id", lease.jobId())
                .query(UUID.class).single();
        Caller caller = Caller.machine(tokenId, TokenKind.WORKER, "worker", pool);
        byte[] bytes = new byte[128];
        random.nextBytes(bytes);
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
        assertThat(store.exists(FilesystemArtifactStore.keyOf(QueueFixtures.sha256(bytes)))).isFalse();
    }

    @Test
    void theCollectorTakesOldUnreferencedArtifactsOnly() {
        ArtifactStore.StoredObject old = stored();
        ArtifactStore.StoredObject young = stored();
        ArtifactStore.StoredObject named = stored();
        artifacts.record(old, "application/octet-stream");
        artifacts.record(young, "application/octet-stream");
        UUID job = queue.enqueueImpLevel(fx.experiment(fx.team().id()), 0, 0, null, QueueFixtures.uniquePool());
        artifacts.recordOutput(job, named, "application/octet-stream");
        jdbc.sql("UPDATE artifact SET created_at = now() - interval '2 hours' WHERE sha256 IN (:shas)")
                .param("shas", List.of(old.sha256(), named.sha256())).update();

        assertThat(collector.collect()).isPositive();
        assertThat(hasRow(old.sha256())).isFalse();
        assertThat(store.exists(old.storageKey())).isFalse();
        assertThat(hasRow(young.sha256())).as("within the grace").isTrue();
        assertThat(hasRow(named.sha256())).isTrue();
    }

    @Test
    void everyForeignKeyToAnArtifactIsAReferenceTheDeletionChecks() {
        List<ArtifactService.Reference> keys = jdbc.sql("""
                SELECT c.conrelid::regclass::text AS tbl, a.attname AS col
                FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
                WHERE c.contype = 'f' AND c.confrelid = 'artifact'::regclass""")
                .query((rs, n) -> new ArtifactService.Reference(rs.getString("tbl"), rs.getString("col")))
                .list();
        assertThat(keys).isNotEmpty();
        assertThat(ArtifactService.REFERENCES).containsAll(keys);
    }
}
