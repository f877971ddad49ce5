package io.ticketfoundry.worker.model;

import ai.djl.ndarray.types.Shape;
import io.ticketfoundry.common.model.Architectures;
import io.ticketfoundry.common.model.Layers;

/**
 * torchvision's {@code resnet18}, names and all ({@code conv1}, {@code bn1},
 * {@code layer<1-4>.<0-1>.conv1/bn1/conv2/bn2}, {@code layer<2-4>.0.downsample.0/1}, {@code fc}),
 * with one of two stems:
 * <ul>
 *   <li>{@code resnet-18}: the CIFAR stem, a 3×3 stride-1 {@code conv1} and no max pool, for 3×32×32
 *       inputs (Calibrate-and-Prune's ResNet-18/CIFAR-10);
 *   <li>{@code resnet-18-imagenet-stem}: torchvision's own 7×7 stride-2 {@code conv1} and 3×3
 *       stride-2 max pool, for 3×224×224 inputs; with global average pooling it also runs on
 *       3×32×32 (the last stage sees 1×1).
 * </ul>
 * Default init: torchvision's (convs Kaiming normal fan_out, BN γ=1 β=0, {@code fc} PyTorch's
 * default uniform).
 */
public final class ResNet18 extends LayeredModel {

    public static final String CIFAR_NAME = "resnet-18";
    public static final String IMAGENET_NAME = "resnet-18-imagenet-stem";

    private final boolean imagenetStem;

    public ResNet18(boolean imagenetStem, int numClasses) {
        super(imagenetStem ? IMAGENET_NAME : CIFAR_NAME,
                imagenetStem ? new Shape(3, 224, 224) : new Shape(3, 32, 32), numClasses);
        this.imagenetStem = imagenetStem;
    }

    @Override
    protected void define(Layers l) {
        Architectures.resnet18(l, imagenetStem, numClasses());
    }

    @Override
    public InitScheme defaultInitScheme() {
        return InitScheme.TORCHVISION_RESNET;
    }
}
