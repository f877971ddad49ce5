package io.ticketfoundry.worker.prune;

/**
 * The gradient of the mean cross-entropy of {@code fc2(relu(fc1(x))) / T} with respect to the two
 * weight matrices, and its exact directional derivative along (v1, v2), i.e. H·v for the Hessian
 * block of the weights (biases held fixed), written out by hand in double precision with dual
 * numbers (value, derivative along v). The ReLU passes gradient where its input is > 0, as
 * PyTorch's does.
 */
final class MlpReference {

    /** Gradients and H·v of fc1.weight [h][d] and fc2.weight [k][h]. */
    record Result(double[][] g1, double[][] g2, double[][] hv1, double[][] hv2) {
    }

    private MlpReference() {
    }

    static Result compute(double[][] w1, double[] b1, double[][] w2, double[] b2, double[][] x, int[] y,
            double temperature, double[][] v1, double[][] v2) {
        int h = w1.length;
        int d = w1[0].length;
        int k = w2.length;
        int n = x.length;
        double[][] g1 = new double[h][d];
        double[][] hv1 = new double[h][d];
        double[][] g2 = new double[k][h];
        double[][] hv2 = new double[k][h];
        for (int s = 0; s < n; s++) {
            // a = W1 x + b1 (dual), hidden = relu(a)
            double[] a = new double[h];
            double[] aDot = new double[h];
            double[] hid = new double[h];
            double[] hidDot = new double[h];
            for (int j = 0; j < h; j++) {
                a[j] = b1[j];
                for (int i = 0; i < d; i++) {
                    a[j] += w1[j][i] * x[s][i];
                    aDot[j] += v1[j][i] * x[s][i];
                }
                boolean on = a[j] > 0;
                hid[j] = on ? a[j] : 0;
                hidDot[j] = on ? aDot[j] : 0;
            }
            // z = (W2 hidden + b2) / T
            double[] z = new double[k];
            double[] zDot = new double[k];
            for (int c = 0; c < k; c++) {
                double u = b2[c];
                double uDot = 0;
                for (int j = 0; j < h; j++) {
                    u += w2[c][j] * hid[j];
                    uDot += v2[c][j] * hid[j] + w2[c][j] * hidDot[j];
                }
                z[c] = u / temperature;
                zDot[c] = uDot / temperature;
            }
            // p = softmax(z)
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) {
                max = Math.max(max, v);
            }
            double[] e = new double[k];
            double[] eDot = new double[k];
            double sum = 0;
            double sumDot = 0;
            for (int c = 0; c < k; c++) {
                e[c] = Math.exp(z[c] - max);
                eDot[c] = e[c] * zDot[c];
                sum += e[c];
                sumDot += eDot[c];
            }
            // dL/du = (p − onehot(y)) / (N T), u = W2 hidden + b2
            double[] du = new double[k];
            double[] duDot = new double[k];
            for (int c = 0; c < k; c++) {
                double p = e[c] / sum;
                double pDot = (eDot[c] * sum - e[c] * sumDot) / (sum * sum);
                du[c] = (p - (c == y[s] ? 1 : 0)) / (n * temperature);
                duDot[c] = pDot / (n * temperature);
            }
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < h; j++) {
                    g2[c][j] += du[c] * hid[j];
                    hv2[c][j] += duDot[c] * hid[j] + du[c] * hidDot[j];
                }
            }
            for (int j = 0; j < h; j++) {
                if (!(a[j] > 0)) {
                    continue;
                }
                double dh = 0;
                double dhDot = 0;
                for (int c = 0; c < k; c++) {
                    dh += w2[c][j] * du[c];
                    dhDot += v2[c][j] * du[c] + w2[c][j] * duDot[c];
                }
                for (int i = 0; i < d; i++) {
                    g1[j][i] += dh * x[s][i];
                    hv1[j][i] += dhDot * x[s][i];
                }
            }
        }
        return new Result(g1, g2, hv1, hv2);
    }

    static double[][] matrix(float[] rowMajor, int rows, int columns) {
        double[][] m = new double[rows][columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                m[r][c] = rowMajor[r * columns + c];
            }
        }
        return m;
    }

    static double[] vector(float[] values) {
        double[] v = new double[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = values[i];
        }
        return v;
    }

    static double[] flat(double[][] m) {
        int columns = m[0].length;
        double[] out = new double[m.length * columns];
        for (int r = 0; r < m.length; r++) {
            System.arraycopy(m[r], 0, out, r * columns, columns);
        }
        return out;
    }
}
