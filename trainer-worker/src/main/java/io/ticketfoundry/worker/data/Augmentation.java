package io.ticketfoundry.worker.data;

import ai.djl.ndarray.NDArray;

/**
 * A training-batch transformation done on the engine: takes a normalised batch [B, C, H, W] and
 * returns a new array of the same shape (in the batch's manager; the input is not changed). All
 * randomness comes from {@code seed}, so the same batch and seed give the same result; derive the
 * seed from the run's coordinates with {@link #seed(long, int, int, long)}.
 */
@FunctionalInterface
public interface Augmentation {

    NDArray apply(NDArray batch, long seed);

    /**
     * The augmentation seed of one step: a SplitMix64-style mix of (run seed, IMP level, epoch,
     * global step), so a level resumed mid-way augments its remaining batches exactly as a straight run.
     */
    static long seed(long seed, int level, int epoch, long step) {
        long h = mix(seed ^ 0x6a09e667f3bcc909L);
        h = mix(h ^ level);
        h = mix(h ^ epoch);
        return mix(h ^ step);
    }

    private static long mix(long z) {
        z += 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
