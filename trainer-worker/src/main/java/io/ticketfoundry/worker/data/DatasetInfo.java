package io.ticketfoundry.worker.data;

import java.util.Map;

/**
 * A dataset the worker can load: its IDX directory name and the per-channel normalisation applied
 * to pixels scaled to [0, 1]: {@code x = (pixel / 255 - mean) / std}. The constants are the
 * training-set statistics used by torchvision examples and open_lth (MNIST 0.1307/0.3081) and
 * the usual Fashion-MNIST values (0.2860/0.3530).
 */
public record DatasetInfo(String name, int numClasses, int rows, int columns, float mean, float std) {

    public static final DatasetInfo MNIST = new DatasetInfo("mnist", 10, 28, 28, 0.1307f, 0.3081f);
    public static final DatasetInfo FASHION_MNIST = new DatasetInfo("fashion-mnist", 10, 28, 28, 0.2860f, 0.3530f);

    private static final Map<String, DatasetInfo> KNOWN = Map.of(MNIST.name, MNIST, FASHION_MNIST.name, FASHION_MNIST);

    public static DatasetInfo named(String name) {
        DatasetInfo info = KNOWN.get(name);
        if (info == null) {
            throw new IllegalArgumentException("unknown dataset \"" + name + "\"; known: " + KNOWN.keySet());
        }
        return info;
    }

    public int features() {
        return rows * columns;
    }
}
