package io.ticketfoundry.worker.model;

import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * open_lth's {@code cifar_vgg_N} for 3×32×32 images: 3×3 conv (bias) → BatchNorm → ReLU modules
 * and 2×2 max pools as in the plan, a 2×2 average pool, and one Linear(512, classes). Module paths
 * {@code layers.<i>.conv}, {@code layers.<i>.bn} count the pools too ({@code nn.Sequential}
 * indices), and {@code fc}. Reference definition: {@code CifarVGG} in docs/models.md. Default init:
 * open_lth's ({@code kaiming_normal}, BatchNorm {@code uniform}).
 */
public final class Vgg extends LayeredModel {

    private static final int M = 0;

    private final List<Integer> plan;

    public Vgg(int depth, int numClasses) {
        super("vgg-" + depth, new Shape(3, 32, 32), numClasses);
        plan = switch (depth) {
            case 11 -> List.of(64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512);
            case 13 -> List.of(64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512);
            case 16 -> List.of(64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512);
            case 19 -> List.of(64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M,
                    512, 512, 512, 512);
            default -> throw new IllegalArgumentException("VGG-" + depth + " is not one of 11, 13, 16, 19");
        };
    }

    @Override
    protected void define(Layers l) {
        int in = 3;
        for (int i = 0; i < plan.size(); i++) {
            int spec = plan.get(i);
            if (spec == M) {
                l.maxPool(2, 2, 0);
            } else {
                l.conv("layers." + i + ".conv", in, spec, 3, 1, 1, true);
                l.batchNorm("layers." + i + ".bn", spec);
                l.relu();
                l.convDropout();
                in = spec;
            }
        }
        l.avgPool(2);
        l.flatten();
        l.linear("fc", 512, numClasses());
    }
}
