package io.ticketfoundry.api.mask;

import io.ticketfoundry.common.model.StateDictTable;
import io.ticketfoundry.common.safetensors.DType;
import io.ticketfoundry.common.safetensors.SafeTensors;
import io.ticketfoundry.common.safetensors.SafeTensorsWriter;
import io.ticketfoundry.common.safetensors.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Masks and weights as another tool would save them, for tests. */
public final class MaskFiles {

    private MaskFiles() {
    }

    /** A random mask of {@code density} for every prunable tensor of the model, as float32 (torch's default). */
    public static Map<String, float[]> randomMask(String model, int classes, double density, long seed) {
        Random random = new Random(seed);
        Map<String, float[]> values = new LinkedHashMap<>();
        for (StateDictTable.Entry entry : StateDictTable.of(model, classes).prunable()) {
            float[] v = new float[Math.toIntExact(entry.elementCount())];
            for (int i = 0; i < v.length; i++) {
                v[i] = random.nextDouble() < density ? 1f : 0f;
            }
            v[0] = 1f; // never an empty layer
            values.put(entry.name(), v);
        }
        return values;
    }

    public static byte[] asF32(String model, int classes, Map<String, float[]> values) {
        List<Tensor> tensors = new ArrayList<>();
        values.forEach((name, v) -> tensors.add(Tensor.ofFloats(name, shape(model, classes, name), v)));
        return SafeTensorsWriter.toBytes(new SafeTensors(Map.of(), tensors));
    }

    static byte[] asBool(String model, int classes, Map<String, float[]> values) {
        List<Tensor> tensors = new ArrayList<>();
        values.forEach((name, v) -> {
            byte[] bits = new byte[v.length];
            for (int i = 0; i < v.length; i++) {
                bits[i] = (byte) (v[i] == 1f ? 1 : 0);
            }
            tensors.add(Tensor.ofBytes(name, DType.BOOL, shape(model, classes, name), bits));
        });
        return SafeTensorsWriter.toBytes(new SafeTensors(Map.of(), tensors));
    }

    /** Every value as F16 (0x3C00 is 1.0). */
    static byte[] asF16(String model, int classes, Map<String, float[]> values) {
        List<Tensor> tensors = new ArrayList<>();
        values.forEach((name, v) -> {
            ByteBuffer buffer = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float x : v) {
                buffer.putShort(x == 1f ? (short) 0x3C00 : 0);
            }
            tensors.add(new Tensor(name, DType.F16, shape(model, classes, name), buffer.array()));
        });
        return SafeTensorsWriter.toBytes(new SafeTensors(Map.of(), tensors));
    }

    /** A whole state_dict of random finite values. */
    public static byte[] weights(String model, int classes, long seed) {
        Random random = new Random(seed);
        List<Tensor> tensors = new ArrayList<>();
        for (StateDictTable.Entry entry : StateDictTable.of(model, classes).entries()) {
            int n = Math.toIntExact(entry.elementCount());
            if (entry.dtype() == DType.I64) {
                tensors.add(Tensor.ofLongs(entry.name(), entry.shape(), new long[n]));
            } else {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (float) random.nextGaussian() * 0.05f;
                }
                tensors.add(Tensor.ofFloats(entry.name(), entry.shape(), v));
            }
        }
        return SafeTensorsWriter.toBytes(new SafeTensors(Map.of("format", "pt"), tensors));
    }

    static long[] shape(String model, int classes, String name) {
        return StateDictTable.of(model, classes).entry(name).map(StateDictTable.Entry::shape)
                .orElseThrow(() -> new IllegalArgumentException(name));
    }

    static long kept(Map<String, float[]> values) {
        long n = 0;
        for (float[] v : values.values()) {
            for (float x : v) {
                n += x == 1f ? 1 : 0;
            }
        }
        return n;
    }
}
