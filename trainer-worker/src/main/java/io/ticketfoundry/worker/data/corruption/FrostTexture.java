package io.ticketfoundry.worker.data.corruption;

/**
 * A procedural stand-in for the six frost photographs CIFAR-10-C crops its frost layer from: ice
 * needles over a hazy glaze, drawn from the example's random stream.
 *
 * <ol>
 * <li>glaze: a plasma fractal ({@link Filters#plasma}, wibble decay 1.5, on the smallest power of
 * two covering the image, cropped), times 0.45;</li>
 * <li>needles: {@code round(H·W / 12)} straight segments, each from a uniform point, at a uniform
 * angle in [0, π), of uniform length in [2, 7) pixels and uniform brightness in [0.5, 1); a
 * segment sets every pixel it passes (sampled every half pixel) to at least its brightness;
 * then a Gaussian blur of σ = 0.5 (edges repeated) softens them;</li>
 * <li>frost = clip(glaze + needles, 0, 1), tinted pale blue for RGB (× 0.82, 0.90, 1.00 for R, G, B);
 * one-channel images take the untinted texture × 0.887 (the tint's luminance).</li>
 * </ol>
 * On natural images its mean is about 0.4–0.5, like the resized photographs'.
 */
final class FrostTexture {

    static final float[] TINT = {0.82f, 0.90f, 1.00f};
    static final float GREY_TINT = 0.299f * 0.82f + 0.587f * 0.90f + 0.114f * 1.00f;

    private FrostTexture() {
    }

    /** One texture plane per channel of the image, values in [0, 1]. */
    static float[][] make(int channels, int h, int w, PixelRandom random) {
        int size = Filters.powerOfTwoAtLeast(Math.max(h, w));
        float[] plasma = Filters.plasma(size, 1.5, random);
        float[] needles = new float[h * w];
        int count = Math.round(h * w / 12f);
        for (int n = 0; n < count; n++) {
            double y0 = random.uniform(0, h);
            double x0 = random.uniform(0, w);
            double angle = random.uniform(0, Math.PI);
            double length = random.uniform(2, 7);
            float brightness = (float) random.uniform(0.5, 1);
            double sy = Math.sin(angle);
            double sx = Math.cos(angle);
            for (double t = 0; t <= length; t += 0.5) {
                int y = (int) Math.floor(y0 + t * sy);
                int x = (int) Math.floor(x0 + t * sx);
                if (y >= 0 && y < h && x >= 0 && x < w) {
                    needles[y * w + x] = Math.max(needles[y * w + x], brightness);
                }
            }
        }
        needles = Filters.gaussian(needles, h, w, 0.5, 4, Border.NEAREST);
        float[] texture = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = 0.45f * plasma[y * size + x] + needles[y * w + x];
                texture[y * w + x] = Math.min(1f, v);
            }
        }
        float[][] planes = new float[channels][];
        for (int c = 0; c < channels; c++) {
            float tint = channels == 3 ? TINT[c] : GREY_TINT;
            planes[c] = new float[h * w];
            for (int i = 0; i < texture.length; i++) {
                planes[c][i] = texture[i] * tint;
            }
        }
        return planes;
    }
}
