package io.ticketfoundry.worker.data;

import io.ticketfoundry.common.Digests;
import io.ticketfoundry.common.dataset.BaseDatasets;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a base dataset's files against the SHA-256 the registry ({@link BaseDatasets}) declares
 * for them: of the uncompressed content, so {@code x} and {@code x.gz} verify alike. A file is
 * hashed once per (path, size, modification time): later levels on the same worker reuse the result.
 *
 * <p>{@link Mode#STRICT} fails on a mismatch with a {@link DatasetFormatException} naming the file
 * and both hashes; {@link Mode#WARN} logs it (generated test data, a patched copy). A file whose hash
 * the registry does not declare is accepted in both modes; its hash is logged and returned.
 */
public final class DatasetVerifier {

    private static final Logger log = LoggerFactory.getLogger(DatasetVerifier.class);

    public enum Mode {
        STRICT, WARN, OFF;

        /** {@code strict}, {@code warn} or {@code off}, any case; null means strict. */
        public static Mode parse(String value) {
            return value == null || value.isBlank() ? STRICT : Mode.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
        }
    }

    private record Stamp(Path path, long size, long modified) {
    }

    private final Mode mode;
    private final Map<Stamp, String> hashes = new ConcurrentHashMap<>();
    private volatile int hashed;

    public DatasetVerifier(Mode mode) {
        this.mode = mode;
    }

    public Mode mode() {
        return mode;
    }

    /** How many files were actually read and hashed (the rest came from the cache). */
    public int filesHashed() {
        return hashed;
    }

    /**
     * Verifies the files (named by their standard names, a {@code .gz} suffix ignored) against the
     * base's declared hashes; returns the hash found per standard name.
     */
    public Map<String, String> verify(BaseDatasets.Base base, List<Path> files) throws IOException {
        Map<String, String> found = new LinkedHashMap<>();
        if (mode == Mode.OFF) {
            return found;
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            String standard = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
            int before = hashed;
            String actual = sha256(file);
            boolean fresh = hashed != before;
            found.put(standard, actual);
            String expected = base.files().get(standard);
            if (expected == null) {
                if (fresh) {
                    log.info("dataset {}: {} has SHA-256 {} (no hash declared for it)", base.name(), file, actual);
                }
            } else if (!expected.equals(actual)) {
                String message = "dataset " + base.name() + ": " + file + " has SHA-256 " + actual
                        + " but the registry expects " + expected + " (a different or corrupted copy)";
                if (mode == Mode.STRICT) {
                    throw new DatasetFormatException(message + "; replace the file, or run the worker with "
                            + "TF_DATASET_VERIFY=warn to accept it");
                }
                if (fresh) {
                    log.warn(message);
                }
            }
        }
        return found;
    }

    /** SHA-256 of the file's content, uncompressed when it is gzip; cached by path, size and mtime. */
    public String sha256(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        Stamp stamp = new Stamp(file.toAbsolutePath().normalize(), attributes.size(),
                attributes.lastModifiedTime().toMillis());
        String cached = hashes.get(stamp);
        if (cached != null) {
            return cached;
        }
        String computed = hash(file);
        hashed++;
        hashes.put(stamp, computed);
        return computed;
    }

    private static String hash(Path file) throws IOException {
        MessageDigest digest = Digests.newSha256();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            try (InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, n);
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
