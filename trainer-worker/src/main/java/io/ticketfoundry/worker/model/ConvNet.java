package io.ticketfoundry.worker.model;

import ai.djl.ndarray.types.Shape;

/**
 * Frankle &amp; Carbin's Conv-2, Conv-4 and Conv-6 for 3×32×32 images: 1, 2 or 3 blocks of two 3×3
 * convolutions (padding 1, ReLU) and a 2×2 max pool, with 64, 128, 256 filters per block, then
 * fully connected 256, 256, classes. Reference definition: {@code ConvNet} in docs/models.md.
 * Default init: Gaussian Glorot (Xavier normal), as in the paper.
 */
public final class ConvNet extends LayeredModel {

    private static final int[] WIDTHS = {64, 128, 256};

    private final int blocks;

    public ConvNet(int depth, int numClasses) {
        super("conv-" + depth, new Shape(3, 32, 32), numClasses);
        if (depth != 2 && depth != 4 && depth != 6) {
            throw new IllegalArgumentException("Conv-" + depth + " is not one of Conv-2, Conv-4, Conv-6");
        }
        this.blocks = depth / 2;
    }

    @Override
    protected void define(Layers l) {
        int in = 3;
        int conv = 1;
        for (int b = 0; b < blocks; b++) {
            int width = WIDTHS[b];
            l.conv("conv" + conv++, in, width, 3, 1, 1, true);
            l.relu();
            l.convDropout();
            l.conv("conv" + conv++, width, width, 3, 1, 1, true);
            l.relu();
            l.convDropout();
            l.maxPool(2, 2, 0);
            in = width;
        }
        int side = 32 >> blocks;
        l.flatten();
        l.linear("fc1", in * side * side, 256);
        l.relu();
        l.hiddenDropout();
        l.linear("fc2", 256, 256);
        l.relu();
        l.hiddenDropout();
        l.linear("fc3", 256, numClasses());
    }

    @Override
    public InitScheme defaultInitScheme() {
        return InitScheme.GLOROT_NORMAL;
    }
}
