package io.ticketfoundry.worker.data.corruption;

import java.util.List;

/**
 * Weather-like corruptions, constants as CIFAR-10-C's:
 * <ul>
 * <li>snow: a layer {@code N(μ, σ)} per pixel, zoomed about the centre by z
 * ({@link Filters#clippedZoom}), values below t set to 0, clipped to [0, 1] and truncated to bytes,
 * motion-blurred (radius r, σ_m, angle uniform in [-135°, -45°)); the image becomes
 * {@code b·x + (1 - b)·max(x, 1.5·grey(x) + 0.5)} and then {@code clip(x + snow + rot180(snow))};
 * (μ, σ, z, t, r, σ_m, b) = (0.1, 0.2, 1, 0.6, 8, 3, 0.95), (0.1, 0.2, 1, 0.5, 10, 4, 0.9),
 * (0.15, 0.3, 1.75, 0.55, 10, 4, 0.9), (0.25, 0.3, 2.25, 0.6, 12, 6, 0.85),
 * (0.3, 0.3, 1.25, 0.65, 14, 12, 0.8);</li>
 * <li>frost: {@code clip(a·x + f·frost)} with the procedural {@link FrostTexture};
 * (a, f) = (1, 0.2), (1, 0.3), (0.9, 0.4), (0.85, 0.4), (0.75, 0.45);</li>
 * <li>fog: {@code clip((x + a·plasma) · m / (m + a))}, m the image's maximum, plasma a fresh
 * {@link Filters#plasma} (wibble decay d) cropped to the image; (a, d) = (0.2, 3), (0.5, 3),
 * (0.75, 2.5), (1, 2), (1.5, 1.75);</li>
 * <li>brightness: the HSV value V raised by c (clipped to 1), hue and saturation kept, which is
 * {@code rgb · min(V + c, 1) / V} (grey {@code min(V + c, 1)} where V = 0; one channel:
 * {@code min(x + c, 1)}); c = 0.05, 0.1, 0.15, 0.2, 0.3.</li>
 * </ul>
 */
final class WeatherCorruptions {

    static final double[][] SNOW = {
            {0.1, 0.2, 1, 0.6, 8, 3, 0.95},
            {0.1, 0.2, 1, 0.5, 10, 4, 0.9},
            {0.15, 0.3, 1.75, 0.55, 10, 4, 0.9},
            {0.25, 0.3, 2.25, 0.6, 12, 6, 0.85},
            {0.3, 0.3, 1.25, 0.65, 14, 12, 0.8}};
    static final double[][] FROST = {{1, 0.2}, {1, 0.3}, {0.9, 0.4}, {0.85, 0.4}, {0.75, 0.45}};
    static final double[][] FOG = {{0.2, 3}, {0.5, 3}, {0.75, 2.5}, {1, 2}, {1.5, 1.75}};
    static final double[] BRIGHTNESS = {0.05, 0.1, 0.15, 0.2, 0.3};

    private WeatherCorruptions() {
    }

    static List<Corruption> all() {
        return List.of(
                Corruption.of("snow", "weather", true, WeatherCorruptions::snow),
                Corruption.of("frost", "weather", true, WeatherCorruptions::frost),
                Corruption.of("fog", "weather", true, WeatherCorruptions::fog),
                Corruption.of("brightness", "weather", false, WeatherCorruptions::brightness));
    }

    static Image snow(Image image, int s, PixelRandom random) {
        double[] c = SNOW[s];
        int h = image.height;
        int w = image.width;
        float[] layer = new float[h * w];
        for (int i = 0; i < layer.length; i++) {
            layer[i] = (float) (c[0] + c[1] * random.nextGaussian());
        }
        layer = Filters.clippedZoom(layer, h, w, c[2]);
        for (int i = 0; i < layer.length; i++) {
            float v = layer[i] < c[3] ? 0 : Math.min(1f, layer[i]);
            layer[i] = (float) Math.floor(v * 255f) / 255f;
        }
        double angle = random.uniform(-135, -45);
        layer = Filters.motionBlur(layer, h, w, (int) c[4], c[5], angle);
        float[] grey = image.grey();
        float b = (float) c[6];
        for (float[] p : image.planes) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    float v = b * p[i] + (1 - b) * Math.max(p[i], 1.5f * grey[i] + 0.5f);
                    p[i] = v + layer[i] + layer[(h - 1 - y) * w + (w - 1 - x)];
                }
            }
        }
        return image.clip();
    }

    static Image frost(Image image, int s, PixelRandom random) {
        float a = (float) FROST[s][0];
        float f = (float) FROST[s][1];
        float[][] frost = FrostTexture.make(image.channels, image.height, image.width, random);
        for (int c = 0; c < image.channels; c++) {
            float[] p = image.planes[c];
            for (int i = 0; i < p.length; i++) {
                p[i] = a * p[i] + f * frost[c][i];
            }
        }
        return image.clip();
    }

    static Image fog(Image image, int s, PixelRandom random) {
        float a = (float) FOG[s][0];
        int size = Filters.powerOfTwoAtLeast(Math.max(image.height, image.width));
        float[] plasma = Filters.plasma(size, FOG[s][1], random);
        float max = 0;
        for (float[] p : image.planes) {
            for (float v : p) {
                max = Math.max(max, v);
            }
        }
        float scale = max / (max + a);
        for (float[] p : image.planes) {
            for (int y = 0; y < image.height; y++) {
                for (int x = 0; x < image.width; x++) {
                    int i = y * image.width + x;
                    p[i] = (p[i] + a * plasma[y * size + x]) * scale;
                }
            }
        }
        return image.clip();
    }

    static Image brightness(Image image, int s, PixelRandom random) {
        float c = (float) BRIGHTNESS[s];
        int n = image.height * image.width;
        for (int i = 0; i < n; i++) {
            float v = 0;
            for (float[] p : image.planes) {
                v = Math.max(v, p[i]);
            }
            float raised = Math.min(1f, v + c);
            for (float[] p : image.planes) {
                p[i] = v > 0 ? p[i] * raised / v : raised;
            }
        }
        return image.clip();
    }
}
