package io.ticketfoundry.worker.data.corruption;

/**
 * One example as floats in [0, 1] (pixel / 255), channel-major: {@code planes[c][y * width + x]}.
 * Corruptions work on it in place or return a new one; the generator rounds back to bytes.
 */
public final class Image {

    final int channels;
    final int height;
    final int width;
    final float[][] planes;

    Image(int channels, int height, int width) {
        this(channels, height, width, new float[channels][height * width]);
    }

    Image(int channels, int height, int width, float[][] planes) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.planes = planes;
    }

    static Image fromBytes(byte[] pixels, int offset, int channels, int height, int width) {
        Image image = new Image(channels, height, width);
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            float[] p = image.planes[c];
            int start = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                p[i] = (pixels[start + i] & 0xff) / 255f;
            }
        }
        return image;
    }

    /** Writes {@code round(clip(v, 0, 1) × 255)} for every value. */
    void toBytes(byte[] out, int offset) {
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            float[] p = planes[c];
            int start = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                out[start + i] = (byte) toByte(p[i]);
            }
        }
    }

    static int toByte(float v) {
        float clipped = v < 0 ? 0 : (v > 1 ? 1 : v);
        return Math.round(clipped * 255f);
    }

    Image copy() {
        float[][] copy = new float[channels][];
        for (int c = 0; c < channels; c++) {
            copy[c] = planes[c].clone();
        }
        return new Image(channels, height, width, copy);
    }

    /** Every value clipped to [0, 1]. */
    Image clip() {
        for (float[] p : planes) {
            for (int i = 0; i < p.length; i++) {
                p[i] = p[i] < 0 ? 0 : (p[i] > 1 ? 1 : p[i]);
            }
        }
        return this;
    }

    /** Luminance as OpenCV's RGB2GRAY (0.299 R + 0.587 G + 0.114 B); the plane itself for one channel. */
    float[] grey() {
        if (channels == 1) {
            return planes[0].clone();
        }
        float[] out = new float[height * width];
        for (int i = 0; i < out.length; i++) {
            out[i] = 0.299f * planes[0][i] + 0.587f * planes[1][i] + 0.114f * planes[2][i];
        }
        return out;
    }
}
