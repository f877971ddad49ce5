package io.ticketfoundry.worker.data;

/**
 * A split as read from its files, before it goes to the engine: {@code count} examples of
 * {@code channels × height × width} unsigned bytes each (channel-major, then rows), and labels.
 */
public record RawImages(byte[] pixels, int[] labels, int channels, int height, int width) {

    public RawImages {
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(labels.length + " examples of " + channels + "x" + height + "x" + width
                    + " need " + expected + " bytes, got " + pixels.length);
        }
    }

    public int count() {
        return labels.length;
    }

    public int exampleSize() {
        return channels * height * width;
    }

    /** The examples at {@code indices}, in that order. */
    public RawImages select(int[] indices) {
        int size = exampleSize();
        byte[] out = new byte[indices.length * size];
        int[] outLabels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(pixels, indices[i] * size, out, i * size, size);
            outLabels[i] = labels[indices[i]];
        }
        return new RawImages(out, outLabels, channels, height, width);
    }

    /** Several parts (e.g. CIFAR-10's five training batches) as one split, in order. */
    public static RawImages concat(java.util.List<RawImages> parts) {
        RawImages first = parts.get(0);
        int total = parts.stream().mapToInt(RawImages::count).sum();
        byte[] pixels = new byte[total * first.exampleSize()];
        int[] labels = new int[total];
        int at = 0;
        for (RawImages part : parts) {
            if (part.channels != first.channels || part.height != first.height || part.width != first.width) {
                throw new IllegalArgumentException("parts of one split differ in example shape");
            }
            System.arraycopy(part.pixels, 0, pixels, at * first.exampleSize(), part.pixels.length);
            System.arraycopy(part.labels, 0, labels, at, part.count());
            at += part.count();
        }
        return new RawImages(pixels, labels, first.channels, first.height, first.width);
    }

    /** Per-channel mean and standard deviation of the pixels scaled to [0, 1]: {mean[], std[]}. */
    public float[][] channelStatistics() {
        float[] mean = new float[channels];
        float[] std = new float[channels];
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            double squares = 0;
            long n = 0;
            for (int e = 0; e < count(); e++) {
                int start = e * exampleSize() + c * plane;
                for (int p = 0; p < plane; p++) {
                    double v = (pixels[start + p] & 0xff) / 255.0;
                    sum += v;
                    squares += v * v;
                }
                n += plane;
            }
            double m = n == 0 ? 0 : sum / n;
            double variance = n == 0 ? 0 : Math.max(0, squares / n - m * m);
            mean[c] = (float) m;
            std[c] = (float) Math.max(Math.sqrt(variance), 1e-3);
        }
        return new float[][] {mean, std};
    }
}
