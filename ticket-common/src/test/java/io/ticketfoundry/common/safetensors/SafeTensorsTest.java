package io.ticketfoundry.common.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    @TempDir
    Path dir;

    private static SafeTensors sample() {
        return new SafeTensors(Map.of("format", "pt"), List.of(
                Tensor.ofBytes("mask", DType.U8, new long[] {2, 3}, new byte[] {1, 0, 1, 1, 1, 0}),
                Tensor.ofFloats("fc1.weight", new long[] {2, 2}, new float[] {1.5f, -0.0f, Float.MIN_VALUE, 3e38f}),
                Tensor.ofFloats("fc1.bias", new long[] {2}, new float[] {0.25f, -7f}),
                Tensor.ofLongs("step", new long[] {}, new long[] {42})));
    }

    @Test
    void roundTripThroughFileKeepsEveryBitAndTheMetadata() throws Exception {
        Path file = dir.resolve("t.safetensors");
        SafeTensorsWriter.write(sample(), file);

        SafeTensors read = SafeTensorsReader.read(file);

        assertThat(read.metadata()).containsExactly(Map.entry("format", "pt"));
        assertThat(read.names()).containsExactlyInAnyOrder("mask", "fc1.weight", "fc1.bias", "step");
        assertThat(read.get("mask").shape()).containsExactly(2, 3);
        assertThat(read.get("mask").toByteArray()).containsExactly(1, 0, 1, 1, 1, 0);
        float[] weights = read.get("fc1.weight").toFloatArray();
        assertThat(Float.floatToRawIntBits(weights[1])).isEqualTo(Float.floatToRawIntBits(-0.0f));
        assertThat(weights).containsExactly(1.5f, -0.0f, Float.MIN_VALUE, 3e38f);
        assertThat(read.get("fc1.bias").toFloatArray()).containsExactly(0.25f, -7f);
        assertThat(read.get("step").shape()).isEmpty();
        assertThat(read.get("step").toLongArray()).containsExactly(42L);
        assertThat(SafeTensorsReader.read(Files.readAllBytes(file)).names()).isEqualTo(read.names());
    }

    @Test
    void readsAFileBuiltByHandFromTheSpecification() throws Exception {
        // Tensors listed out of data order, metadata last, header padded with spaces (any amount is legal).
        String header = "{\"b\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[8,11]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]},"
                + "\"__metadata__\":{\"k\":\"v\"}}   ";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = json.length;
        for (int i = 0; i < 8; i++) {
            out.write((int) (n >>> (8 * i)) & 0xff);
        }
        out.write(json);
        // a = [1.0f, -2.0f]: IEEE-754 0x3f800000 and 0xc0000000, little-endian
        out.write(new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, (byte) 0xc0});
        out.write(new byte[] {1, 0, 1});
        Path file = dir.resolve("hand.safetensors");
        Files.write(file, out.toByteArray());

        SafeTensors read = SafeTensorsReader.read(file);

        assertThat(read.metadata()).containsExactly(Map.entry("k", "v"));
        assertThat(read.names()).containsExactly("a", "b");
        assertThat(read.get("a").shape()).containsExactly(1, 2);
        assertThat(read.get("a").toFloatArray()).containsExactly(1.0f, -2.0f);
        assertThat(read.get("b").dtype()).isEqualTo(DType.U8);
        assertThat(read.get("b").toByteArray()).containsExactly(1, 0, 1);
        SafeTensorsHeader parsed = SafeTensorsReader.readHeader(file);
        assertThat(parsed.headerLength()).isEqualTo(json.length);
        assertThat(parsed.dataLength()).isEqualTo(11);
    }

    @Test
    void writerLayoutIsPrefixPaddedHeaderThenDataInStorageOrder() throws Exception {
        byte[] bytes = SafeTensorsWriter.toBytes(sample());

        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat((8 + n) % 8).isZero();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        String trimmed = header.stripTrailing();
        assertThat(trimmed).endsWith("}");
        assertThat(header.substring(trimmed.length())).matches(" {0,7}");
        // __metadata__ first; then 8-byte, 4-byte, 1-byte dtypes, each group by name.
        assertThat(trimmed).isEqualTo("{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"step\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"fc1.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]},"
                + "\"fc1.weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[16,32]},"
                + "\"mask\":{\"dtype\":\"U8\",\"shape\":[2,3],\"data_offsets\":[32,38]}}");
        assertThat(bytes.length).isEqualTo(8 + n + 38);
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) (8 + n), 38).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(data.getLong()).isEqualTo(42L);
        assertThat(data.getFloat()).isEqualTo(0.25f);
        assertThat(data.getFloat()).isEqualTo(-7f);
        assertThat(data.getFloat()).isEqualTo(1.5f);
        assertThat(Float.floatToRawIntBits(data.getFloat())).isEqualTo(0x80000000);
        data.getFloat();
        data.getFloat();
        byte[] mask = new byte[6];
        data.get(mask);
        assertThat(mask).containsExactly(1, 0, 1, 1, 1, 0);
    }

    @Test
    void emptyFileWithoutTensorsRoundTrips() throws Exception {
        byte[] bytes = SafeTensorsWriter.toBytes(new SafeTensors(Map.of(), List.of()));
        assertThat(bytes).hasSize(16);
        assertThat(new String(bytes, 8, 8, StandardCharsets.US_ASCII)).isEqualTo("{}      ");
        assertThat(SafeTensorsReader.read(bytes).names()).isEmpty();
    }

    // ---- malformed files ----

    private static byte[] file(String header, int dataBytes) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(json.length).put(json);
        return buffer.array();
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape
                + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    private static void assertRejected(byte[] bytes, String messagePart) {
        assertThatThrownBy(() -> SafeTensorsReader.read(bytes))
                .isInstanceOf(SafeTensorsFormatException.class)
                .hasMessageContaining(messagePart);
    }

    @Test
    void rejectsUnknownDtype() {
        assertRejected(file("{" + entry("a", "F33", "[2]", 0, 8) + "}", 8), "unknown dtype \"F33\"");
    }

    @Test
    void rejectsShapeThatDoesNotMatchTheByteRange() {
        assertRejected(file("{" + entry("a", "F32", "[3]", 0, 8) + "}", 8), "needs 12 bytes");
    }

    @Test
    void rejectsOverlappingTensors() {
        assertRejected(file("{" + entry("a", "U8", "[4]", 0, 4) + "," + entry("b", "U8", "[4]", 2, 6) + "}", 6),
                "overlaps");
    }

    @Test
    void rejectsGapsInTheDataArea() {
        assertRejected(file("{" + entry("a", "U8", "[2]", 0, 2) + "," + entry("b", "U8", "[2]", 4, 6) + "}", 6),
                "gap");
        assertRejected(file("{" + entry("a", "U8", "[2]", 2, 4) + "}", 4), "gap");
    }

    @Test
    void rejectsOffsetsBeyondTheData() {
        assertRejected(file("{" + entry("a", "U8", "[4]", 0, 4) + "}", 3), "beyond the data area");
        assertRejected(file("{" + entry("a", "U8", "[0]", 4, 2) + "}", 4), "begin 4 > end 2");
    }

    @Test
    void rejectsTrailingBytesNotCoveredByAnyTensor() {
        assertRejected(file("{" + entry("a", "U8", "[2]", 0, 2) + "}", 5), "trailing bytes");
    }

    @Test
    void rejectsTruncatedFiles() {
        assertRejected(new byte[5], "truncated");
        byte[] good = SafeTensorsWriter.toBytes(sample());
        assertRejected(Arrays.copyOf(good, 20), "truncated");
        assertRejected(Arrays.copyOf(good, good.length - 1), "beyond the data area");
    }

    @Test
    void rejectsHugeHeaderLength() {
        ByteBuffer buffer = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(200_000_000L);
        assertRejected(buffer.array(), "exceeds the limit");
        buffer.putLong(0, -1L);
        assertRejected(buffer.array(), "18446744073709551615");
    }

    @Test
    void rejectsDuplicateNamesAndBadJson() {
        assertRejected(file("{" + entry("a", "U8", "[1]", 0, 1) + "," + entry("a", "U8", "[1]", 1, 2) + "}", 2),
                "not valid JSON");
        assertRejected(file("{\"a\":", 0), "not valid JSON");
        assertRejected(file("[1,2]", 0), "must be a JSON object");
        assertRejected(file("{} {}", 0), "not valid JSON");
    }

    @Test
    void rejectsNonStringMetadataAndUnknownEntryKeys() {
        assertRejected(file("{\"__metadata__\":{\"k\":1}}", 0), "must be a string");
        assertRejected(file("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],\"x\":1}}", 1),
                "unknown key");
        assertRejected(file("{" + entry("a", "U8", "[-1]", 0, 0) + "}", 0), "non-negative");
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] bytes = file("{\"a\"}", 0);
        bytes[9] = (byte) 0xff;
        assertRejected(bytes, "UTF-8");
    }
}
