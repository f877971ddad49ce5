package io.ticketfoundry.api.plot;

/** An image's size in pixels (SVG: user units), each side between {@link #MIN} and {@link #MAX}. */
public record ImageSize(int width, int height) {

    public static final int MIN = 200;
    public static final int MAX = 4000;

    public ImageSize {
        if (!fits(width) || !fits(height)) {
            throw new IllegalArgumentException("image sides must be between " + MIN + " and " + MAX + ": " + width + "x" + height);
        }
    }

    public static boolean fits(int side) {
        return side >= MIN && side <= MAX;
    }

    /** {@code side} moved into the allowed range (for sizes computed from the data, not asked for). */
    public static int clamp(int side) {
        return Math.max(MIN, Math.min(MAX, side));
    }
}
