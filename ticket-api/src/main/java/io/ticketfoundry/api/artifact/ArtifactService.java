package io.ticketfoundry.api.artifact;

import io.ticketfoundry.api.config.FoundryProperties;
import io.ticketfoundry.api.web.ApiException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.InputStream;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.InputStreamResource;
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
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Artifact metadata in PostgreSQL, bytes in the {@link ArtifactStore}, downloads with ETag,
 * conditional requests and Range, and the deletion of artifacts nothing references any more.
 */
@Service
public class ArtifactService {

    /** One {@code artifact} row. */
    public record ArtifactInfo(String sha256, long size, String mediaType, String storageKey, Instant createdAt) {
    }

    /** What {@link #deleteIfUnreferenced(String)} did. */
    public enum Deletion {
        /** The row is gone, and the bytes go once the transaction commits. */
        DELETED,
        /** Something still names the artifact: nothing was changed. */
        REFERENCED,
        /** There was no such row (any stray bytes under its key are removed after commit). */
        ABSENT
    }

    /**
     * Every column that names an artifact, as {@code table.column}. Each is a foreign key to
     * {@code artifact} (ArtifactDeletionTest checks this list against the database's foreign keys).
     * {@code uploaded_mask.uploaded_sha256} is not among them: it is the hash of the file as it was
     * uploaded, which is only stored when it equals the normalised {@code mask_sha256}.
     */
    public static final List<String> REFERENCING_COLUMNS = List.of(
            "ticket.mask_sha256", "ticket.rewind_sha256", "ticket.trained_sha256",
            "job_artifact.sha256", "job_checkpoint.sha256", "dataset_file.sha256",
            "uploaded_mask.mask_sha256", "uploaded_mask.weights_sha256");

    /** First key of the per-hash advisory locks that order recording an artifact against deleting it and its bytes. */
    private static final int HASH_LOCK_SPACE = 0x74660a01;

    private static final Logger log = LoggerFactory.getLogger(ArtifactService.class);

    private final JdbcClient jdbc;
    private final ArtifactStore store;
    private final FoundryProperties properties;
    private final TransactionTemplate transaction;
    private final TransactionTemplate separateTransaction;

