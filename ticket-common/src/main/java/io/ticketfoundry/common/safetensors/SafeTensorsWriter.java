package io.ticketfoundry.common.safetensors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes safetensors files the way the reference implementation lays them out: tensors ordered by
 * dtype size (largest first, so every tensor stays aligned to its element size) then by name,
 * {@code __metadata__} first in the header, and the header padded with spaces so that the data
 * area starts at a multiple of 8 bytes.
 */
public final class SafeTensorsWriter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The order in which tensors are stored. */
    public static final Comparator<Tensor> STORAGE_ORDER =
            Comparator.comparingInt((Tensor t) -> -t.dtype().byteSize()).thenComparing(Tensor::name);

    private SafeTensorsWriter() {
    }

    public static void write(SafeTensors file, OutputStream out) throws IOException {
        List<Tensor> ordered = new ArrayList<>(file.tensors());
        ordered.sort(STORAGE_ORDER);
        out.write(header(file.metadata(), ordered));
        for (Tensor tensor : ordered) {
            out.write(tensor.rawData());
        }
    }

    public static void write(SafeTensors file, Path path) throws IOException {
        try (OutputStream out = Files.newOutputStream(path)) {
            write(file, out);
        }
    }

    public static byte[] toBytes(SafeTensors file) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(file, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The 8-byte length prefix followed by the padded JSON header. */
    private static byte[] header(Map<String, String> metadata, List<Tensor> ordered) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            json.put(SafeTensors.METADATA_KEY, metadata);
        }
        long offset = 0;
        for (Tensor tensor : ordered) {
            long end = offset + tensor.rawData().length;
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", tensor.dtype().name());
            entry.put("shape", tensor.shape());
            entry.put("data_offsets", new long[] {offset, end});
            json.put(tensor.name(), entry);
            offset = end;
        }
        byte[] text = JSON.writeValueAsBytes(json);
        int padded = (text.length + 7) / 8 * 8;
        byte[] result = new byte[8 + padded];
        ByteBuffer.wrap(result, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        System.arraycopy(text, 0, result, 8, text.length);
        Arrays.fill(result, 8 + text.length, result.length, (byte) ' ');
        return result;
    }
}
