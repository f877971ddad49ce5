package io.ticketfoundry.worker.model;

import io.ticketfoundry.common.safetensors.DType;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Values of a model's whole {@code state_dict} by reference name: every parameter as float[],
 * F32 buffers (BatchNorm running mean/var) as float[], and I64 buffers (BatchNorm's
 * {@code num_batches_tracked}, a scalar) as long[] of length 1.
 */
public final class Weights {

    private final List<ParameterSpec> specs;
    private final List<BufferSpec> buffers;
    private final Map<String, float[]> values;
    private final Map<String, long[]> longs;
    private final List<String> order;

    private Weights(List<ParameterSpec> specs, List<BufferSpec> buffers, List<String> order,
            Map<String, float[]> values, Map<String, long[]> longs) {
        this.specs = List.copyOf(specs);
        this.order = List.copyOf(order);
        this.buffers = List.copyOf(buffers);
        this.values = values;
        this.longs = longs;
    }

    /**
     * Every parameter from {@code values}; a buffer given there (F32 ones only) is taken, one not
     * given starts fresh (running mean 0, running var 1, counter 0). Names and sizes are checked;
     * the arrays are taken over, not copied.
     */
    public static Weights of(ModelDefinition definition, Map<String, float[]> values) {
        return of(definition, values, Map.of(), true);
    }

    /** Every parameter and F32 buffer from {@code floats}, every I64 buffer from {@code longs}. */
    public static Weights of(ModelDefinition definition, Map<String, float[]> floats, Map<String, long[]> longs) {
        return of(definition, floats, longs, false);
    }

    private static Weights of(ModelDefinition definition, Map<String, float[]> floats, Map<String, long[]> longs,
            boolean freshBuffers) {
        Map<String, float[]> orderedFloats = new LinkedHashMap<>();
        Map<String, long[]> orderedLongs = new LinkedHashMap<>();
        for (ParameterSpec spec : definition.parameters()) {
            orderedFloats.put(spec.name(), require(spec.name(), floats.get(spec.name()), spec.size()));
        }
        for (BufferSpec buffer : definition.buffers()) {
            if (buffer.dtype() == DType.F32) {
                float[] v = floats.get(buffer.name());
                if (v == null && freshBuffers) {
                    v = new float[buffer.size()];
                    Arrays.fill(v, (float) buffer.initialValue());
                }
                orderedFloats.put(buffer.name(), require(buffer.name(), v, buffer.size()));
            } else {
                long[] v = longs.get(buffer.name());
                if (v == null && freshBuffers) {
                    v = new long[buffer.size()];
                    Arrays.fill(v, (long) buffer.initialValue());
                }
                if (v == null) {
                    throw new IllegalArgumentException("missing values for " + buffer.name());
                }
                if (v.length != buffer.size()) {
                    throw new IllegalArgumentException(buffer.name() + ": expected " + buffer.size() + " values, got "
                            + v.length);
                }
                orderedLongs.put(buffer.name(), v);
            }
        }
        if (!orderedFloats.keySet().containsAll(floats.keySet()) || !orderedLongs.keySet().containsAll(longs.keySet())) {
            List<String> extra = new java.util.ArrayList<>();
            floats.keySet().stream().filter(k -> !orderedFloats.containsKey(k)).forEach(extra::add);
            longs.keySet().stream().filter(k -> !orderedLongs.containsKey(k)).forEach(extra::add);
            throw new IllegalArgumentException("unknown tensors for " + definition.name() + ": " + extra);
        }
        return new Weights(definition.parameters(), definition.buffers(), definition.stateDictOrder(), orderedFloats,
                orderedLongs);
    }

    private static float[] require(String name, float[] v, int size) {
        if (v == null) {
            throw new IllegalArgumentException("missing values for " + name);
        }
        if (v.length != size) {
            throw new IllegalArgumentException(name + ": expected " + size + " values, got " + v.length);
        }
        return v;
    }

    /** The trainable parameters, in state_dict order. */
    public List<ParameterSpec> specs() {
        return specs;
    }

    /** Every tensor name, parameters and buffers, in the reference's state_dict order. */
    public List<String> stateDictOrder() {
        return order;
    }

    /** The buffers, in state_dict order. */
    public List<BufferSpec> buffers() {
        return buffers;
    }

    /**
     * The live array of a parameter or F32 buffer; callers that keep it must not share the Weights.
     */
    public float[] values(String name) {
        float[] v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no F32 tensor " + name + "; have " + values.keySet());
        }
        return v;
    }

    /** The live array of an I64 buffer (length 1 for a scalar). */
    public long[] longValues(String name) {
        long[] v = longs.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no I64 tensor " + name + "; have " + longs.keySet());
        }
        return v;
    }

    /** Parameters and F32 buffers. */
    public Map<String, float[]> asMap() {
        return Collections.unmodifiableMap(values);
    }

    /** I64 buffers. */
    public Map<String, long[]> longsAsMap() {
        return Collections.unmodifiableMap(longs);
    }

    /** A deep copy: parameters and buffers. */
    public Weights copy() {
        Map<String, float[]> copied = new LinkedHashMap<>();
        values.forEach((k, v) -> copied.put(k, v.clone()));
        Map<String, long[]> copiedLongs = new LinkedHashMap<>();
        longs.forEach((k, v) -> copiedLongs.put(k, v.clone()));
        return new Weights(specs, buffers, order, copied, copiedLongs);
    }

    /** Same tensors with bit-identical values (floats compared by their bits). */
    public boolean bitEquals(Weights other) {
        if (!values.keySet().equals(other.values.keySet()) || !longs.keySet().equals(other.longs.keySet())) {
            return false;
        }
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            if (!Arrays.equals(e.getValue(), other.values.get(e.getKey()))) {
                return false;
            }
        }
        for (Map.Entry<String, long[]> e : longs.entrySet()) {
            if (!Arrays.equals(e.getValue(), other.longs.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    void requireMatches(ModelDefinition definition) {
        if (!specs.equals(definition.parameters()) || !buffers.equals(definition.buffers())) {
            throw new IllegalArgumentException("weights do not belong to model " + definition.name());
        }
    }
}
