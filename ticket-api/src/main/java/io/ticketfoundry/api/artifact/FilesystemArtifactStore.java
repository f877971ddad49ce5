package io.ticketfoundry.api.artifact;

import io.ticketfoundry.common.Digests;
import io.ticketfoundry.api.config.FoundryProperties;
import io.ticketfoundry.api.web.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Artifacts as files under {@code tf.artifacts.root}, at {@code ab/cd/<sha256>}. An upload is
 * written to a temporary file under the same root while it is hashed, forced to disk and then
 * renamed into place atomically, so a reader never sees a partial object.
 */
@Component
public class FilesystemArtifactStore implements ArtifactStore {

    private static final int BUFFER_SIZE = 64 * 1024;

    private final Path root;
    private final Path temporary;

    @Autowired
    public FilesystemArtifactStore(FoundryProperties properties) {
        this(properties.artifactRoot());
    }

    public FilesystemArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.temporary = this.root.resolve("tmp");
        try {
            Files.createDirectories(temporary);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the artifact folder " + temporary, e);
        }
    }

    public static String keyOf(String sha256) {
        return sha256.substring(0, 2) + "/" + sha256.substring(2, 4) + "/" + sha256;
    }

    @Override
    public StoredObject put(InputStream content, String expectedSha256, long maxBytes) {
        if (!Sha256.isValid(expectedSha256)) {
            throw ApiException.invalid("sha256", "must be 64 lower-case hex digits");
        }
        Path partial = null;
        try {
            partial = Files.createTempFile(temporary, "upload-", ".part");
            MessageDigest digest = Digests.newSha256();
            long size = 0;
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                byte[] buffer = new byte[BUFFER_SIZE];
                int read;
                while ((read = content.read(buffer)) != -1) {
                    size += read;
                    if (size > maxBytes) {
                        throw tooLarge(maxBytes);
                    }
                    digest.update(buffer, 0, read);
                    ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, read);
                    while (chunk.hasRemaining()) {
                        channel.write(chunk);
                    }
                }
                channel.force(true);
            }
            String actual = Digests.hex(digest);
            if (!actual.equals(expectedSha256)) {
                throw ApiException.invalid("sha256", "does not match the uploaded bytes (their SHA-256 is " + actual + ")");
            }
            String key = keyOf(actual);
            Path target = root.resolve(key);
            if (Files.exists(target)) {
                return new StoredObject(actual, size, key);
            }
            Files.createDirectories(target.getParent());
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IllegalStateException("The artifact root must allow atomic renames: " + root, e);
            }
            partial = null;
            forceDirectory(target.getParent());
            return new StoredObject(actual, size, key);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store an artifact under " + root, e);
        } finally {
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // a leftover temporary file is harmless: it is never named by a key
                }
            }
        }
    }

    @Override
    public Resource open(String storageKey) {
        return new FileSystemResource(resolve(storageKey));
    }

    @Override
    public boolean exists(String storageKey) {
        return Files.isRegularFile(resolve(storageKey));
    }

    @Override
    public void delete(String storageKey) {
        try {
            Files.deleteIfExists(resolve(storageKey));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete the artifact " + storageKey + " under " + root, e);
        }
    }

    static ApiException tooLarge(long maxBytes) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Content Too Large",
                "an artifact may have at most " + maxBytes + " bytes");
    }

    private Path resolve(String storageKey) {
        Path path = root.resolve(storageKey).normalize();
        if (!path.startsWith(root) || path.startsWith(temporary)) {
            throw new IllegalArgumentException("not a storage key: " + storageKey);
        }
        return path;
    }

    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every platform can sync a directory; the file itself is already on disk
        }
    }
}
