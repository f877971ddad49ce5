package io.ticketfoundry.worker.model;

import io.ticketfoundry.common.safetensors.DType;
import java.util.Arrays;

/**
 * A non-trainable tensor of a model's {@code state_dict} (a PyTorch buffer), such as BatchNorm's
 * {@code running_mean} and {@code running_var} (F32, shape [C]) and {@code num_batches_tracked}
 * (I64, shape [] — a scalar). {@code initialValue} is the value of every element in a fresh
 * module: 0 for the mean and the counter, 1 for the variance. Never pruned, never trained by the
 * optimizer, but part of every checkpoint and reset by rewinding like the parameters.
 */
public record BufferSpec(String name, long[] shape, DType dtype, double initialValue) {

    public BufferSpec {
        shape = shape.clone();
        if (dtype != DType.F32 && dtype != DType.I64) {
            throw new IllegalArgumentException(name + ": buffers are F32 or I64, not " + dtype);
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int size() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BufferSpec b && name.equals(b.name) && Arrays.equals(shape, b.shape)
                && dtype == b.dtype && Double.compare(initialValue, b.initialValue) == 0;
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + " " + dtype + " buffer";
    }
}
