package io.ticketfoundry.api.artifact;

import io.ticketfoundry.api.web.ApiException;
import io.ticketfoundry.common.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import org.springframework.http.HttpStatus;

/**
 * An upload written to a temporary file while it is hashed and counted, then forced to disk.
 * {@link #stage} returns only once the bytes are complete, within the size limit and of the declared
 * SHA-256; otherwise it removes the file and throws the problem the API answers with. A store moves
 * or copies the file to its place; {@link #close()} removes whatever is left of it.
 */
final class StagedUpload implements AutoCloseable {

    private static final int BUFFER_SIZE = 64 * 1024;

    private final Path file;
    private final String sha256;
    private final long size;

    private StagedUpload(Path file, String sha256, long size) {
        this.file = file;
        this.sha256 = sha256;
        this.size = size;
    }

    static StagedUpload stage(InputStream content, String expectedSha256, long maxBytes, Path directory) {
        if (!Sha256.isValid(expectedSha256)) {
            throw ApiException.invalid("sha256", "must be 64 lower-case hex digits");
        }
        Path partial = null;
        try {
            partial = Files.createTempFile(directory, "upload-", ".part");
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
            StagedUpload staged = new StagedUpload(partial, actual, size);
            partial = null;
            return staged;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stage an artifact upload in " + directory, e);
        } finally {
            deleteQuietly(partial);
        }
    }

    static ApiException tooLarge(long maxBytes) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Content Too Large",
                "an artifact may have at most " + maxBytes + " bytes");
    }

    Path file() {
        return file;
    }

    String sha256() {
        return sha256;
    }

    long size() {
        return size;
    }

    @Override
    public void close() {
        deleteQuietly(file);
    }

    private static void deleteQuietly(Path path) {
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // a leftover temporary file is harmless: it is never named by a key
        }
    }
}
