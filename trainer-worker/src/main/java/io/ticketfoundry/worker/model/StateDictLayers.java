package io.ticketfoundry.worker.model;

import io.ticketfoundry.common.safetensors.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Reads an architecture as its state_dict listing: parameters, buffers, and their order. */
final class StateDictLayers implements Layers {

    final List<ParameterSpec> parameters = new ArrayList<>();
    final List<BufferSpec> buffers = new ArrayList<>();
    final List<String> order = new ArrayList<>();

    @Override
    public void conv(String name, int in, int out, int kernel, int stride, int padding, boolean bias) {
        int fanIn = in * kernel * kernel;
        add(new ParameterSpec(name + ".weight", new long[] {out, in, kernel, kernel}, true, fanIn));
        if (bias) {
            add(new ParameterSpec(name + ".bias", new long[] {out}, false, fanIn));
        }
    }

    @Override
    public void batchNorm(String name, int channels) {
        add(new ParameterSpec(name + ".weight", new long[] {channels}, false, channels, ParameterSpec.Kind.NORM_WEIGHT));
        add(new ParameterSpec(name + ".bias", new long[] {channels}, false, channels, ParameterSpec.Kind.NORM_BIAS));
        add(new BufferSpec(name + ".running_mean", new long[] {channels}, DType.F32, 0));
        add(new BufferSpec(name + ".running_var", new long[] {channels}, DType.F32, 1));
        add(new BufferSpec(name + ".num_batches_tracked", new long[0], DType.I64, 0));
    }

    @Override
    public void linear(String name, int in, int out) {
        add(new ParameterSpec(name + ".weight", new long[] {out, in}, true, in));
        add(new ParameterSpec(name + ".bias", new long[] {out}, false, in));
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

    private void add(ParameterSpec spec) {
        parameters.add(spec);
        order.add(spec.name());
    }

    private void add(BufferSpec spec) {
        buffers.add(spec);
        order.add(spec.name());
    }
}