    public ArtifactService(JdbcClient jdbc, ArtifactStore store, FoundryProperties properties,
            PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.store = store;
        this.properties = properties;
        this.transaction = new TransactionTemplate(transactions);
        this.separateTransaction = new TransactionTemplate(transactions);
        this.separateTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Streams {@code content} into the store (see {@link ArtifactStore#put}), checking a declared
     * {@code contentLength} against the upload limit before reading anything.
     */
    public ArtifactStore.StoredObject store(InputStream content, long contentLength, String expectedSha256) {
        long max = properties.artifacts().maxUploadSize().toBytes();
        if (contentLength > max) {
            throw StagedUpload.tooLarge(max);
        }
        return store.put(content, expectedSha256, max);
    }

    /**
     * Records the stored object's metadata, once per hash. Joins the caller's transaction. The
     * bytes are checked under the per-hash lock {@link #deleteIfUnreferenced} takes: if they were
     * removed since {@link #store} put them (the same bytes were deleted as unreferenced meanwhile),
     * the recording fails with 503 rather than name bytes that are gone; storing them again puts them back.
     */
    public void record(ArtifactStore.StoredObject stored, String mediaType) {
        transaction.executeWithoutResult(status -> {
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
                throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Artifact unavailable", "the bytes of artifact "
                        + stored.sha256() + " were deleted while they were being stored; upload them again");
            }
        });
    }

    /** Records the stored object's metadata (once per hash) and that {@code jobId} produced it. Joins the caller's transaction. */
    public void recordOutput(UUID jobId, ArtifactStore.StoredObject stored, String mediaType) {
        transaction.executeWithoutResult(status -> {
            record(stored, mediaType);
            jdbc.sql("""
                    INSERT INTO job_artifact (job_id, sha256, role) VALUES (:job, :sha, 'output')
                    ON CONFLICT DO NOTHING""")
                    .param("job", jobId)
                    .param("sha", stored.sha256())
                    .update();
        });
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
     * The artifact as a download of the current request: {@code application/octet-stream} with its
     * SHA-256 as a strong ETag. A matching If-None-Match answers 304. One byte range
     * ({@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}) answers 206 with Content-Range, reading
     * only those bytes from the store, unless an If-Range names another ETag; a range that starts
     * past the end answers 416 with {@code Content-Range: bytes *}{@code /size}. Anything else
     * (several ranges, another unit) gets the whole artifact.
     */
    public ResponseEntity<Resource> download(String sha256, String filename) {
        ArtifactInfo info = find(sha256).orElseThrow(() -> ApiException.notFound("artifact " + sha256));
        String etag = "\"" + info.sha256() + "\"";
        HttpServletRequest request = currentRequest();
        String ifNoneMatch = request == null ? null : request.getHeader(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && ifNoneMatchMatches(ifNoneMatch, etag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag)
                    .cacheControl(CacheControl.noCache().cachePrivate()).build();
        }
        String range = request == null ? null : request.getHeader(HttpHeaders.RANGE);
        String ifRange = request == null ? null : request.getHeader(HttpHeaders.IF_RANGE);
        if (ifRange != null && !ifRange.strip().equals(etag)) {
            range = null;
        }
        ByteRanges.Outcome outcome = ByteRanges.evaluate(range, info.size());
        if (outcome instanceof ByteRanges.Unsatisfiable) {
            throw new ApiException(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "Range Not Satisfiable",
                    "artifact " + sha256 + " has " + info.size() + " bytes; the range " + range + " selects none of them")
                    .withHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + info.size());
        }
        ByteRanges.ByteRange part = outcome instanceof ByteRanges.Partial partial ? partial.range() : null;
        long length = part == null ? info.size() : part.length();
        ResponseEntity.BodyBuilder response = ResponseEntity.status(part == null ? HttpStatus.OK : HttpStatus.PARTIAL_CONTENT)
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .eTag(etag)
                .cacheControl(CacheControl.noCache().cachePrivate())
                .header(HttpHeaders.ACCEPT_RANGES, "bytes")
                .contentLength(length);
        if (part != null) {
            response.header(HttpHeaders.CONTENT_RANGE, part.contentRange(info.size()));
        }
        if (filename != null) {
            response.header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(filename).build().toString());
        }
        if (request != null && "HEAD".equals(request.getMethod())) {
            if (!store.exists(info.storageKey())) {
                throw unavailable(sha256);
            }
            return response.build();
        }
        InputStream bytes = (part == null ? store.read(info.storageKey(), 0, -1)
                : store.read(info.storageKey(), part.first(), part.length()))
                .orElseThrow(() -> unavailable(sha256));
        // exactly InputStreamResource: Spring then neither applies the Range again nor reads the stream for its length
        return response.body(new InputStreamResource(bytes));
    }

    /** The columns (of {@link #REFERENCING_COLUMNS}) that name the artifact; empty when nothing does. */
    public List<String> references(String sha256) {
        String sql = REFERENCING_COLUMNS.stream().map(column -> {
            String[] parts = column.split("\\.");
            return "SELECT '" + column + "' WHERE EXISTS (SELECT 1 FROM " + parts[0] + " WHERE " + parts[1] + " = :sha)";
        }).collect(Collectors.joining(" UNION ALL "));
        return jdbc.sql(sql).param("sha", sha256).query(String.class).list();
    }

