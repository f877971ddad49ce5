package io.ticketfoundry.common.safetensors;

import java.util.Arrays;

/**
 * One header entry: a tensor's dtype, shape and byte range {@code [begin, end)} relative to the
 * start of the data area.
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long byteLength() {
        return end - begin;
    }

    public long elementCount() {
        return Tensor.elementCount(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo other && name.equals(other.name) && dtype == other.dtype
                && Arrays.equals(shape, other.shape) && begin == other.begin && end == other.end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + "{" + dtype + " " + Arrays.toString(shape) + " [" + begin + "," + end + ")}";
    }
}
