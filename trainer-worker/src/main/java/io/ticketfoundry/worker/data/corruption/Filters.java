package io.ticketfoundry.worker.data.corruption;

/**
 * The image operations the corruptions are built from, on one plane ({@code h × w} floats,
 * row-major). Each reproduces the library function CIFAR-10-C used (named in its comment) up to
 * float rounding.
 */
final class Filters {

    private Filters() {
    }

    /** Normalised 1-D Gaussian weights {@code exp(-x²/2σ²)} for x in [-r, r]. */
    static float[] gaussianKernel(double sigma, int radius) {
        float[] k = new float[2 * radius + 1];
        double sum = 0;
        double[] w = new double[k.length];
        for (int i = -radius; i <= radius; i++) {
            w[i + radius] = sigma <= 0 ? (i == 0 ? 1 : 0) : Math.exp(-0.5 * i * i / (sigma * sigma));
            sum += w[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] = (float) (w[i] / sum);
        }
        return k;
    }

    /**
     * Separable Gaussian blur, as SciPy's {@code gaussian_filter} (skimage's {@code gaussian}):
     * radius {@code int(truncate × σ + 0.5)}.
     */
    static float[] gaussian(float[] plane, int h, int w, double sigma, double truncate, Border border) {
        int radius = (int) (truncate * sigma + 0.5);
        return separable(plane, h, w, gaussianKernel(sigma, radius), border);
    }

