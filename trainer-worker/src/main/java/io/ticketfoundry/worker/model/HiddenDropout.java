package io.ticketfoundry.worker.model;

import io.ticketfoundry.common.model.Layers;
import java.util.SplittableRandom;

/**
 * The dropout of a network's dropout slots: its rate, whether the convolutional slots
 * ({@link Layers#convDropout()}) take part besides the hidden ones ({@link Layers#hiddenDropout()}),
 * and the seed of the current forward pass. The training loop reseeds it before every pass from
 * the run's coordinates, so masks never come from the engine's global random state; the slots
 * draw their masks from that one stream in forward order. With rate 0 the network has no dropout
 * blocks at all; dropout acts only in training-mode forward passes.
 */
public final class HiddenDropout {

    public static final HiddenDropout NONE = new HiddenDropout(0);

    private final double rate;
    private final boolean convBlocks;
    private SplittableRandom random = new SplittableRandom(0);

    /** Dropout in the hidden slots only (the {@code hidden} placement). */
    public HiddenDropout(double rate) {
        this(rate, false);
    }

    /**
     * @param convBlocks also in the convolutional slots (the {@code hidden-and-conv} placement)
     */
    public HiddenDropout(double rate, boolean convBlocks) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1)");
        }
        this.rate = rate;
        this.convBlocks = convBlocks;
    }

    public double rate() {
        return rate;
    }

    /** Whether the convolutional slots have dropout too. */
    public boolean convBlocks() {
        return convBlocks;
    }

    /** Starts the masks of one forward pass. */
    public synchronized void reseed(long seed) {
        random = new SplittableRandom(seed);
    }

    /** The next mask of {@code size} values: 0 with probability rate, else 1/(1 − rate). */
    synchronized float[] nextMask(int size) {
        float keep = (float) (1.0 / (1.0 - rate));
        float[] mask = new float[size];
        for (int i = 0; i < size; i++) {
            mask[i] = random.nextDouble() < rate ? 0f : keep;
        }
        return mask;
    }
}
