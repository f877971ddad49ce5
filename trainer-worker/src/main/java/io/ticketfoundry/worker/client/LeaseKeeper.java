package io.ticketfoundry.worker.client;

import io.ticketfoundry.common.protocol.Heartbeat;
import io.ticketfoundry.common.protocol.HeartbeatResponse;
import io.ticketfoundry.common.protocol.Lease;
import io.ticketfoundry.common.protocol.Progress;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one lease alive: heartbeats at the interval the API asked for, carrying the latest
 * progress, and remembers whether the API asked us to cancel or refused our token (lease lost).
 */
public class LeaseKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);
    private static final long MIN_BEAT_GAP_NANOS = 1_000_000_000L;

    private final WorkerApiClient client;
    private final Lease lease;
    private final ScheduledExecutorService scheduler;
    private final AtomicReference<Progress> latest = new AtomicReference<>();
    private volatile boolean cancelRequested;
    private volatile boolean leaseLost;
    private volatile long lastBeatNanos = System.nanoTime() - MIN_BEAT_GAP_NANOS;

    public LeaseKeeper(WorkerApiClient client, Lease lease) {
        this.client = client;
        this.lease = lease;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "heartbeat-" + lease.jobId());
            thread.setDaemon(true);
            return thread;
        });
        long interval = Math.max(1, lease.heartbeatIntervalSeconds());
        scheduler.scheduleWithFixedDelay(this::beat, interval, interval, TimeUnit.SECONDS);
    }

    /**
     * Records progress; a new phase, level or epoch is sent at once (at most once a second) so
     * users watching the job see it without waiting for the next scheduled heartbeat.
     */
    public void progress(Progress progress) {
        Progress previous = latest.getAndSet(progress);
        boolean milestone = previous == null
                || !Objects.equals(previous.phase(), progress.phase())
                || !Objects.equals(previous.level(), progress.level())
                || !Objects.equals(previous.epoch(), progress.epoch());
        long now = System.nanoTime();
        if (milestone && now - lastBeatNanos >= MIN_BEAT_GAP_NANOS && !scheduler.isShutdown()) {
            lastBeatNanos = now;
            scheduler.execute(this::beat);
        }
    }

    /** Sends a heartbeat now (e.g. at a level boundary) instead of waiting for the next tick. */
    public void beat() {
        if (leaseLost) {
            return;
        }
        lastBeatNanos = System.nanoTime();
        try {
            HeartbeatResponse response = client.heartbeat(lease.jobId(), new Heartbeat(lease.fencingToken(), latest.get()));
            if (response.cancelRequested()) {
                cancelRequested = true;
            }
        } catch (ApiCallException e) {
            if (e.leaseLost()) {
                log.warn("Lease on job {} is no longer ours: {}", lease.jobId(), e.getMessage());
                leaseLost = true;
            } else {
                log.warn("Heartbeat for job {} failed: {}", lease.jobId(), e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("Heartbeat for job {} failed, will retry: {}", lease.jobId(), e.toString());
        }
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    public boolean leaseLost() {
        return leaseLost;
    }

    /** The training loop's stop signal: cancelled by a user, or the lease went to someone else. */
    public boolean shouldStop() {
        return cancelRequested || leaseLost;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
