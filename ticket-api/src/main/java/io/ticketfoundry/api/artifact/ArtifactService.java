package io.ticketfoundry.api.artifact;

import io.ticketfoundry.api.config.FoundryProperties;
import io.ticketfoundry.api.web.ApiException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** Artifact metadata in PostgreSQL, bytes in the {@link ArtifactStore}, and downloads with ETag and Range. */
@Service
public class ArtifactService {

    /** One {@code artifact} row. */
    public record ArtifactInfo(String sha256, long size, String mediaType, String storageKey, Instant createdAt) {
    }

    /** A column that names an artifact by its SHA-256. */
    public record Reference(String table, String column) {
    }

    /** Every column that names an artifact; an artifact named by none of them may be deleted. */
    public static final List<Reference> REFERENCES = List.of(
            new Reference("ticket", "mask_sha256"),
            new Reference("ticket", "rewind_sha256"),
            new Reference("ticket", "trained_sha256"),
            new Reference("job_artifact", "sha256"),
            new Reference("job_checkpoint", "sha256"),
            new Reference("dataset_file", "sha256"),
            new Reference("uploaded_mask", "mask_sha256"),
            new Reference("uploaded_mask", "weights_sha256"));

    private static final String REFERENCED = REFERENCES.stream()
            .map(r -> "EXISTS (SELECT 1 FROM " + r.table() + " WHERE " + r.column() + " = :sha)")
            .collect(Collectors.joining(" OR ", "SELECT ", ""));

    private final JdbcClient jdbc;
    private final ArtifactStore store;
    private final FoundryProperties properties;
    private final TransactionTemplate ownTransaction;

    public ArtifactService(JdbcClient jdbc, ArtifactStore store, FoundryProperties properties,
            PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.store = store;
        this.properties = properties;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Streams {@code content} into the store (see {@link ArtifactStore#put}), checking a declared
     * {@code contentLength} against the upload limit before reading anything.
     */
    public ArtifactStore.StoredObject store(InputStream content, long contentLength, String expectedSha256) {
        long max = properties.artifacts().maxUploadSize().toBytes();
        if (contentLength > max) {
            throw FilesystemArtifactStore.tooLarge(max);
        }
        return store.put(content, expectedSha256, max);
    }

    /**
     * Records the stored object's metadata, once per hash. Joins the caller's transaction. Fails
     * with a 503 when the bytes were deleted after they were stored (see {@link #deleteIfUnreferenced}):
     * storing them again puts them back.
     */
    public void record(ArtifactStore.StoredObject stored, String mediaType) {
        lockHash(stored.sha256());
        jdbc.sql("""
                INSERT INTO artifact (sha256, size_bytes, media_type, storage_key)
                VALUES (:sha, :size, :media, :key) ON CONFLICT (sha256) DO NOTHING""")
                .param("sha", stored.sha256())
                .param("size", stored.size())
                .param("media", mediaType)
                .param("key", stored.storageKey())
                .update();
        if (!store.exists(stored.storageKey())) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Artifact deleted meanwhile",
                    "artifact " + stored.sha256() + " was deleted while it was being stored; send it again");
        }
    }

    /** Records the stored object's metadata (once per hash) and that {@code jobId} produced it. Joins the caller's transaction. */
    public void recordOutput(UUID jobId, ArtifactStore.StoredObject stored, String mediaType) {
        record(stored, mediaType);
        jdbc.sql("""
                INSERT INTO job_artifact (job_id, sha256, role) VALUES (:job, :sha, 'output')
                ON CONFLICT DO NOTHING""")
                .param("job", jobId)
                .param("sha", stored.sha256())
                .update();
    }

    /**
     * Deletes the artifact (row and bytes) when no column of {@link #REFERENCES} names it; answers
     * whether it did. Runs in a transaction of its own that locks the row, so nothing can start
     * referring to it meanwhile (a foreign key check waits for the lock and then finds it gone).
     * The bytes go just before the commit rather than after it: a concurrent upload of the same
     * bytes that finds the object still there, records the row once this commit is through and
     * then sees the bytes vanish would otherwise leave a row without bytes. {@link #record} checks
     * the bytes under the same hash lock, so such an upload fails instead and its worker retries.
     */
    public boolean deleteIfUnreferenced(String sha256) {
        Boolean deleted = ownTransaction.execute(status -> {
            lockHash(sha256);
            Optional<String> key = jdbc.sql("SELECT storage_key FROM artifact WHERE sha256 = :sha FOR UPDATE")
                    .param("sha", sha256).query(String.class).optional();
            if (key.isEmpty() || jdbc.sql(REFERENCED).param("sha", sha256).query(Boolean.class).single()) {
                return false;
            }
            jdbc.sql("DELETE FROM artifact WHERE sha256 = :sha").param("sha", sha256).update();
            store.delete(key.get());
            return true;
        });
        return Boolean.TRUE.equals(deleted);
    }

    /**
     * Removes bytes that were stored but then not recorded (an upload whose lease ended meanwhile, an
     * import that failed), unless a row names them by now. Under the hash's lock, so a concurrent
     * upload of the same bytes either recorded its row first or finds them gone when it records
     * ({@link #record}) and is refused.
     */
    public void discardIfUnrecorded(ArtifactStore.StoredObject stored) {
        ownTransaction.executeWithoutResult(status -> {
            lockHash(stored.sha256());
            if (find(stored.sha256()).isEmpty()) {
                store.delete(stored.storageKey());
            }
        });
    }

    /** Serialises recording and deleting one hash until the end of the current transaction. */
    private void lockHash(String sha256) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended('artifact:' || :sha, 0))")
                .param("sha", sha256).query(Object.class).list();
    }

    /** The largest artifact the store accepts, in bytes. */
    public long maxUploadSize() {
        return properties.artifacts().maxUploadSize().toBytes();
    }

    public Optional<ArtifactInfo> find(String sha256) {
        return jdbc.sql("SELECT sha256, size_bytes, media_type, storage_key, created_at FROM artifact WHERE sha256 = :sha")
                .param("sha", sha256)
                .query((rs, n) -> new ArtifactInfo(rs.getString("sha256"), rs.getLong("size_bytes"),
                        rs.getString("media_type"), rs.getString("storage_key"),
                        rs.getTimestamp("created_at").toInstant()))
                .optional();
    }

    /**
     * The artifact as a download: {@code application/octet-stream}, its SHA-256 as a strong ETag
     * (Spring answers a matching If-None-Match with 304) and Range support (206 with Content-Range).
     */
    public ResponseEntity<Resource> download(String sha256, String filename) {
        ArtifactInfo info = find(sha256).orElseThrow(() -> ApiException.notFound("artifact " + sha256));
        Resource resource = store.open(info.storageKey());
        if (!resource.exists()) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Artifact unavailable",
                    "the bytes of artifact " + sha256 + " are not in the artifact store");
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .eTag("\"" + info.sha256() + "\"")
                .cacheControl(CacheControl.noCache().cachePrivate())
                .header(HttpHeaders.ACCEPT_RANGES, "bytes");
        if (filename != null) {
            response.header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(filename).build().toString());
        }
        return response.body(resource);
    }
}
