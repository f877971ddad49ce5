package io.ticketfoundry.worker.train;

import io.ticketfoundry.worker.Seeds;
import java.util.Random;

/** The order in which an epoch visits the training set: a permutation fixed by (seed, level, epoch). */
public final class EpochOrder {

    private EpochOrder() {
    }

    public static long[] permutation(int size, long seed, int level, int epoch) {
        Random random = new Random(Seeds.derive(seed, "data-order", level, epoch));
        long[] order = new long[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
