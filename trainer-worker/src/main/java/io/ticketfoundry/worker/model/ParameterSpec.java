package io.ticketfoundry.worker.model;

import java.util.Arrays;

/**
 * One parameter tensor of a model as the PyTorch reference names it ({@code fc1.weight}).
 * {@code prunable} is true for Linear and Conv weights only; {@code fanIn} feeds the init.
 */
public record ParameterSpec(String name, long[] shape, boolean prunable, int fanIn) {

    public ParameterSpec {
        shape = shape.clone();
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
        return o instanceof ParameterSpec p && name.equals(p.name) && Arrays.equals(shape, p.shape)
                && prunable == p.prunable && fanIn == p.fanIn;
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
