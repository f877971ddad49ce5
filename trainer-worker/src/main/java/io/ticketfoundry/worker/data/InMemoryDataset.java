package io.ticketfoundry.worker.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A whole split held by the engine: normalised float32 images [N, C, H, W] and int64 labels
 * [N], owned by one sub-manager that {@link #close()} frees. Training gathers batches from these
 * arrays with index arrays, so no per-batch data crosses into Java. Labels are also kept in Java
 * for metrics.
 */
public final class InMemoryDataset implements AutoCloseable {

    private final String name;
    private final Split split;
    private final NDManager manager;
    private final NDArray features;
    private final NDArray labels;
    private final int[] labelValues;
    private final int numClasses;

    InMemoryDataset(String name, Split split, NDManager manager, NDArray features, NDArray labels,
            int[] labelValues, int numClasses) {
        this.name = name;
        this.split = split;
        this.manager = manager;
        this.features = features;
        this.labels = labels;
        this.labelValues = labelValues;
        this.numClasses = numClasses;
    }

    /**
     * A dataset over arrays already on the engine (features [N, ...] float32, labels [N] int64),
     * owned from now on by {@code manager}, which {@link #close()} closes. For benchmarks and
     * generated data; files go through {@link DatasetLoader}.
     */
    public static InMemoryDataset ofArrays(String name, Split split, NDManager manager, NDArray features,
            NDArray labels, int numClasses) {
        long[] values = labels.toLongArray();
        int[] ints = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            ints[i] = (int) values[i];
        }
        return new InMemoryDataset(name, split, manager, features, labels, ints, numClasses);
    }

    public String name() {
        return name;
    }

    public Split split() {
        return split;
    }

    public int size() {
        return labelValues.length;
    }

    public int numClasses() {
        return numClasses;
    }

    public NDArray features() {
        return features;
    }

    public NDArray labels() {
        return labels;
    }

    public int label(int index) {
        return labelValues[index];
    }

    public int[] labelValues() {
        return labelValues.clone();
    }

    @Override
    public void close() {
        manager.close();
    }
}
