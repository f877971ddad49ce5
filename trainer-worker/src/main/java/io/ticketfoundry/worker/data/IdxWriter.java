package io.ticketfoundry.worker.data;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes unsigned-byte IDX files, gzip-compressed when the name ends in {@code .gz}. */
public final class IdxWriter {

    private IdxWriter() {
    }

    public static void write(Path path, int[] dimensions, byte[] data) throws IOException {
        long size = 1;
        for (int d : dimensions) {
            size *= d;
        }
        if (size != data.length) {
            throw new IllegalArgumentException("dimensions promise " + size + " bytes, data has " + data.length);
        }
        OutputStream raw = Files.newOutputStream(path);
        if (path.getFileName().toString().endsWith(".gz")) {
            raw = new GZIPOutputStream(raw, 1 << 16);
        }
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(raw, 1 << 16))) {
            out.writeInt((0x08 << 8) | dimensions.length);
            for (int d : dimensions) {
                out.writeInt(d);
            }
            out.write(data);
        }
    }
}