    /** Correlation with {@code k} along rows, then along columns. */
    static float[] separable(float[] plane, int h, int w, float[] k, Border border) {
        int r = k.length / 2;
        float[] tmp = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int j = -r; j <= r; j++) {
                    s += k[j + r] * plane[y * w + border.index(x + j, w)];
                }
                tmp[y * w + x] = s;
            }
        }
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int j = -r; j <= r; j++) {
                    s += k[j + r] * tmp[border.index(y + j, h) * w + x];
                }
                out[y * w + x] = s;
            }
        }
        return out;
    }

    /** 2-D correlation with an odd-sized kernel centred on the pixel (OpenCV's {@code filter2D}). */
    static float[] correlate(float[] plane, int h, int w, float[][] kernel, Border border) {
        int ry = kernel.length / 2;
        int rx = kernel[0].length / 2;
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int dy = -ry; dy <= ry; dy++) {
                    int row = border.index(y + dy, h) * w;
                    float[] kr = kernel[dy + ry];
                    for (int dx = -rx; dx <= rx; dx++) {
                        s += kr[dx + rx] * plane[row + border.index(x + dx, w)];
                    }
                }
                out[y * w + x] = s;
            }
        }
        return out;
    }

    /** Bilinear interpolation at (y, x); neighbours outside the plane are brought in by {@code border}. */
    static float bilinear(float[] plane, int h, int w, double y, double x, Border border) {
        int y0 = (int) Math.floor(y);
        int x0 = (int) Math.floor(x);
        float fy = (float) (y - y0);
        float fx = (float) (x - x0);
        int r0 = border.index(y0, h) * w;
        int r1 = border.index(y0 + 1, h) * w;
        int c0 = border.index(x0, w);
        int c1 = border.index(x0 + 1, w);
        float top = plane[r0 + c0] + fx * (plane[r0 + c1] - plane[r0 + c0]);
        float bottom = plane[r1 + c0] + fx * (plane[r1 + c1] - plane[r1 + c0]);
        return top + fy * (bottom - top);
    }

    /**
     * Where output index {@code i} of a centre zoom by {@code z} reads along an axis of {@code n}
     * pixels, as CIFAR-10-C's {@code clipped_zoom}: crop the central {@code ch = ceil(n / z)} pixels
     * (from {@code top = (n - ch) // 2}), zoom them with SciPy's {@code zoom(order=1)} to
     * {@code m = round(ch × z)} pixels (output {@code o} reads input {@code o (ch - 1) / (m - 1)}),
     * and keep {@code n} pixels from {@code (m - n) // 2}.
     */
    static double[] zoomCoordinates(int n, double z) {
        int ch = (int) Math.ceil(n / z);
        int top = Math.floorDiv(n - ch, 2);
        int m = (int) Math.rint(ch * z);
        int trim = Math.floorDiv(m - n, 2);
        double[] at = new double[n];
        for (int i = 0; i < n; i++) {
            int o = i + trim;
            at[i] = top + (m == 1 ? 0 : o * (ch - 1.0) / (m - 1.0));
        }
        return at;
    }

    /** {@code clipped_zoom}: the plane zoomed by {@code z} about its centre, cut to its own size. */
    static float[] clippedZoom(float[] plane, int h, int w, double z) {
        double[] rows = zoomCoordinates(h, z);
        double[] cols = zoomCoordinates(w, z);
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = bilinear(plane, h, w, rows[y], cols[x], Border.NEAREST);
            }
        }
        return out;
    }

    /**
     * ImageMagick's {@code MotionBlurImage(radius, sigma, angle)}, which CIFAR-10-C calls through
     * Wand: a one-sided line kernel of {@code n = 2·radius + 1} taps with weights
     * {@code exp(-i²/2σ²)} (normalised), tap {@code i} reading the pixel at
     * {@code (x + ceil(i cos θ - 1/2), y + ceil(i sin θ - 1/2))}, edge pixels repeated.
     */
    static float[] motionBlur(float[] plane, int h, int w, int radius, double sigma, double angleDegrees) {
        int n = 2 * radius + 1;
        float[] weight = new float[n];
        int[] dx = new int[n];
        int[] dy = new int[n];
        double sum = 0;
        double theta = Math.toRadians(angleDegrees);
        for (int i = 0; i < n; i++) {
            double g = Math.exp(-(double) i * i / (2 * sigma * sigma));
            weight[i] = (float) g;
            sum += g;
            dx[i] = (int) Math.ceil(i * Math.cos(theta) - 0.5);
            dy[i] = (int) Math.ceil(i * Math.sin(theta) - 0.5);
        }
        for (int i = 0; i < n; i++) {
            weight[i] /= (float) sum;
        }
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int i = 0; i < n; i++) {
                    s += weight[i] * plane[Border.NEAREST.index(y + dy[i], h) * w + Border.NEAREST.index(x + dx[i], w)];
                }
                out[y * w + x] = s;
            }
        }
        return out;
    }

    /**
     * A plasma fractal (diamond-square) on a {@code size × size} torus ({@code size} a power of 2),
     * as CIFAR-10-C's {@code plasma_fractal}: corner 0; at step {@code s} every square centre gets
     * the mean of its 4 corners and every diamond centre the mean of its 4 neighbours (wrapping),
     * each plus {@code wibble · U(-wibble, wibble)}; wibble starts at 100 and is divided by
     * {@code decay} after every step. The result is rescaled to [0, 1].
     */
    static float[] plasma(int size, double decay, PixelRandom random) {
        double[] m = new double[size * size];
        double wibble = 100;
        for (int step = size; step >= 2; step /= 2) {
            int half = step / 2;
            int g = size / step;
            for (int a = 0; a < g; a++) {
                for (int b = 0; b < g; b++) {
                    double corners = m[(a * step) * size + b * step] + m[(((a + 1) % g) * step) * size + b * step]
                            + m[(a * step) * size + ((b + 1) % g) * step]
                            + m[(((a + 1) % g) * step) * size + ((b + 1) % g) * step];
                    m[(a * step + half) * size + b * step + half] = corners / 4 + wibble * random.uniform(-wibble, wibble);
                }
            }
            double[] across = new double[g * g];
            double[] down = new double[g * g];
            for (int a = 0; a < g; a++) {
                for (int b = 0; b < g; b++) {
                    double centre = m[(a * step + half) * size + b * step + half];
                    double up = m[(((a - 1 + g) % g) * step + half) * size + b * step + half];
                    double left = m[(a * step + half) * size + ((b - 1 + g) % g) * step + half];
                    double corner = m[(a * step) * size + b * step];
                    across[a * g + b] = centre + up + corner + m[(a * step) * size + ((b + 1) % g) * step];
                    down[a * g + b] = centre + left + corner + m[(((a + 1) % g) * step) * size + b * step];
                }
            }
            for (int a = 0; a < g; a++) {
                for (int b = 0; b < g; b++) {
                    m[(a * step) * size + b * step + half] = across[a * g + b] / 4 + wibble * random.uniform(-wibble, wibble);
                }
            }
            for (int a = 0; a < g; a++) {
                for (int b = 0; b < g; b++) {
                    m[(a * step + half) * size + b * step] = down[a * g + b] / 4 + wibble * random.uniform(-wibble, wibble);
                }
            }
            wibble /= decay;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : m) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float[] out = new float[m.length];
        double range = max - min == 0 ? 1 : max - min;
        for (int i = 0; i < m.length; i++) {
            out[i] = (float) ((m[i] - min) / range);
        }
        return out;
    }

    /** The smallest power of two at least {@code n}. */
    static int powerOfTwoAtLeast(int n) {
        int p = 1;
        while (p < n) {
            p *= 2;
        }
        return p;
    }

    /**
     * Pillow's BOX resampling along one axis from {@code n} to {@code m} pixels: output {@code j}
     * averages the inputs whose centres lie in {@code [j s, (j + 1) s)}, {@code s = n / m}; when
     * enlarging ({@code s < 1}) that is the one input {@code ceil((j + 1/2) s) - 1}.
     */
    static int[][] boxTaps(int n, int m) {
        double s = (double) n / m;
        int[][] taps = new int[m][];
        for (int j = 0; j < m; j++) {
            if (s >= 1) {
                int from = (int) Math.ceil(j * s - 0.5);
                int to = (int) Math.ceil((j + 1) * s - 0.5); // centres i + 1/2 < (j + 1) s
                from = Math.max(0, from);
                to = Math.min(n, Math.max(to, from + 1));
                taps[j] = new int[] {from, to};
            } else {
                int i = Math.min(n - 1, Math.max(0, (int) Math.ceil((j + 0.5) * s) - 1));
                taps[j] = new int[] {i, i + 1};
            }
        }
        return taps;
    }

    /** A plane resized with {@link #boxTaps} along columns, then rows. */
    static float[] boxResize(float[] plane, int h, int w, int newH, int newW) {
        int[][] colTaps = boxTaps(w, newW);
        int[][] rowTaps = boxTaps(h, newH);
        float[] tmp = new float[h * newW];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < newW; x++) {
                float s = 0;
                for (int i = colTaps[x][0]; i < colTaps[x][1]; i++) {
                    s += plane[y * w + i];
                }
                tmp[y * newW + x] = s / (colTaps[x][1] - colTaps[x][0]);
            }
        }
        float[] out = new float[newH * newW];
        for (int y = 0; y < newH; y++) {
            for (int x = 0; x < newW; x++) {
                float s = 0;
                for (int i = rowTaps[y][0]; i < rowTaps[y][1]; i++) {
                    s += tmp[i * newW + x];
                }
                out[y * newW + x] = s / (rowTaps[y][1] - rowTaps[y][0]);
            }
        }
        return out;
    }
}
