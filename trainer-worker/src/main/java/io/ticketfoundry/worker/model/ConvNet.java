package io.ticketfoundry.worker.model;

import ai.djl.ndarray.types.Shape;
import io.ticketfoundry.common.model.Architectures;
import io.ticketfoundry.common.model.Layers;

/**
 * Frankle &amp; Carbin's Conv-2, Conv-4 and Conv-6 for 3×32×32 images: 1, 2 or 3 blocks of two 3×3
 * convolutions (padding 1, ReLU) and a 2×2 max pool, with 64, 128, 256 filters per block, then
 * fully connected 256, 256, classes. Reference definition: {@code ConvNet} in docs/models.md.
 * Default init: Gaussian Glorot (Xavier normal), as in the paper.
 */
public final class ConvNet extends LayeredModel {

    private final int depth;

    public ConvNet(int depth, int numClasses) {
        super("conv-" + depth, new Shape(3, 32, 32), numClasses);
        if (depth != 2 && depth != 4 && depth != 6) {
            throw new IllegalArgumentException("Conv-" + depth + " is not one of Conv-2, Conv-4, Conv-6");
        }
        this.depth = depth;
    }

    @Override
    protected void define(Layers l) {
        Architectures.convNet(l, depth, numClasses());
    }

    @Override
    public InitScheme defaultInitScheme() {
        return InitScheme.GLOROT_NORMAL;
    }
}
