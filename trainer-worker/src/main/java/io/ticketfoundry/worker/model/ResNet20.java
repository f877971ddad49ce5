package io.ticketfoundry.worker.model;

import ai.djl.ndarray.types.Shape;
import io.ticketfoundry.common.model.Architectures;
import io.ticketfoundry.common.model.Layers;

/**
 * open_lth's {@code cifar_resnet_20} for 3×32×32 images: a 3×3 conv (16) → BN → ReLU stem, three
 * stages of three basic blocks with 16, 32, 64 filters (the first block of stages 2 and 3 has
 * stride 2 and a 1×1 conv + BN projection shortcut), global average pooling and Linear(64, classes).
 * Module paths {@code conv}, {@code bn}, {@code blocks.<i>.conv1/bn1/conv2/bn2},
 * {@code blocks.<i>.shortcut.0/1}, {@code fc}. Reference definition: {@code CifarResNet} in
 * docs/models.md. Default init: open_lth's ({@code kaiming_normal}, BatchNorm {@code uniform}).
 */
public final class ResNet20 extends LayeredModel {

    public static final String NAME = "resnet-20";

    public ResNet20(int numClasses) {
        super(NAME, new Shape(3, 32, 32), numClasses);
    }

    @Override
    protected void define(Layers l) {
        Architectures.resnet20(l, numClasses());
    }
}
