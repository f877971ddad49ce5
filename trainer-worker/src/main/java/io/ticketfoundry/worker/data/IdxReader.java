package io.ticketfoundry.worker.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST format): magic {@code 0x00 0x00 type ndims}, then {@code ndims}
 * big-endian int32 dimensions, then the data. Only unsigned bytes (type 0x08) are used by the
 * image datasets here. A file is read through gzip when it starts with the gzip magic
 * {@code 0x1f 0x8b}, whatever its name.
 */
public final class IdxReader {

    private static final int UNSIGNED_BYTE = 0x08;

    private IdxReader() {
    }

    /** An idx3 image file: [count, rows, columns]. */
    public static IdxFile readImages(Path path) throws IOException {
        return read(path, 3);
    }

    /** An idx1 label file: [count]. */
    public static IdxFile readLabels(Path path) throws IOException {
        return read(path, 1);
    }

    public static IdxFile read(Path path, int expectedDimensions) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "IDX file not found");
        }
        try (InputStream in = open(path); DataInputStream data = new DataInputStream(in)) {
            int magic;
            try {
                magic = data.readInt();
            } catch (EOFException e) {
                throw new IdxFormatException(path + ": truncated: shorter than the 4-byte magic number");
            }
            int type = (magic >>> 8) & 0xff;
            int dims = magic & 0xff;
            if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || dims != expectedDimensions) {
                throw new IdxFormatException(String.format(
                        "%s: bad magic number 0x%08x; expected 0x%08x (unsigned bytes, %d dimensions)",
                        path, magic, (UNSIGNED_BYTE << 8) | expectedDimensions, expectedDimensions));
            }
            int[] dimensions = new int[dims];
            long size = 1;
            for (int i = 0; i < dims; i++) {
                try {
                    dimensions[i] = data.readInt();
                } catch (EOFException e) {
                    throw new IdxFormatException(path + ": truncated in the dimension header");
                }
                if (dimensions[i] < 0) {
                    throw new IdxFormatException(path + ": negative dimension " + dimensions[i]);
                }
                size *= dimensions[i];
            }
            if (size > Integer.MAX_VALUE - 16) {
                throw new IdxFormatException(path + ": " + size + " elements are too many for one array");
            }
            byte[] values = new byte[(int) size];
            int read = data.readNBytes(values, 0, values.length);
            if (read < values.length) {
                throw new IdxFormatException(path + ": truncated: dimensions promise " + size
                        + " bytes of data, file has " + read);
            }
            if (data.read() != -1) {
                throw new IdxFormatException(path + ": trailing bytes after the " + size + " data bytes");
            }
            return new IdxFile(dimensions, values);
        }
    }

    private static InputStream open(Path path) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        if (path.getFileName().toString().endsWith(".gz")) {
            in.close();
            throw new IdxFormatException(path + ": named .gz but does not start with the gzip magic 1f 8b");
        }
        return in;
    }
}
