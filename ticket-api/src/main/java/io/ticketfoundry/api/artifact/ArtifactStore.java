package io.ticketfoundry.api.artifact;

import java.io.InputStream;
import org.springframework.core.io.Resource;

/**
 * Where artifact bytes live, addressed by their SHA-256. The database keeps only metadata
 * ({@code artifact} rows); an implementation keeps the bytes and never exposes a partial object.
 */
public interface ArtifactStore {

    /** An object the store holds: its hash, its size and the key it is stored under. */
    record StoredObject(String sha256, long size, String storageKey) {
    }

    /**
     * Reads {@code content} to its end and keeps it under its SHA-256. Fails with a 413 problem when
     * it is longer than {@code maxBytes} and with a 400 problem (field {@code sha256}) when its hash
     * is not {@code expectedSha256}; in both cases nothing is kept. Storing bytes already held is
     * harmless and keeps the existing object.
     */
    StoredObject put(InputStream content, String expectedSha256, long maxBytes);

    /** The stored bytes; {@link Resource#exists()} is false when the key names nothing. */
    Resource open(String storageKey);

    boolean exists(String storageKey);

    /** Removes the object under {@code storageKey}; nothing happens when there is none. */
    void delete(String storageKey);
}
