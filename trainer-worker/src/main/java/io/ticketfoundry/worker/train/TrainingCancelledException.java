package io.ticketfoundry.worker.train;

/** Training stopped because cancellation was requested. */
public class TrainingCancelledException extends RuntimeException {

    private final long step;

    public TrainingCancelledException(long step) {
        super("training cancelled at step " + step);
        this.step = step;
    }

    public long step() {
        return step;
    }
}
