package io.ticketfoundry.api.artifact;

import java.io.InputStream;
import java.util.Optional;
import org.springframework.core.io.Resource;

/**
 * Where artifact bytes live, addressed by their SHA-256. The database keeps only metadata
 * ({@code artifact} rows); an implementation keeps the bytes and never exposes a partial object.
 * Every store names an object by the same storage key, {@link #keyOf(String)}.
 */
public interface ArtifactStore {

    /** An object the store holds: its hash, its size and the key it is stored under. */
    record StoredObject(String sha256, long size, String storageKey) {
    }

    /** The storage key of the bytes whose SHA-256 is {@code sha256}: {@code ab/cd/<sha256>}. */
    static String keyOf(String sha256) {
        return sha256.substring(0, 2) + "/" + sha256.substring(2, 4) + "/" + sha256;
    }

    /**
     * Reads {@code content} to its end and keeps it under its SHA-256. Fails with a 413 problem when
     * it is longer than {@code maxBytes} and with a 400 problem (field {@code sha256}) when its hash
     * is not {@code expectedSha256}; in both cases nothing is kept. Storing bytes already held is
     * harmless and keeps the existing object.
     */
    StoredObject put(InputStream content, String expectedSha256, long maxBytes);

    /**
     * {@code length} bytes of the object from {@code offset} ({@code length < 0}: to its end), read
     * from the store as they are consumed; empty when the key names nothing. The caller closes the stream.
     */
    Optional<InputStream> read(String storageKey, long offset, long length);

    /** The stored bytes; {@link Resource#exists()} is false when the key names nothing. */
    Resource open(String storageKey);

    boolean exists(String storageKey);

    /** Removes the object; removing one that is not there is not an error. */
    void delete(String storageKey);
}
