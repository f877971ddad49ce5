package io.ticketfoundry.api.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;

/**
 * Artifacts as files under {@code tf.artifacts.root}, at {@code ab/cd/<sha256>}. An upload is
 * written to a temporary file under the same root while it is hashed, forced to disk and then
 * renamed into place atomically, so a reader never sees a partial object.
 */
public class FilesystemArtifactStore implements ArtifactStore {

    private final Path root;
    private final Path temporary;

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
        return ArtifactStore.keyOf(sha256);
    }

    @Override
    public StoredObject put(InputStream content, String expectedSha256, long maxBytes) {
        try (StagedUpload staged = StagedUpload.stage(content, expectedSha256, maxBytes, temporary)) {
            String key = keyOf(staged.sha256());
            Path target = root.resolve(key);
            if (Files.exists(target)) {
                return new StoredObject(staged.sha256(), staged.size(), key);
            }
            Files.createDirectories(target.getParent());
            try {
                Files.move(staged.file(), target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IllegalStateException("The artifact root must allow atomic renames: " + root, e);
            }
            forceDirectory(target.getParent());
            return new StoredObject(staged.sha256(), staged.size(), key);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store an artifact under " + root, e);
        }
    }

    @Override
    public Optional<InputStream> read(String storageKey, long offset, long length) {
        Path path = resolve(storageKey);
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            try {
                channel.position(offset);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            InputStream in = Channels.newInputStream(channel);
            return Optional.of(length < 0 ? in : new BoundedInputStream(in, length));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read artifact " + storageKey, e);
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
            // the folders stay: a concurrent upload may be about to rename a file into them
            Files.deleteIfExists(resolve(storageKey));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete artifact " + storageKey, e);
        }
    }

    private Path resolve(String storageKey) {
        Path path = root.resolve(storageKey).normalize();
        if (!path.startsWith(root) || path.startsWith(temporary) || path.equals(root)) {
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
