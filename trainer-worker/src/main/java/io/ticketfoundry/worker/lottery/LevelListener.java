package io.ticketfoundry.worker.lottery;

import io.ticketfoundry.common.protocol.Progress;
import java.nio.file.Path;

/** What a running level tells its caller, and asks it. Called on the training thread. */
public interface LevelListener {

    LevelListener NONE = new LevelListener() {
        @Override
        public void progress(Progress progress) {
        }

        @Override
        public boolean cancelRequested() {
            return false;
        }
    };

    void progress(Progress progress);

    /** Polled every few training steps and between phases; true stops the level. */
    boolean cancelRequested();

    /**
     * An epoch checkpoint of the running level was written to {@code file}, which is deleted when
     * this returns: store it now (e.g. upload it). Failures should be logged, not thrown.
     */
    default void checkpoint(Path file, int epoch, long step) {
    }
}
