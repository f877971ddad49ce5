package io.ticketfoundry.worker.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * torchvision's {@code RandomCrop(size, padding)} followed by {@code RandomHorizontalFlip(0.5)}, on
 * a normalised batch [B, C, H, W]: every example is zero-padded by {@code padding} pixels on each
 * side (zero in pixel space, i.e. {@code -mean[c] / std[c]} after normalisation, as when the crop
 * runs before {@code Normalize}), an H × W window is cut at a random offset in
 * [0, 2·padding] × [0, 2·padding], and mirrored left-right with probability 1/2. The offsets and
 * flips come from a {@link SplittableRandom} seeded with the given seed (B small draws in Java);
 * the pixels never leave the engine: one gather with linear indices builds the whole batch.
 */
public final class RandomCropFlip implements Augmentation {

    private final int padding;
    private final float[] padValues;

    public RandomCropFlip(int padding, float[] mean, float[] std) {
        if (padding < 0 || mean.length != std.length) {
            throw new IllegalArgumentException("padding >= 0 and one mean and std per channel");
        }
        this.padding = padding;
        this.padValues = new float[mean.length];
        for (int c = 0; c < mean.length; c++) {
            padValues[c] = -mean[c] / std[c];
        }
    }

    /** The value padded pixels take in each channel (pixel 0 normalised). */
    public float[] padValues() {
        return padValues.clone();
    }

    @Override
    public NDArray apply(NDArray batch, long seed) {
        Shape shape = batch.getShape();
        if (shape.dimension() != 4 || shape.get(1) != padValues.length) {
            throw new IllegalArgumentException("expected a batch [B, " + padValues.length + ", H, W], got " + shape);
        }
        int b = (int) shape.get(0);
        int c = (int) shape.get(1);
        int h = (int) shape.get(2);
        int w = (int) shape.get(3);
        long ph = h + 2L * padding;
        long pw = w + 2L * padding;
        SplittableRandom random = new SplittableRandom(seed);
        long[] rows = new long[b * h];
        long[] cols = new long[b * w];
        for (int e = 0; e < b; e++) {
            int dy = random.nextInt(2 * padding + 1);
            int dx = random.nextInt(2 * padding + 1);
            boolean flip = random.nextBoolean();
            for (int i = 0; i < h; i++) {
                rows[e * h + i] = dy + i;
            }
            for (int j = 0; j < w; j++) {
                cols[e * w + j] = dx + (flip ? w - 1 - j : j);
            }
        }
        NDManager owner = batch.getManager();
        try (NDManager scratch = owner.newSubManager()) {
            NDArray padded = scratch.zeros(new Shape(b, c, ph, pw), DataType.FLOAT32)
                    .addi(scratch.create(padValues, new Shape(1, c, 1, 1)));
            padded.set(new NDIndex(":, :, {}:{}, {}:{}", padding, padding + h, padding, padding + w), batch);
            long[] starts = new long[b];
            for (int e = 0; e < b; e++) {
                starts[e] = (long) e * c * ph * pw;
            }
            long[] channels = new long[c];
            for (int k = 0; k < c; k++) {
                channels[k] = k * ph * pw;
            }
            NDArray index = scratch.create(starts, new Shape(b, 1, 1, 1))
                    .add(scratch.create(channels, new Shape(1, c, 1, 1)))
                    .add(scratch.create(rows, new Shape(b, 1, h, 1)).mul(pw))
                    .add(scratch.create(cols, new Shape(b, 1, 1, w)));
            NDArray out = padded.take(owner, index.toType(DataType.INT64, false));
            return out;
        }
    }
}
