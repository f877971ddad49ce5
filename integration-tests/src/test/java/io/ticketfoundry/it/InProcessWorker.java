package io.ticketfoundry.it;

import io.ticketfoundry.worker.WorkerConfig;
import io.ticketfoundry.worker.WorkerMain;
import java.nio.file.Path;
import java.time.Duration;

/** A trainer worker on a thread of the test's JVM, talking to a {@link FoundryApi} over HTTP with its worker token. */
final class InProcessWorker implements AutoCloseable {

    private final WorkerMain worker;
    private final Thread thread;

    private InProcessWorker(WorkerMain worker, Thread thread) {
        this.worker = worker;
        this.thread = thread;
    }

    /** Starts worker {@code id} (also its thread's name) on the datasets under {@code datasets}. */
    static InProcessWorker start(FoundryApi api, String id, Path datasets, Path workDir, Duration pollInterval) {
        WorkerMain worker = new WorkerMain(new WorkerConfig(api.base(), api.workerToken(), id, datasets, workDir,
                pollInterval));
        Thread thread = new Thread(worker, id);
        thread.start();
        return new InProcessWorker(worker, thread);
    }

    /** Asks the worker to stop and waits up to a minute for it. */
    @Override
    public void close() throws InterruptedException {
        worker.stop();
        thread.join(60_000);
    }
}
