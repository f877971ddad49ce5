package io.ticketfoundry.worker.client;

import io.ticketfoundry.common.protocol.Heartbeat;
import io.ticketfoundry.common.protocol.HeartbeatResponse;
import io.ticketfoundry.common.protocol.Lease;
import io.ticketfoundry.common.protocol.Progress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
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
    private volatile long localDeadlineNanos;
    private final Runnable onHeartbeat;
    private final BooleanSupplier shuttingDown;
    private final Duration interval;
    private volatile long lastBeatNanos = System.nanoTime() - MIN_BEAT_GAP_NANOS;

    public LeaseKeeper(WorkerApiClient client, Lease lease, Runnable onHeartbeat, BooleanSupplier shuttingDown) {
        this.client = client;
        this.lease = lease;
        this.onHeartbeat = onHeartbeat;
        this.shuttingDown = shuttingDown;
        this.interval = Duration.ofSeconds(Math.max(1, lease.heartbeatIntervalSeconds()));
        // the lease lasts about three intervals from the last extension; stop a little before it ends
        this.localDeadlineNanos = System.nanoTime() + lifetimeNanos();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "heartbeat-" + lease.jobId());
            thread.setDaemon(true);
            return thread;
        });
        long seconds = interval.toSeconds();
        scheduler.scheduleWithFixedDelay(this::beat, seconds, seconds, TimeUnit.SECONDS);
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
            long sentAt = System.nanoTime();
            HeartbeatResponse response = client.heartbeat(lease.jobId(), new Heartbeat(lease.fencingToken(), latest.get()),
                    interval);
            localDeadlineNanos = sentAt + lifetimeNanos();
            onHeartbeat.run();
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

    /** Refused by the API, or no heartbeat got through for so long that the lease has run out. */
    public boolean leaseLost() {
        if (!leaseLost && System.nanoTime() - localDeadlineNanos > 0) {
            log.warn("No heartbeat of job {} got through before its lease ran out; giving the job up", lease.jobId());
            leaseLost = true;
        }
        return leaseLost;
    }

    public boolean shuttingDown() {
        return shuttingDown.getAsBoolean();
    }

    /** The training loop's stop signal: cancelled by a user, the lease is gone, or the worker is stopping. */
    public boolean shouldStop() {
        return cancelRequested || leaseLost() || shuttingDown();
    }

    private long lifetimeNanos() {
        return interval.toNanos() * 3 * 9 / 10;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
