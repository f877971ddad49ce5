package io.ticketfoundry.worker.data.corruption;

import java.util.List;

/**
 * Blurs, constants as CIFAR-10-C's (in pixels; the same for 28×28 images, whose digits fill the
 * frame about as CIFAR's objects do):
 * <ul>
 * <li>defocus-blur: correlation with a disk of radius r (17×17 grid, {@code x² + y² <= r²},
 * normalised) smoothed by a 3×3 Gaussian of σ_a (OpenCV GaussianBlur), borders mirrored (101);
 * (r, σ_a) = (0.3, 0.4), (0.4, 0.5), (0.5, 0.6), (1, 0.2), (1.5, 0.1);</li>
 * <li>glass-blur: Gaussian blur σ (edges repeated, truncate 4), truncated to bytes, then
 * {@code iterations} passes that, for every pixel (h, w) from the bottom-right to
 * (δ + 1, δ + 1), swap it with (h + dy, w + dx), dx, dy uniform integers in [-δ, δ) (NumPy's
 * {@code randint(-δ, δ)}, so in {-1, 0} for δ = 1), then blur with σ again;
 * (σ, δ, iterations) = (0.05, 1, 1), (0.25, 1, 1), (0.4, 1, 1), (0.25, 1, 2), (0.4, 1, 2);</li>
 * <li>motion-blur: ImageMagick's motion blur (see {@link Filters#motionBlur}) at an angle uniform
 * in [-45°, 45°); (radius, σ) = (6, 1), (6, 1.5), (6, 2), (8, 2), (9, 2.5);</li>
 * <li>zoom-blur: the mean of the image and its centre zooms ({@link Filters#clippedZoom}) by
 * 1.00, 1.01, …: 1.00–1.06, 1.00–1.11, 1.00–1.15, 1.00–1.20, 1.00–1.25 (7, 12, 16, 21 and 26
 * factors: NumPy's {@code arange(1, 1.06, 0.01)} ends at 1.06 by rounding, and so on).</li>
 * </ul>
 */
final class BlurCorruptions {

    static final double[][] DEFOCUS = {{0.3, 0.4}, {0.4, 0.5}, {0.5, 0.6}, {1, 0.2}, {1.5, 0.1}};
    static final double[][] GLASS = {{0.05, 1, 1}, {0.25, 1, 1}, {0.4, 1, 1}, {0.25, 1, 2}, {0.4, 1, 2}};
    static final double[][] MOTION = {{6, 1}, {6, 1.5}, {6, 2}, {8, 2}, {9, 2.5}};
    static final int[] ZOOMS = {7, 12, 16, 21, 26};

    private static final float[][][] DISKS = new float[5][][];

    static {
        for (int s = 0; s < 5; s++) {
            DISKS[s] = disk(DEFOCUS[s][0], DEFOCUS[s][1]);
        }
    }

    private BlurCorruptions() {
    }

    static List<Corruption> all() {
        return List.of(
                Corruption.of("defocus-blur", "blur", false, BlurCorruptions::defocus),
                Corruption.of("glass-blur", "blur", true, BlurCorruptions::glass),
                Corruption.of("motion-blur", "blur", true, BlurCorruptions::motion),
                Corruption.of("zoom-blur", "blur", false, BlurCorruptions::zoom));
    }

    /** The defocus kernel, cut to its non-zero support (the disk plus the smoothing's one pixel). */
    static float[][] disk(double radius, double aliasSigma) {
        int n = 17;
        float[] grid = new float[n * n];
        double sum = 0;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int dy = y - 8;
                int dx = x - 8;
                if (dx * dx + dy * dy <= radius * radius) {
                    grid[y * n + x] = 1;
                    sum++;
                }
            }
        }
        for (int i = 0; i < grid.length; i++) {
            grid[i] /= (float) sum;
        }
        float[] smooth = Filters.separable(grid, n, n, Filters.gaussianKernel(aliasSigma, 1), Border.REFLECT_101);
        int reach = (int) Math.floor(radius) + 1;
        float[][] kernel = new float[2 * reach + 1][2 * reach + 1];
        for (int y = -reach; y <= reach; y++) {
            for (int x = -reach; x <= reach; x++) {
                kernel[y + reach][x + reach] = smooth[(y + 8) * n + x + 8];
            }
        }
        return kernel;
    }

    static Image defocus(Image image, int s, PixelRandom random) {
        for (int c = 0; c < image.channels; c++) {
            image.planes[c] = Filters.correlate(image.planes[c], image.height, image.width, DISKS[s], Border.REFLECT_101);
        }
        return image.clip();
    }

    static Image glass(Image image, int s, PixelRandom random) {
        double sigma = GLASS[s][0];
        int delta = (int) GLASS[s][1];
        int iterations = (int) GLASS[s][2];
        int h = image.height;
        int w = image.width;
        for (int c = 0; c < image.channels; c++) {
            float[] blurred = Filters.gaussian(image.planes[c], h, w, sigma, 4, Border.NEAREST);
            for (int i = 0; i < blurred.length; i++) {
                blurred[i] = (float) Math.floor(Math.min(1f, Math.max(0f, blurred[i])) * 255f) / 255f;
            }
            image.planes[c] = blurred;
        }
        for (int it = 0; it < iterations; it++) {
            for (int y = h - delta; y > delta; y--) {
                for (int x = w - delta; x > delta; x--) {
                    int dx = random.integer(-delta, delta);
                    int dy = random.integer(-delta, delta);
                    int a = y * w + x; // (y + dy, x + dx) stays inside: y <= h - δ and dy < δ
                    int b = (y + dy) * w + (x + dx);
                    for (float[] p : image.planes) {
                        float t = p[a];
                        p[a] = p[b];
                        p[b] = t;
                    }
                }
            }
        }
        for (int c = 0; c < image.channels; c++) {
            image.planes[c] = Filters.gaussian(image.planes[c], h, w, sigma, 4, Border.NEAREST);
        }
        return image.clip();
    }

    static Image motion(Image image, int s, PixelRandom random) {
        double angle = random.uniform(-45, 45);
        for (int c = 0; c < image.channels; c++) {
            image.planes[c] = Filters.motionBlur(image.planes[c], image.height, image.width, (int) MOTION[s][0],
                    MOTION[s][1], angle);
        }
        return image.clip();
    }

    static Image zoom(Image image, int s, PixelRandom random) {
        int factors = ZOOMS[s];
        for (int c = 0; c < image.channels; c++) {
            float[] p = image.planes[c];
            float[] sum = p.clone();
            for (int k = 1; k < factors; k++) {
                float[] zoomed = Filters.clippedZoom(p, image.height, image.width, 1 + 0.01 * k);
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += zoomed[i];
                }
            }
            // the reference sums zoom 1.00 (the image itself) as a factor too: (x + Σ_k zoom_k(x)) / (K + 1)
            for (int i = 0; i < sum.length; i++) {
                sum[i] = (sum[i] + p[i]) / (factors + 1);
            }
            image.planes[c] = sum;
        }
        return image.clip();
    }
}
