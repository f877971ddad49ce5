package io.ticketfoundry.worker.prune;

import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ParameterSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which prunable weights survive: for every prunable tensor of a model, one byte per weight,
 * 1 = kept, 0 = pruned. Always covers exactly the model's prunable tensors, with their shapes.
 * Immutable.
 */
public final class Mask {

    private final ModelDefinition model;
    private final Map<String, byte[]> values;

    private Mask(ModelDefinition model, Map<String, byte[]> values) {
        this.model = model;
        this.values = values;
    }

    public static Mask allOnes(ModelDefinition model) {
        Map<String, byte[]> values = new LinkedHashMap<>();
        for (ParameterSpec spec : model.prunableParameters()) {
            byte[] ones = new byte[spec.size()];
            Arrays.fill(ones, (byte) 1);
            values.put(spec.name(), ones);
        }
        return new Mask(model, values);
    }

    /**
     * Validates names (exactly the prunable tensors), sizes and values (0 or 1). The arrays are copied.
     */
    public static Mask of(ModelDefinition model, Map<String, byte[]> values) {
        Set<String> expected = new java.util.LinkedHashSet<>();
        model.prunableParameters().forEach(p -> expected.add(p.name()));
        if (!values.keySet().equals(expected)) {
            throw new IllegalArgumentException("mask tensors " + values.keySet() + " must be exactly the prunable tensors "
                    + expected + " of " + model.name());
        }
        Map<String, byte[]> copied = new LinkedHashMap<>();
        for (ParameterSpec spec : model.prunableParameters()) {
            byte[] v = values.get(spec.name());
            if (v.length != spec.size()) {
                throw new IllegalArgumentException("mask " + spec.name() + ": expected " + spec.size()
                        + " entries for shape " + Arrays.toString(spec.shape()) + ", got " + v.length);
            }
            for (int i = 0; i < v.length; i++) {
                if (v[i] != 0 && v[i] != 1) {
                    throw new IllegalArgumentException("mask " + spec.name() + ": value " + v[i] + " at flat index " + i
                            + " is neither 0 nor 1");
                }
            }
            copied.put(spec.name(), v.clone());
        }
        return new Mask(model, copied);
    }

    public ModelDefinition model() {
        return model;
    }

    public List<String> names() {
        return List.copyOf(values.keySet());
    }

    /** A copy of the 0/1 values of {@code name}. */
    public byte[] values(String name) {
        return raw(name).clone();
    }

    public boolean kept(String name, int flatIndex) {
        return raw(name)[flatIndex] != 0;
    }

    public long remaining(String name) {
        long count = 0;
        for (byte b : raw(name)) {
            count += b;
        }
        return count;
    }

    public long total(String name) {
        return raw(name).length;
    }

    public long remaining() {
        return values.keySet().stream().mapToLong(this::remaining).sum();
    }

    public long total() {
        return values.values().stream().mapToLong(v -> v.length).sum();
    }

    /** Kept and total weights of every prunable tensor, in the model's order: a ticket's per-layer densities. */
    public java.util.Map<String, io.ticketfoundry.common.protocol.LayerDensity> layerDensities() {
        java.util.Map<String, io.ticketfoundry.common.protocol.LayerDensity> layers = new java.util.LinkedHashMap<>();
        for (io.ticketfoundry.worker.model.ParameterSpec p : model().prunableParameters()) {
            layers.put(p.name(), new io.ticketfoundry.common.protocol.LayerDensity(total(p.name()), remaining(p.name())));
        }
        return layers;
    }

    /** Every parameter of the model (biases, BatchNorm, ignored tensors included) that this mask keeps. */
    public long remainingParameters() {
        return model().totalParameterCount() - (total() - remaining());
    }

    public boolean isDense(String name) {
        return remaining(name) == total(name);
    }

    /** 1.0 for kept weights and 0.0 for pruned ones, for multiplying into float tensors. */
    public float[] asFloats(String name) {
        byte[] v = raw(name);
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = v[i];
        }
        return f;
    }

    byte[] raw(String name) {
        byte[] v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("mask has no tensor " + name + "; has " + values.keySet());
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Mask other) || !values.keySet().equals(other.values.keySet())) {
            return false;
        }
        return values.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), other.values.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return values.entrySet().stream().mapToInt(e -> e.getKey().hashCode() ^ Arrays.hashCode(e.getValue())).sum();
    }
}
