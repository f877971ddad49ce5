package io.ticketfoundry.common.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A named tensor held in memory as its raw little-endian, row-major bytes, exactly as stored in a
 * safetensors file.
 */
public final class Tensor {

    private final String name;
    private final DType dtype;
    private final long[] shape;
    private final byte[] data;

    public Tensor(String name, DType dtype, long[] shape, byte[] data) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("tensor name must not be empty");
        }
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(shape));
            }
        }
        long expected = Math.multiplyExact(elementCount(shape), (long) dtype.byteSize());
        if (expected != data.length) {
            throw new IllegalArgumentException(name + ": " + dtype + " " + Arrays.toString(shape) + " needs "
                    + expected + " bytes, got " + data.length);
        }
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
    }

    public static Tensor ofFloats(String name, long[] shape, float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return new Tensor(name, DType.F32, shape, buffer.array());
    }

    public static Tensor ofLongs(String name, long[] shape, long[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asLongBuffer().put(values);
        return new Tensor(name, DType.I64, shape, buffer.array());
    }

    /** A U8 tensor (or BOOL, with {@code dtype}) whose bytes are {@code values} as given. */
    public static Tensor ofBytes(String name, DType dtype, long[] shape, byte[] values) {
        if (dtype.byteSize() != 1) {
            throw new IllegalArgumentException(dtype + " is not a one-byte dtype");
        }
        return new Tensor(name, dtype, shape, values.clone());
    }

    public static long elementCount(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    public String name() {
        return name;
    }

    public DType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        return elementCount(shape);
    }

    /** The raw bytes, not copied: callers must not modify them. */
    public byte[] rawData() {
        return data;
    }

    public float[] toFloatArray() {
        requireDtype(DType.F32);
        float[] values = new float[data.length / Float.BYTES];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    public long[] toLongArray() {
        requireDtype(DType.I64);
        long[] values = new long[data.length / Long.BYTES];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(values);
        return values;
    }

    /** The elements of a U8 or BOOL tensor. */
    public byte[] toByteArray() {
        if (dtype != DType.U8 && dtype != DType.BOOL) {
            throw new IllegalStateException(name + " is " + dtype + ", not U8 or BOOL");
        }
        return data.clone();
    }

    private void requireDtype(DType expected) {
        if (dtype != expected) {
            throw new IllegalStateException(name + " is " + dtype + ", not " + expected);
        }
    }

    @Override
    public String toString() {
        return name + "{" + dtype + " " + Arrays.toString(shape) + "}";
    }
}
