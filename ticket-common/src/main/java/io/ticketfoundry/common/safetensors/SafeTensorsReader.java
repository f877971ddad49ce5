package io.ticketfoundry.common.safetensors;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and validates safetensors files. Everything the format promises is checked: the length
 * prefix against the file size, a UTF-8 JSON object header without duplicate keys, known dtypes,
 * byte ranges that match shape × dtype size and tile the whole data area in order with no gaps or
 * overlaps, and string-only metadata. The header may be followed by trailing spaces (the reference
 * writer pads with them); the 8-byte alignment itself is not required of files we read.
 */
public final class SafeTensorsReader {

    /** The largest header accepted, as in the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final Set<String> ENTRY_KEYS = Set.of("dtype", "shape", "data_offsets");

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private SafeTensorsReader() {
    }

    public static SafeTensors read(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            SafeTensorsHeader header = readHeader(channel, path.toString());
            if (header.dataLength() > Integer.MAX_VALUE) {
                throw new SafeTensorsFormatException(path + ": data area of " + header.dataLength()
                        + " bytes is too large to load into memory at once");
            }
            ByteBuffer data = ByteBuffer.allocate((int) header.dataLength());
            readFully(channel, data, header.dataStart(), path.toString());
            return assemble(header, data.array(), 0);
        }
    }

    public static SafeTensors read(byte[] bytes) throws SafeTensorsFormatException {
        SafeTensorsHeader header = parse(bytes.length, prefix(bytes), headerBytes(bytes), "input");
        return assemble(header, bytes, (int) header.dataStart());
    }

    /** Validates a whole file but loads only its header (useful for checking an upload). */
    public static SafeTensorsHeader readHeader(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return readHeader(channel, path.toString());
        }
    }

    private static SafeTensorsHeader readHeader(FileChannel channel, String source) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new SafeTensorsFormatException(source + ": truncated: " + size
                    + " bytes, shorter than the 8-byte header length prefix");
        }
        ByteBuffer prefix = ByteBuffer.allocate(8);
        readFully(channel, prefix, 0, source);
        long headerLength = prefix.flip().order(ByteOrder.LITTLE_ENDIAN).getLong();
        checkHeaderLength(headerLength, size, source);
        ByteBuffer header = ByteBuffer.allocate((int) headerLength);
        readFully(channel, header, 8, source);
        return parse(size, headerLength, header.array(), source);
    }

    private static long prefix(byte[] bytes) throws SafeTensorsFormatException {
        if (bytes.length < 8) {
            throw new SafeTensorsFormatException("input: truncated: " + bytes.length
                    + " bytes, shorter than the 8-byte header length prefix");
        }
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        checkHeaderLength(headerLength, bytes.length, "input");
        return headerLength;
    }

    private static byte[] headerBytes(byte[] bytes) throws SafeTensorsFormatException {
        return Arrays.copyOfRange(bytes, 8, 8 + (int) prefix(bytes));
    }

    private static void checkHeaderLength(long headerLength, long fileSize, String source)
            throws SafeTensorsFormatException {
        // A u64 above Long.MAX_VALUE reads as negative.
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new SafeTensorsFormatException(source + ": header length "
                    + Long.toUnsignedString(headerLength) + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (headerLength < 2) {
            throw new SafeTensorsFormatException(source + ": header length " + headerLength
                    + " is too short for a JSON object");
        }
        if (8 + headerLength > fileSize) {
            throw new SafeTensorsFormatException(source + ": truncated: header needs " + headerLength
                    + " bytes after the prefix but the file has only " + (fileSize - 8));
        }
    }

    private static SafeTensorsHeader parse(long fileSize, long headerLength, byte[] headerBytes, String source)
            throws SafeTensorsFormatException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(headerBytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SafeTensorsFormatException(source + ": header is not valid UTF-8", e);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new SafeTensorsFormatException(source + ": header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafeTensorsFormatException(source + ": header must be a JSON object");
        }
        long dataLength = fileSize - 8 - headerLength;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> tensors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> property : root.properties()) {
            if (SafeTensors.METADATA_KEY.equals(property.getKey())) {
                metadata.putAll(metadata(property.getValue(), source));
            } else {
                tensors.add(entry(property.getKey(), property.getValue(), source));
            }
        }
        tensors.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expectedBegin = 0;
        for (TensorInfo tensor : tensors) {
            if (tensor.end() > dataLength) {
                throw new SafeTensorsFormatException(source + ": " + tensor.name() + " ends at " + tensor.end()
                        + ", beyond the data area of " + dataLength + " bytes (truncated file?)");
            }
            if (tensor.begin() < expectedBegin) {
                throw new SafeTensorsFormatException(source + ": " + tensor.name()
                        + " overlaps the previous tensor: begins at " + tensor.begin() + ", previous ends at " + expectedBegin);
            }
            if (tensor.begin() > expectedBegin) {
                throw new SafeTensorsFormatException(source + ": gap in the data area: bytes " + expectedBegin
                        + " to " + tensor.begin() + " belong to no tensor (before " + tensor.name() + ")");
            }
            expectedBegin = tensor.end();
        }
        if (expectedBegin != dataLength) {
            throw new SafeTensorsFormatException(source + ": the tensors cover " + expectedBegin
                    + " bytes but the data area has " + dataLength + " (trailing bytes or truncated file)");
        }
        return new SafeTensorsHeader(metadata, tensors, headerLength, dataLength);
    }

    private static Map<String, String> metadata(JsonNode node, String source) throws SafeTensorsFormatException {
        if (!node.isObject()) {
            throw new SafeTensorsFormatException(source + ": " + SafeTensors.METADATA_KEY + " must be an object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            if (!property.getValue().isString()) {
                throw new SafeTensorsFormatException(source + ": metadata value of " + property.getKey()
                        + " must be a string");
            }
            metadata.put(property.getKey(), property.getValue().stringValue());
        }
        return metadata;
    }

    private static TensorInfo entry(String name, JsonNode node, String source) throws SafeTensorsFormatException {
        String where = source + ": tensor " + name;
        if (name.isEmpty()) {
            throw new SafeTensorsFormatException(source + ": empty tensor name");
        }
        if (!node.isObject()) {
            throw new SafeTensorsFormatException(where + ": entry must be an object");
        }
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            if (!ENTRY_KEYS.contains(property.getKey())) {
                throw new SafeTensorsFormatException(where + ": unknown key \"" + property.getKey() + "\"");
            }
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isString()) {
            throw new SafeTensorsFormatException(where + ": dtype missing or not a string");
        }
        DType dtype;
        try {
            dtype = DType.fromHeaderName(dtypeNode.stringValue());
        } catch (SafeTensorsFormatException e) {
            throw new SafeTensorsFormatException(where + ": " + e.getMessage());
        }
        long[] shape = unsignedArray(node.get("shape"), where + ": shape", -1);
        long[] offsets = unsignedArray(node.get("data_offsets"), where + ": data_offsets", 2);
        if (offsets[0] > offsets[1]) {
            throw new SafeTensorsFormatException(where + ": data_offsets begin " + offsets[0] + " > end " + offsets[1]);
        }
        long expectedBytes;
        try {
            expectedBytes = Math.multiplyExact(Tensor.elementCount(shape), (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new SafeTensorsFormatException(where + ": shape " + Arrays.toString(shape) + " is too large");
        }
        if (expectedBytes != offsets[1] - offsets[0]) {
            throw new SafeTensorsFormatException(where + ": " + dtype + " " + Arrays.toString(shape) + " needs "
                    + expectedBytes + " bytes but data_offsets " + Arrays.toString(offsets) + " span "
                    + (offsets[1] - offsets[0]));
        }
        return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] unsignedArray(JsonNode node, String what, int requiredLength)
            throws SafeTensorsFormatException {
        if (node == null || !node.isArray()) {
            throw new SafeTensorsFormatException(what + " missing or not an array");
        }
        if (requiredLength >= 0 && node.size() != requiredLength) {
            throw new SafeTensorsFormatException(what + " must have " + requiredLength + " elements, has " + node.size());
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode element = node.get(i);
            if (!element.isIntegralNumber() || !element.canConvertToLong() || element.longValue() < 0) {
                throw new SafeTensorsFormatException(what + " must hold non-negative integers, found " + element);
            }
            values[i] = element.longValue();
        }
        return values;
    }

    private static SafeTensors assemble(SafeTensorsHeader header, byte[] bytes, int dataStart) {
        List<Tensor> tensors = new ArrayList<>();
        for (TensorInfo info : header.tensors()) {
            byte[] data = Arrays.copyOfRange(bytes, dataStart + (int) info.begin(), dataStart + (int) info.end());
            tensors.add(new Tensor(info.name(), info.dtype(), info.shape(), data));
        }
        return new SafeTensors(header.metadata(), tensors);
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position, String source)
            throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new EOFException(source + ": unexpected end of file at byte " + at);
            }
            at += n;
        }
    }
}
