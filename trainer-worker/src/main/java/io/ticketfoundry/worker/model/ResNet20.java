package io.ticketfoundry.worker.model;

import ai.djl.ndarray.types.Shape;

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

    private static final int[] WIDTHS = {16, 32, 64};
    private static final int BLOCKS_PER_STAGE = 3;

    public ResNet20(int numClasses) {
        super(NAME, new Shape(3, 32, 32), numClasses);
    }

    @Override
    protected void define(Layers l) {
        l.conv("conv", 3, WIDTHS[0], 3, 1, 1, false);
        l.batchNorm("bn", WIDTHS[0]);
        l.relu();
        int in = WIDTHS[0];
        int index = 0;
        for (int stage = 0; stage < WIDTHS.length; stage++) {
            for (int b = 0; b < BLOCKS_PER_STAGE; b++) {
                int out = WIDTHS[stage];
                boolean downsample = stage > 0 && b == 0;
                int stride = downsample ? 2 : 1;
                String p = "blocks." + index++;
                int fIn = in;
                l.residual(main -> {
                    main.conv(p + ".conv1", fIn, out, 3, stride, 1, false);
                    main.batchNorm(p + ".bn1", out);
                    main.relu();
                    main.conv(p + ".conv2", out, out, 3, 1, 1, false);
                    main.batchNorm(p + ".bn2", out);
                }, downsample || fIn != out ? shortcut -> {
                    shortcut.conv(p + ".shortcut.0", fIn, out, 1, 2, 0, false);
                    shortcut.batchNorm(p + ".shortcut.1", out);
                } : null);
                l.convDropout();
                in = out;
            }
        }
        l.globalAvgPool();
        l.flatten();
        l.linear("fc", WIDTHS[2], numClasses());
    }
}
