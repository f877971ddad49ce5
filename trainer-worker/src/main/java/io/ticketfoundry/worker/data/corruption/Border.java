package io.ticketfoundry.worker.data.corruption;

/** How an index outside [0, n) is brought back in, as the libraries CIFAR-10-C was made with name it. */
enum Border {
    /** Repeat the edge pixel (SciPy "nearest", ImageMagick "edge"): aaa|abcd|ddd. */
    NEAREST,
    /** Mirror including the edge (SciPy "reflect"): cba|abcd|dcb. */
    REFLECT,
    /** Mirror without repeating the edge (OpenCV's default BORDER_REFLECT_101): dcb|abcd|cba. */
    REFLECT_101;

    int index(int i, int n) {
        if (i >= 0 && i < n) {
            return i;
        }
        switch (this) {
            case NEAREST:
                return i < 0 ? 0 : n - 1;
            case REFLECT: {
                int period = 2 * n;
                int m = Math.floorMod(i, period);
                return m < n ? m : period - 1 - m;
            }
            default: {
                if (n == 1) {
                    return 0;
                }
                int period = 2 * n - 2;
                int m = Math.floorMod(i, period);
                return m < n ? m : period - m;
            }
        }
    }
}
