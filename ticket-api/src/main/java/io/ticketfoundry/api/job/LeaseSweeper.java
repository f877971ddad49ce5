package io.ticketfoundry.api.job;

import io.ticketfoundry.api.config.FoundryProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Requeues (or ends) expired leases every {@code tf.queue.sweep-interval}. Each lease attempt also
 * sweeps first, so a waiting job never depends on this schedule; the schedule keeps job statuses
 * honest while no worker asks for work.
 */
@Component
public class LeaseSweeper implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(LeaseSweeper.class);

    private final JobQueue queue;
    private final FoundryProperties properties;

    public LeaseSweeper(JobQueue queue, FoundryProperties properties) {
        this.queue = queue;
        this.properties = properties;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::sweep, properties.queue().sweepInterval());
    }

    void sweep() {
        try {
            queue.sweepExpired();
        } catch (RuntimeException e) {
            log.warn("Sweeping expired leases failed; the next run tries again", e);
        }
    }
}
