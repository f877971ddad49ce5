package io.ticketfoundry.worker.data.corruption;

import java.util.List;

/**
 * Digital corruptions, constants as CIFAR-10-C's:
 * <ul>
 * <li>contrast: {@code (x - m_c)·k + m_c}, m_c the channel's mean over the image;
 * k = 0.75, 0.5, 0.4, 0.3, 0.15;</li>
 * <li>elastic: with S = min(H, W) (32 for CIFAR, 28 for MNIST), a random affine map moving the
 * three points centre ± S//3 (centre = (H//2, W//2)) each by U(-β S, β S) per coordinate, applied
 * with bilinear sampling and mirrored (101) borders (OpenCV {@code warpAffine}); then a displacement
 * field, per axis {@code αS · gauss(U(-1, 1)^{H×W}, σ = γS, truncate 3, mirrored)}, sampled
 * bilinearly with mirrored borders (SciPy {@code map_coordinates(order=1, mode="reflect")});
 * (α, γ, β) = (0, 0, 0.08), (0.05, 0.2, 0.07), (0.08, 0.06, 0.06), (0.1, 0.04, 0.05), (0.1, 0.03, 0.03);</li>
 * <li>pixelate: Pillow BOX resize to {@code floor(H q) × floor(W q)} and back
 * ({@link Filters#boxResize}); q = 0.95, 0.9, 0.85, 0.75, 0.65 (CIFAR: 30, 28, 27, 24, 20 pixels;
 * 28×28: 26, 25, 23, 21, 18);</li>
 * <li>jpeg: {@link Jpeg} at quality 80, 65, 58, 50, 40.</li>
 * </ul>
 */
final class DigitalCorruptions {

    static final double[] CONTRAST = {0.75, 0.5, 0.4, 0.3, 0.15};
    static final double[][] ELASTIC = {{0, 0, 0.08}, {0.05, 0.2, 0.07}, {0.08, 0.06, 0.06}, {0.1, 0.04, 0.05},
            {0.1, 0.03, 0.03}};
    static final double[] PIXELATE = {0.95, 0.9, 0.85, 0.75, 0.65};
    static final int[] JPEG_QUALITY = {80, 65, 58, 50, 40};

    private DigitalCorruptions() {
    }

    static List<Corruption> all() {
        return List.of(
                Corruption.of("contrast", "digital", false, DigitalCorruptions::contrast),
                Corruption.of("elastic", "digital", true, DigitalCorruptions::elastic),
                Corruption.of("pixelate", "digital", false, DigitalCorruptions::pixelate),
                Corruption.of("jpeg", "digital", false, (image, s, random) -> Jpeg.roundTrip(image, JPEG_QUALITY[s])));
    }

    static Image contrast(Image image, int s, PixelRandom random) {
        float k = (float) CONTRAST[s];
        for (float[] p : image.planes) {
            double sum = 0;
            for (float v : p) {
                sum += v;
            }
            float mean = (float) (sum / p.length);
            for (int i = 0; i < p.length; i++) {
                p[i] = (p[i] - mean) * k + mean;
            }
        }
        return image.clip();
    }

    static Image pixelate(Image image, int s, PixelRandom random) {
        int h = image.height;
        int w = image.width;
        int smallH = Math.max(1, (int) (h * PIXELATE[s]));
        int smallW = Math.max(1, (int) (w * PIXELATE[s]));
        for (int c = 0; c < image.channels; c++) {
            float[] small = Filters.boxResize(image.planes[c], h, w, smallH, smallW);
            image.planes[c] = Filters.boxResize(small, smallH, smallW, h, w);
        }
        return image;
    }

    static Image elastic(Image image, int s, PixelRandom random) {
        int h = image.height;
        int w = image.width;
        double size = Math.min(h, w);
        double alpha = ELASTIC[s][0] * size;
        double sigma = ELASTIC[s][1] * size;
        double jitter = ELASTIC[s][2] * size;
        // the affine part: three points (x, y) and where they go
        double cx = w / 2;
        double cy = h / 2;
        int square = (int) size / 3;
        double[][] from = {{cx + square, cy + square}, {cx + square, cy - square}, {cx - square, cy - square}};
        double[][] to = new double[3][2];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                to[i][j] = from[i][j] + random.uniform(-jitter, jitter);
            }
        }
        double[] inverse = inverseAffine(from, to); // destination (x, y) -> source (x, y)
        float[][] warped = new float[image.channels][h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double sx = inverse[0] * x + inverse[1] * y + inverse[2];
                double sy = inverse[3] * x + inverse[4] * y + inverse[5];
                for (int c = 0; c < image.channels; c++) {
                    warped[c][y * w + x] = Filters.bilinear(image.planes[c], h, w, sy, sx, Border.REFLECT_101);
                }
            }
        }
        if (alpha == 0) {
            return new Image(image.channels, h, w, warped).clip();
        }
        float[] dx = new float[h * w];
        float[] dy = new float[h * w];
        for (int i = 0; i < dx.length; i++) {
            dx[i] = (float) random.uniform(-1, 1);
        }
        for (int i = 0; i < dy.length; i++) {
            dy[i] = (float) random.uniform(-1, 1);
        }
        dx = Filters.gaussian(dx, h, w, sigma, 3, Border.REFLECT);
        dy = Filters.gaussian(dy, h, w, sigma, 3, Border.REFLECT);
        Image out = new Image(image.channels, h, w);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double sy = y + alpha * dy[i];
                double sx = x + alpha * dx[i];
                for (int c = 0; c < image.channels; c++) {
                    out.planes[c][i] = Filters.bilinear(warped[c], h, w, sy, sx, Border.REFLECT);
                }
            }
        }
        return out.clip();
    }

    /**
     * The affine map sending {@code to} back to {@code from} (three points each), as the six numbers
     * {a, b, c, d, e, f} of {@code x' = a x + b y + c, y' = d x + e y + f}.
     */
    static double[] inverseAffine(double[][] from, double[][] to) {
        return solveAffine(to, from);
    }

    /** The affine map taking the three points {@code p} to {@code q} (Cramer's rule). */
    static double[] solveAffine(double[][] p, double[][] q) {
        double det = p[0][0] * (p[1][1] - p[2][1]) - p[0][1] * (p[1][0] - p[2][0]) + (p[1][0] * p[2][1] - p[2][0] * p[1][1]);
        double[] out = new double[6];
        for (int row = 0; row < 2; row++) {
            double r0 = q[0][row];
            double r1 = q[1][row];
            double r2 = q[2][row];
            double a = (r0 * (p[1][1] - p[2][1]) - p[0][1] * (r1 - r2) + (r1 * p[2][1] - r2 * p[1][1])) / det;
            double b = (p[0][0] * (r1 - r2) - r0 * (p[1][0] - p[2][0]) + (p[1][0] * r2 - p[2][0] * r1)) / det;
            double c = (p[0][0] * (p[1][1] * r2 - p[2][1] * r1) - p[0][1] * (p[1][0] * r2 - p[2][0] * r1)
                    + r0 * (p[1][0] * p[2][1] - p[2][0] * p[1][1])) / det;
            out[row * 3] = a;
            out[row * 3 + 1] = b;
            out[row * 3 + 2] = c;
        }
        return out;
    }
}
