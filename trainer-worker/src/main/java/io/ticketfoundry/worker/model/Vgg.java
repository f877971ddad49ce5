package io.ticketfoundry.worker.model;

import ai.djl.ndarray.types.Shape;
import io.ticketfoundry.common.model.Architectures;
import io.ticketfoundry.common.model.Layers;

/**
 * open_lth's {@code cifar_vgg_N} for 3×32×32 images: 3×3 conv (bias) → BatchNorm → ReLU modules
 * and 2×2 max pools as in the plan, a 2×2 average pool, and one Linear(512, classes). Module paths
 * {@code layers.<i>.conv}, {@code layers.<i>.bn} count the pools too ({@code nn.Sequential}
 * indices), and {@code fc}. Reference definition: {@code CifarVGG} in docs/models.md. Default init:
 * open_lth's ({@code kaiming_normal}, BatchNorm {@code uniform}).
 */
public final class Vgg extends LayeredModel {

    private final int depth;

    public Vgg(int depth, int numClasses) {
        super("vgg-" + depth, new Shape(3, 32, 32), numClasses);
        if (depth != 11 && depth != 13 && depth != 16 && depth != 19) {
            throw new IllegalArgumentException("VGG-" + depth + " is not one of 11, 13, 16, 19");
        }
        this.depth = depth;
    }

    @Override
    protected void define(Layers l) {
        Architectures.vgg(l, depth, numClasses());
    }
}
