package io.ticketfoundry.api.artifact;

import io.ticketfoundry.api.config.FoundryProperties;
import io.ticketfoundry.api.web.ApiException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Artifact metadata in PostgreSQL, bytes in the {@link ArtifactStore}, and downloads with ETag and Range. */
@Service
public class ArtifactService {

    /** One {@code artifact} row. */
    public record ArtifactInfo(String sha256, long size, String mediaType, String storageKey, Instant createdAt) {
    }

    private final JdbcClient jdbc;
    private final ArtifactStore store;
    private final FoundryProperties properties;

    public ArtifactService(JdbcClient jdbc, ArtifactStore store, FoundryProperties properties) {
        this.jdbc = jdbc;
        this.store = store;
        this.properties = properties;
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

    /** Records the stored object's metadata, once per hash. Joins the caller's transaction. */
    public void record(ArtifactStore.StoredObject stored, String mediaType) {
        jdbc.sql("""
                INSERT INTO artifact (sha256, size_bytes, media_type, storage_key)
                VALUES (:sha, :size, :media, :key) ON CONFLICT (sha256) DO NOTHING""")
                .param("sha", stored.sha256())
                .param("size", stored.size())
                .param("media", mediaType)
                .param("key", stored.storageKey())
                .update();
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
