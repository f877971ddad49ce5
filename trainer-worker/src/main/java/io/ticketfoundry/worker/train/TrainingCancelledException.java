package io.ticketfoundry.worker.train;

/** Training stopped because cancellation was requested. */
public class TrainingCancelledException extends RuntimeException {

    private final long step;

    public TrainingCancelledException(long step) {
        super("training cancelled at step " + step);
        this.step = step;
    }

    /** Cancelled outside the training steps (e.g. while loading data or evaluating). */
    public TrainingCancelledException(String phase) {
        super("cancelled during " + phase);
        this.step = -1;
    }

    /** The step at which training stopped, or -1 when it stopped outside training. */
    public long step() {
        return step;
    }
}
