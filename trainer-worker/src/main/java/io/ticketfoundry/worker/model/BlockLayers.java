package io.ticketfoundry.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import io.ticketfoundry.common.model.Layers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Reads an architecture as a DJL block, recording which DJL tensor holds which reference name. */
final class BlockLayers implements Layers {

    final SequentialBlock block = new SequentialBlock();
    final Map<String, Parameter> tensors;
    final Map<String, BatchNorm2d> norms;

    private final HiddenDropout dropout;

    BlockLayers(HiddenDropout dropout) {
        this(new LinkedHashMap<>(), new LinkedHashMap<>(), dropout);
    }

    private BlockLayers(Map<String, Parameter> tensors, Map<String, BatchNorm2d> norms, HiddenDropout dropout) {
        this.tensors = tensors;
        this.norms = norms;
        this.dropout = dropout;
    }

    @Override
    public void conv(String name, int in, int out, int kernel, int stride, int padding, boolean bias) {
        Conv2d conv = Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding)).setFilters(out).optBias(bias).build();
        block.add(conv);
        put(name + ".weight", conv.getParameters().get("weight"));
        if (bias) {
            put(name + ".bias", conv.getParameters().get("bias"));
        }
    }

    @Override
    public void batchNorm(String name, int channels) {
        BatchNorm2d bn = new BatchNorm2d(channels);
        block.add(bn);
        put(name + ".weight", bn.weight());
        put(name + ".bias", bn.bias());
        put(name + ".running_mean", bn.runningMean());
        put(name + ".running_var", bn.runningVar());
        norms.put(name + ".num_batches_tracked", bn);
    }

    @Override
    public void linear(String name, int in, int out) {
        Linear linear = Linear.builder().setUnits(out).build();
        block.add(linear);
        put(name + ".weight", linear.getParameters().get("weight"));
        put(name + ".bias", linear.getParameters().get("bias"));
    }

    @Override
    public void relu() {
        block.add(Activation.reluBlock());
    }

    @Override
    public void hiddenDropout() {
        if (dropout.rate() > 0) {
            block.add(new SeededDropout(dropout));
        }
    }

    @Override
    public void convDropout() {
        if (dropout.rate() > 0 && dropout.convBlocks()) {
            block.add(new SeededDropout(dropout));
        }
    }

    @Override
    public void maxPool(int kernel, int stride, int padding) {
        block.add(Pool.maxPool2dBlock(new Shape(kernel, kernel), new Shape(stride, stride), new Shape(padding, padding)));
    }

    @Override
    public void avgPool(int kernel) {
        block.add(Pool.avgPool2dBlock(new Shape(kernel, kernel), new Shape(kernel, kernel)));
    }

    @Override
    public void globalAvgPool() {
        block.add(Pool.globalAvgPool2dBlock());
    }

    @Override
    public void flatten() {
        block.add(Blocks.batchFlattenBlock());
    }

    @Override
    public void residual(Consumer<Layers> main, Consumer<Layers> shortcut) {
        BlockLayers mainPath = new BlockLayers(tensors, norms, dropout);
        main.accept(mainPath);
        BlockLayers shortcutPath = new BlockLayers(tensors, norms, dropout);
        if (shortcut != null) {
            shortcut.accept(shortcutPath);
        } else {
            shortcutPath.block.add(Blocks.identityBlock());
        }
        block.add(new ParallelBlock(BlockLayers::addThenRelu, List.of(mainPath.block, shortcutPath.block)));
    }

    private static NDList addThenRelu(List<NDList> paths) {
        NDArray sum = paths.get(0).singletonOrThrow().add(paths.get(1).singletonOrThrow());
        return new NDList(Activation.relu(sum));
    }

    private void put(String name, Parameter parameter) {
        if (parameter == null || tensors.put(name, parameter) != null) {
            throw new IllegalStateException("tensor " + name + " is missing or declared twice");
        }
    }
}
