package io.ticketfoundry.api.dataset;

import io.ticketfoundry.common.Digests;
import io.ticketfoundry.api.web.FieldProblem;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Checks an uploaded dataset file against its format while computing its SHA-256 (of the bytes as
 * uploaded), in one streaming pass: IDX image and label files (raw or gzip; magic, dimensions,
 * exact length) and CIFAR binary files (whole records, labels in range).
 */
final class UploadValidator {

    /** What one file holds: examples, image rows × columns (IDX images), the largest label, its hash and size. */
    record FileSummary(String sha256, long size, int count, int rows, int columns, int maxLabel) {
    }

    /** A file that is not what its part says it is; the message says why. */
    static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    enum Kind { IDX_IMAGES, IDX_LABELS, CIFAR10, CIFAR100 }

    private UploadValidator() {
    }

    static FileSummary check(InputStream content, Kind kind) throws IOException, Invalid {
        MessageDigest digest = Digests.newSha256();
        CountingStream counted = new CountingStream(new DigestInputStream(content, digest));
        FileSummary partial;
        try (BufferedInputStream in = new BufferedInputStream(counted, 1 << 16)) {
            partial = switch (kind) {
                case IDX_IMAGES, IDX_LABELS -> checkIdx(in, kind == Kind.IDX_IMAGES);
                case CIFAR10 -> checkCifar(in, 1, 0, 10);
                case CIFAR100 -> checkCifar(in, 2, 1, 100);
            };
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return new FileSummary(HexFormat.of().formatHex(digest.digest()), counted.count, partial.count(),
                partial.rows(), partial.columns(), partial.maxLabel());
    }

    private static FileSummary checkIdx(BufferedInputStream raw, boolean images) throws IOException, Invalid {
        raw.mark(2);
        boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
        DataInputStream data = new DataInputStream(in);
        int dims = images ? 3 : 1;
        int magic;
        int[] shape = new int[dims];
        try {
            magic = data.readInt();
            if (magic != (0x0800 | dims)) {
                throw new Invalid(String.format("is not an IDX %s file: magic 0x%08x, expected 0x%08x",
                        images ? "image (idx3 unsigned byte)" : "label (idx1 unsigned byte)", magic, 0x0800 | dims));
            }
            for (int i = 0; i < dims; i++) {
                shape[i] = data.readInt();
                if (shape[i] <= 0) {
                    throw new Invalid("has dimension " + shape[i] + " in its IDX header");
                }
            }
        } catch (EOFException e) {
            throw new Invalid("is truncated in its IDX header");
        }
        long expected = images ? (long) shape[0] * shape[1] * shape[2] : shape[0];
        if (images && (shape[1] > 1024 || shape[2] > 1024)) {
            throw new Invalid("has images of " + shape[1] + "x" + shape[2] + " pixels (at most 1024x1024)");
        }
        int maxLabel = -1;
        byte[] buffer = new byte[1 << 16];
        long read = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (!images) {
                for (int i = 0; i < n; i++) {
                    maxLabel = Math.max(maxLabel, buffer[i] & 0xff);
                }
            }
            read += n;
        }
        if (read != expected) {
            throw new Invalid("has " + read + " data bytes, its IDX header promises " + expected);
        }
        return new FileSummary(null, 0, shape[0], images ? shape[1] : 0, images ? shape[2] : 0, maxLabel);
    }

    private static FileSummary checkCifar(InputStream in, int labelBytes, int labelIndex, int classes)
            throws IOException, Invalid {
        int record = labelBytes + 3072;
        byte[] buffer = new byte[record];
        int count = 0;
        int maxLabel = -1;
        while (true) {
            int n = in.readNBytes(buffer, 0, record);
            if (n == 0) {
                break;
            }
            if (n < record) {
                throw new Invalid("is not a whole number of " + record + "-byte records (" + labelBytes
                        + " label byte(s) + 3072 pixels): " + n + " bytes left over after record " + count);
            }
            int label = buffer[labelIndex] & 0xff;
            if (label >= classes) {
                throw new Invalid("has label " + label + " in record " + count + " (must be below " + classes + ")");
            }
            if (labelBytes == 2 && (buffer[0] & 0xff) >= 20) {
                throw new Invalid("has coarse label " + (buffer[0] & 0xff) + " in record " + count + " (must be below 20)");
            }
            maxLabel = Math.max(maxLabel, label);
            count++;
        }
        if (count == 0) {
            throw new Invalid("is empty");
        }
        return new FileSummary(null, 0, count, 32, 32, maxLabel);
    }

    static List<FieldProblem> problem(String field, String message) {
        return List.of(new FieldProblem(field, message));
    }

    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