    /**
     * Deletes the artifact's row if nothing references it, then its bytes once the transaction
     * commits; the one way artifacts are deleted, on either store. Joins the caller's transaction
     * when there is one (the bytes then go at its commit and stay if it rolls back); otherwise runs
     * in its own.
     *
     * <p>It first takes the per-hash lock {@link #record} takes and holds it to the end of the
     * transaction, so a transaction that recorded the artifact and is about to refer to it finishes
     * first (and the artifact is kept). Then the row is locked while every
     * {@link #REFERENCING_COLUMNS referencing column} is checked, so a reference added by other means
     * either commits first (the artifact is kept) or fails on its foreign key. The bytes are removed
     * after the commit, under the same lock, and only if no row for the hash was recorded again
     * meanwhile; an upload recording them after that finds them gone and fails with 503. Removing
     * them after the commit, never before, means a transaction that fails to commit cannot leave a
     * row without bytes. Calling it again is harmless; a failure to remove the bytes is logged and
     * leaves only unnamed bytes, which the next call for the hash removes.
     */
    public Deletion deleteIfUnreferenced(String sha256) {
        if (!Sha256.isValid(sha256)) {
            throw new IllegalArgumentException("not a SHA-256: " + sha256);
        }
        return transaction.execute(status -> {
            lockHash(sha256);
            Optional<String> key = jdbc.sql("SELECT storage_key FROM artifact WHERE sha256 = :sha FOR UPDATE")
                    .param("sha", sha256).query(String.class).optional();
            if (key.isPresent() && !references(sha256).isEmpty()) {
                return Deletion.REFERENCED;
            }
            if (key.isPresent()) {
                jdbc.sql("DELETE FROM artifact WHERE sha256 = :sha").param("sha", sha256).update();
            }
            String storageKey = key.orElse(ArtifactStore.keyOf(sha256));
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    removeBytesIfUnrecorded(sha256, storageKey);
                }
            });
            return key.isPresent() ? Deletion.DELETED : Deletion.ABSENT;
        });
    }

    /** {@link #deleteIfUnreferenced(String)} for each hash, in order. */
    public Map<String, Deletion> deleteIfUnreferenced(Collection<String> sha256s) {
        Map<String, Deletion> outcomes = new LinkedHashMap<>();
        for (String sha256 : sha256s) {
            outcomes.put(sha256, deleteIfUnreferenced(sha256));
        }
        return outcomes;
    }

    /**
     * Removes bytes that were stored but then not recorded (an upload whose lease ended meanwhile, an
     * import that failed), unless a row names them by now: the byte-removing step of
     * {@link #deleteIfUnreferenced}, without touching any row (a row recorded meanwhile belongs to
     * someone else's upload). Call it outside any transaction that recorded the hash.
     */
    public void discardIfUnrecorded(ArtifactStore.StoredObject stored) {
        removeBytesIfUnrecorded(stored.sha256(), stored.storageKey());
    }

    private void removeBytesIfUnrecorded(String sha256, String storageKey) {
        try {
            separateTransaction.executeWithoutResult(status -> {
                lockHash(sha256);
                boolean recorded = jdbc.sql("SELECT count(*) FROM artifact WHERE sha256 = :sha")
                        .param("sha", sha256).query(Long.class).single() > 0;
                if (!recorded) {
                    store.delete(storageKey);
                }
            });
        } catch (RuntimeException e) {
            log.warn("Artifact {} is not recorded but its bytes under {} could not be removed", sha256, storageKey, e);
        }
    }

    /** Serialises recording, deleting and removing the bytes of one hash until the end of the current transaction. */
    private void lockHash(String sha256) {
        jdbc.sql("SELECT pg_advisory_xact_lock(:space, hashtext(:sha))")
                .param("space", HASH_LOCK_SPACE).param("sha", sha256)
                .query((rs, n) -> 1).list();
    }

    /**
     * A condition true when some {@link #REFERENCING_COLUMNS referencing column} names the hash in
     * the SQL expression {@code sha256Expression} (e.g. {@code a.sha256}).
     */
    public static String anyReference(String sha256Expression) {
        return REFERENCING_COLUMNS.stream().map(column -> {
            String[] parts = column.split("\\.");
            return "EXISTS (SELECT 1 FROM " + parts[0] + " r WHERE r." + parts[1] + " = " + sha256Expression + ")";
        }).collect(Collectors.joining(" OR ", "(", ")"));
    }

    private static ApiException unavailable(String sha256) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Artifact unavailable",
                "the bytes of artifact " + sha256 + " are not in the artifact store");
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest() : null;
    }

    /** Weak comparison (RFC 9110 §13.1.2): {@code *}, or any listed tag whose opaque part is ours. */
    static boolean ifNoneMatchMatches(String header, String etag) {
        for (String candidate : header.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
