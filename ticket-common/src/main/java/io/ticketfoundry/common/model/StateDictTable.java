package io.ticketfoundry.common.model;

import io.ticketfoundry.common.safetensors.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A model's {@code state_dict} as its PyTorch reference lists it: every tensor's name, shape and
 * dtype, in order, with what it is. Read from the architecture's {@link Layers} program, so the
 * API (validating masks and checkpoints made elsewhere) and the worker (training) agree by
 * construction.
 */
public final class StateDictTable {

    /** What a tensor of the state_dict is. */
    public enum Role {
        /** The weight of a Linear ([out, in]) or Conv ([out, in, kh, kw]) layer: the prunable tensors. */
        WEIGHT,
        /** The bias of a Linear or Conv layer. */
        BIAS,
        /** BatchNorm's scale γ ({@code weight} in PyTorch). */
        NORM_WEIGHT,
        /** BatchNorm's shift β ({@code bias} in PyTorch). */
        NORM_BIAS,
        /** A buffer: BatchNorm's running statistics and batch counter; never trained or pruned. */
        BUFFER
    }

    /**
     * One tensor. {@code fanIn} is its layer's fan-in (for BatchNorm the channel count, for a
     * buffer 0); {@code initialValue} is a buffer's value in a fresh module (0 for means and
     * counters, 1 for variances; 0 for parameters, which are initialised by scheme).
     */
    public record Entry(String name, long[] shape, DType dtype, Role role, int fanIn, double initialValue) {
        public Entry {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        public boolean prunable() {
            return role == Role.WEIGHT;
        }

        public boolean parameter() {
            return role != Role.BUFFER;
        }

        public long elementCount() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && name.equals(e.name) && Arrays.equals(shape, e.shape) && dtype == e.dtype
                    && role == e.role && fanIn == e.fanIn && initialValue == e.initialValue;
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape) + " " + dtype;
        }
    }

    private final String model;
    private final int numClasses;
    private final List<Entry> entries;
    private final Map<String, Entry> byName;

    private StateDictTable(String model, int numClasses, List<Entry> entries) {
        this.model = model;
        this.numClasses = numClasses;
        this.entries = List.copyOf(entries);
        Map<String, Entry> index = new LinkedHashMap<>();
        for (Entry entry : entries) {
            if (index.put(entry.name(), entry) != null) {
                throw new IllegalStateException(model + " declares " + entry.name() + " twice");
            }
        }
        this.byName = Collections.unmodifiableMap(index);
    }

    /** The state_dict of {@code model} (an {@link Architectures} name) built for {@code numClasses}. */
    public static StateDictTable of(String model, int numClasses) {
        Listing listing = new Listing();
        Architectures.define(model, numClasses, listing);
        return new StateDictTable(model, numClasses, listing.entries);
    }

    /** The state_dict a {@link Layers} program declares (for models outside the catalogue, e.g. in tests). */
    public static StateDictTable read(String model, int numClasses, Consumer<Layers> program) {
        Listing listing = new Listing();
        program.accept(listing);
        return new StateDictTable(model, numClasses, listing.entries);
    }

    public String model() {
        return model;
    }

    public int numClasses() {
        return numClasses;
    }

    /** Every tensor, in the reference's state_dict order. */
    public List<Entry> entries() {
        return entries;
    }

    public Optional<Entry> entry(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The tensors IMP may prune (Linear and Conv weights), in state_dict order: a mask's tensors. */
    public List<Entry> prunable() {
        return entries.stream().filter(Entry::prunable).toList();
    }

    /** The layer producing the logits: the last Linear weight, [numClasses, d]. */
    public Entry outputWeight() {
        List<Entry> weights = prunable();
        return weights.get(weights.size() - 1);
    }

    /** Reads a program as its state_dict listing. */
    private static final class Listing implements Layers {
        private final List<Entry> entries = new ArrayList<>();

        @Override
        public void conv(String name, int in, int out, int kernel, int stride, int padding, boolean bias) {
            int fanIn = in * kernel * kernel;
            entries.add(new Entry(name + ".weight", new long[] {out, in, kernel, kernel}, DType.F32, Role.WEIGHT, fanIn, 0));
            if (bias) {
                entries.add(new Entry(name + ".bias", new long[] {out}, DType.F32, Role.BIAS, fanIn, 0));
            }
        }

        @Override
        public void batchNorm(String name, int channels) {
            long[] shape = {channels};
            entries.add(new Entry(name + ".weight", shape, DType.F32, Role.NORM_WEIGHT, channels, 0));
            entries.add(new Entry(name + ".bias", shape, DType.F32, Role.NORM_BIAS, channels, 0));
            entries.add(new Entry(name + ".running_mean", shape, DType.F32, Role.BUFFER, 0, 0));
            entries.add(new Entry(name + ".running_var", shape, DType.F32, Role.BUFFER, 0, 1));
            entries.add(new Entry(name + ".num_batches_tracked", new long[0], DType.I64, Role.BUFFER, 0, 0));
        }

        @Override
        public void linear(String name, int in, int out) {
            entries.add(new Entry(name + ".weight", new long[] {out, in}, DType.F32, Role.WEIGHT, in, 0));
            entries.add(new Entry(name + ".bias", new long[] {out}, DType.F32, Role.BIAS, in, 0));
        }

        @Override
        public void relu() {
        }

        @Override
        public void hiddenDropout() {
        }

        @Override
        public void convDropout() {
        }

        @Override
        public void maxPool(int kernel, int stride, int padding) {
        }

        @Override
        public void avgPool(int kernel) {
        }

        @Override
        public void globalAvgPool() {
        }

        @Override
        public void flatten() {
        }

        @Override
        public void residual(Consumer<Layers> main, Consumer<Layers> shortcut) {
            main.accept(this);
            if (shortcut != null) {
                shortcut.accept(this);
            }
        }
    }
}
