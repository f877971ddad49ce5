package io.ticketfoundry.common.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Every architecture, written once in the {@link Layers} vocabulary and read by the API (the
 * state_dict a mask or checkpoint must match, {@link StateDictTable}) and by the worker (the
 * tensors it trains and the DJL block it builds). The output layer is sized by the number of
 * classes it is built for (open_lth's {@code outputs}). Reference PyTorch definitions are in
 * docs/models.md.
 */
public final class Architectures {

    private static final int M = 0; // a max pool in a VGG plan

    private static final Map<String, BiConsumer<Layers, Integer>> PROGRAMS = programs();

    private Architectures() {
    }

    /** Declares {@code model} built for {@code numClasses} outputs on {@code layers}. */
    public static void define(String model, int numClasses, Layers layers) {
        BiConsumer<Layers, Integer> program = PROGRAMS.get(model);
        if (program == null) {
            throw new IllegalArgumentException("unknown model \"" + model + "\"; known: " + PROGRAMS.keySet());
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be positive, is " + numClasses);
        }
        program.accept(layers, numClasses);
    }

    /** The architecture names, in catalogue order. */
    public static Set<String> names() {
        return PROGRAMS.keySet();
    }

    /**
     * LeNet-300-100 (Frankle &amp; Carbin; open_lth's {@code mnist_lenet_300_100}, renamed) on
     * 1×28×28 images, which it flattens itself.
     */
    public static void lenet300100(Layers l, int numClasses) {
        l.flatten();
        l.linear("fc1", 28 * 28, 300);
        l.relu();
        l.hiddenDropout();
        l.linear("fc2", 300, 100);
        l.relu();
        l.hiddenDropout();
        l.linear("fc3", 100, numClasses);
    }

    /**
     * LeNet-5 (LeCun et al. 1998) for 1×28×28 images in its common modern form: 5×5 convolutions
     * with 6 and 16 filters (the first padded by 2, so 28×28 works like the original 32×32), ReLU,
     * 2×2 max pooling, then 400 → 120 → 84 → classes.
     */
    public static void lenet5(Layers l, int numClasses) {
        l.conv("conv1", 1, 6, 5, 1, 2, true);
        l.relu();
        l.convDropout();
        l.maxPool(2, 2, 0);
        l.conv("conv2", 6, 16, 5, 1, 0, true);
        l.relu();
        l.convDropout();
        l.maxPool(2, 2, 0);
        l.flatten();
        l.linear("fc1", 16 * 5 * 5, 120);
        l.relu();
        l.hiddenDropout();
        l.linear("fc2", 120, 84);
        l.relu();
        l.hiddenDropout();
        l.linear("fc3", 84, numClasses);
    }

    /**
     * Frankle &amp; Carbin's Conv-2, Conv-4 and Conv-6 for 3×32×32 images: 1, 2 or 3 blocks of two
     * 3×3 convolutions (padding 1, ReLU) and a 2×2 max pool, with 64, 128, 256 filters per block,
     * then fully connected 256, 256, classes.
     */
    public static void convNet(Layers l, int depth, int numClasses) {
        if (depth != 2 && depth != 4 && depth != 6) {
            throw new IllegalArgumentException("Conv-" + depth + " is not one of Conv-2, Conv-4, Conv-6");
        }
        int[] widths = {64, 128, 256};
        int blocks = depth / 2;
        int in = 3;
        int conv = 1;
        for (int b = 0; b < blocks; b++) {
            int width = widths[b];
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
        l.linear("fc3", 256, numClasses);
    }

    /**
     * open_lth's {@code cifar_vgg_N} for 3×32×32 images: 3×3 conv (bias) → BatchNorm → ReLU
     * modules and 2×2 max pools as in the plan, a 2×2 average pool, and one Linear(512, classes).
     * Module paths {@code layers.<i>.conv}, {@code layers.<i>.bn} count the pools too
     * ({@code nn.Sequential} indices), and {@code fc}.
     */
    public static void vgg(Layers l, int depth, int numClasses) {
        List<Integer> plan = switch (depth) {
            case 11 -> List.of(64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512);
            case 13 -> List.of(64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512);
            case 16 -> List.of(64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512);
            case 19 -> List.of(64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M,
                    512, 512, 512, 512);
            default -> throw new IllegalArgumentException("VGG-" + depth + " is not one of 11, 13, 16, 19");
        };
        int in = 3;
        for (int i = 0; i < plan.size(); i++) {
            int width = plan.get(i);
            if (width == M) {
                l.maxPool(2, 2, 0);
            } else {
                l.conv("layers." + i + ".conv", in, width, 3, 1, 1, true);
                l.batchNorm("layers." + i + ".bn", width);
                l.relu();
                l.convDropout();
                in = width;
            }
        }
        l.avgPool(2);
        l.flatten();
        l.linear("fc", 512, numClasses);
    }

    /**
     * open_lth's {@code cifar_resnet_20} for 3×32×32 images: a 3×3 conv (16) → BN → ReLU stem,
     * three stages of three basic blocks with 16, 32, 64 filters (the first block of stages 2 and
     * 3 has stride 2 and a 1×1 conv + BN projection shortcut), global average pooling and
     * Linear(64, classes). Module paths {@code conv}, {@code bn},
     * {@code blocks.<i>.conv1/bn1/conv2/bn2}, {@code blocks.<i>.shortcut.0/1}, {@code fc}.
     */
    public static void resnet20(Layers l, int numClasses) {
        int[] widths = {16, 32, 64};
        l.conv("conv", 3, widths[0], 3, 1, 1, false);
        l.batchNorm("bn", widths[0]);
        l.relu();
        int in = widths[0];
        int index = 0;
        for (int stage = 0; stage < widths.length; stage++) {
            for (int b = 0; b < 3; b++) {
                int out = widths[stage];
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
        l.linear("fc", widths[2], numClasses);
    }

    /**
     * torchvision's {@code resnet18}, names and all ({@code conv1}, {@code bn1},
     * {@code layer<1-4>.<0-1>.conv1/bn1/conv2/bn2}, {@code layer<2-4>.0.downsample.0/1},
     * {@code fc}), with the CIFAR stem (a 3×3 stride-1 {@code conv1}, no max pool) or torchvision's
     * own 7×7 stride-2 {@code conv1} and 3×3 stride-2 max pool.
     */
    public static void resnet18(Layers l, boolean imagenetStem, int numClasses) {
        int[] widths = {64, 128, 256, 512};
        if (imagenetStem) {
            l.conv("conv1", 3, 64, 7, 2, 3, false);
        } else {
            l.conv("conv1", 3, 64, 3, 1, 1, false);
        }
        l.batchNorm("bn1", 64);
        l.relu();
        if (imagenetStem) {
            l.maxPool(3, 2, 1);
        }
        int in = 64;
        for (int stage = 0; stage < widths.length; stage++) {
            int out = widths[stage];
            for (int b = 0; b < 2; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                String p = "layer" + (stage + 1) + "." + b;
                int fIn = in;
                l.residual(main -> {
                    main.conv(p + ".conv1", fIn, out, 3, stride, 1, false);
                    main.batchNorm(p + ".bn1", out);
                    main.relu();
                    main.conv(p + ".conv2", out, out, 3, 1, 1, false);
                    main.batchNorm(p + ".bn2", out);
                }, stride != 1 || fIn != out ? shortcut -> {
                    shortcut.conv(p + ".downsample.0", fIn, out, 1, stride, 0, false);
                    shortcut.batchNorm(p + ".downsample.1", out);
                } : null);
                l.convDropout();
                in = out;
            }
        }
        l.globalAvgPool();
        l.flatten();
        l.linear("fc", 512, numClasses);
    }

    private static Map<String, BiConsumer<Layers, Integer>> programs() {
        Map<String, BiConsumer<Layers, Integer>> programs = new LinkedHashMap<>();
        programs.put("lenet-300-100", Architectures::lenet300100);
        programs.put("lenet-5", Architectures::lenet5);
        for (int depth : new int[] {2, 4, 6}) {
            programs.put("conv-" + depth, (l, classes) -> convNet(l, depth, classes));
        }
        for (int depth : new int[] {11, 13, 16, 19}) {
            programs.put("vgg-" + depth, (l, classes) -> vgg(l, depth, classes));
        }
        programs.put("resnet-20", Architectures::resnet20);
        programs.put("resnet-18", (l, classes) -> resnet18(l, false, classes));
        programs.put("resnet-18-imagenet-stem", (l, classes) -> resnet18(l, true, classes));
        return java.util.Collections.unmodifiableMap(programs);
    }
}
