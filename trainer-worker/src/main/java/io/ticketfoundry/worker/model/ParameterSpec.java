package io.ticketfoundry.worker.model;

import java.util.Arrays;

/**
 * One trainable parameter tensor of a model as the PyTorch reference names it ({@code fc1.weight}).
 * {@code prunable} is true for Linear and Conv weights only; {@code fanIn} feeds the init (for a
 * bias, the fan-in of its layer); {@code kind} tells the initialiser what the tensor is.
 */
public record ParameterSpec(String name, long[] shape, boolean prunable, int fanIn, Kind kind) {

    /** What a parameter is, for initialisation. */
    public enum Kind {
        /** The weight of a Linear ([out, in]) or Conv ([out, in, kh, kw]) layer. */
        WEIGHT,
        /** The bias of a Linear or Conv layer. */
        BIAS,
        /** BatchNorm's scale γ ({@code weight} in PyTorch). */
        NORM_WEIGHT,
        /** BatchNorm's shift β ({@code bias} in PyTorch). */
        NORM_BIAS
    }

    public ParameterSpec {
        shape = shape.clone();
        if (prunable && kind != Kind.WEIGHT) {
            throw new IllegalArgumentException(name + ": only Linear and Conv weights are prunable");
        }
    }

    /** A Linear/Conv weight (prunable) or bias (not prunable). */
    public ParameterSpec(String name, long[] shape, boolean prunable, int fanIn) {
        this(name, shape, prunable, fanIn, prunable ? Kind.WEIGHT : Kind.BIAS);
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

    /** For a weight: out × kh × kw (PyTorch's {@code _calculate_fan_in_and_fan_out}). */
    public int fanOut() {
        long n = shape.length > 0 ? shape[0] : 1;
        for (int i = 2; i < shape.length; i++) {
            n *= shape[i];
        }
        return Math.toIntExact(n);
    }

    /** A weight of rank 4, i.e. of a convolution. */
    public boolean isConvolution() {
        return kind == Kind.WEIGHT && shape.length == 4;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSpec p && name.equals(p.name) && Arrays.equals(shape, p.shape)
                && prunable == p.prunable && fanIn == p.fanIn && kind == p.kind;
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + (prunable ? " prunable" : "");
    }
}
