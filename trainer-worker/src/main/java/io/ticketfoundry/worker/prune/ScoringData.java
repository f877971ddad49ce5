package io.ticketfoundry.worker.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.ticketfoundry.worker.Seeds;
import io.ticketfoundry.worker.data.InMemoryDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Where the data-driven methods (SNIP, GraSP) take their scoring batch from. Data-free methods
 * (random, magnitude, SynFlow) are never handed one: {@link OneShotPruning} consults the source
 * only for a {@link PruningMethod.DataDriven} method.
 *
 * <p>{@link #of(InMemoryDataset)} selects a class-balanced batch as GraSP's {@code GraSP_fetch_data}
 * does: up to {@code perClass} samples of every class, the first ones met in a seeded random order
 * of the whole split, grouped by class (class 0 first) and in that order within a class.
 */
public interface ScoringData {

    /** What the samples are, for the record (e.g. {@code mnist train}). */
    String description();

    /** Up to {@code perClass} samples of each class, seeded, their arrays created in {@code manager}. */
    ScoringBatch select(NDManager manager, int perClass, long seed);

    /** Class-balanced batches of the normalised samples of {@code data} (no augmentation). */
    static ScoringData of(InMemoryDataset data) {
        return new ScoringData() {
            @Override
            public String description() {
                return data.name() + " " + data.split().label();
            }

            @Override
            public ScoringBatch select(NDManager manager, int perClass, long seed) {
                int[] labels = data.labelValues();
                int[] indices = classBalancedIndices(labels, data.numClasses(), perClass, seed);
                if (indices.length == 0) {
                    throw new IllegalArgumentException("the scoring data " + description() + " has no samples");
                }
                long[] rows = new long[indices.length];
                int[] counts = new int[data.numClasses()];
                for (int i = 0; i < indices.length; i++) {
                    rows[i] = indices[i];
                    counts[labels[indices[i]]]++;
                }
                NDArray index = manager.create(rows);
                NDIndex gather = new NDIndex("{}", index);
                return new ScoringBatch(data.features().get(manager, gather), data.labels().get(manager, gather), counts);
            }
        };
    }

    /**
     * Indices of up to {@code perClass} samples of each class: the split is walked in a random
     * order (Fisher–Yates with {@link Random} seeded from {@code seed}) and each class takes the
     * first samples it meets; the result lists class 0's samples first, each class in walk order.
     */
    static int[] classBalancedIndices(int[] labels, int numClasses, int perClass, long seed) {
        if (perClass <= 0) {
            throw new IllegalArgumentException("samples per class must be positive, is " + perClass);
        }
        int n = labels.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(Seeds.derive(seed, "prune-scoring-data"));
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int k = 0; k < numClasses; k++) {
            byClass.add(new ArrayList<>());
        }
        int full = 0;
        for (int i = 0; i < n && full < numClasses; i++) {
            int label = labels[order[i]];
            if (label < 0 || label >= numClasses) {
                throw new IllegalArgumentException("label " + label + " at index " + order[i] + " is outside [0, "
                        + numClasses + ")");
            }
            List<Integer> chosen = byClass.get(label);
            if (chosen.size() < perClass) {
                chosen.add(order[i]);
                if (chosen.size() == perClass) {
                    full++;
                }
            }
        }
        return byClass.stream().flatMap(List::stream).mapToInt(Integer::intValue).toArray();
    }
}
