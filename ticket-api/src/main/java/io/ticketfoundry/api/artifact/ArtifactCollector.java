package io.ticketfoundry.api.artifact;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Deletes artifacts nothing names that are older than {@code tf.artifacts.collect-grace}, every
 * {@code tf.artifacts.collect-interval}. A deletion releases its artifacts right after its commit;
 * this catches what a process that stopped in between left, and files recorded by a request that
 * failed before it referred to them. The grace keeps it off artifacts whose referrer is still being
 * written (a dataset upload records its files a moment before the dataset).
 */
@Component
public class ArtifactCollector implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(ArtifactCollector.class);
    private static final int BATCH = 500;

    private final JdbcClient jdbc;
    private final ArtifactService artifacts;
    private final Duration interval;
    private final Duration grace;

    public ArtifactCollector(JdbcClient jdbc, ArtifactService artifacts,
            @Value("${tf.artifacts.collect-interval:1h}") Duration interval,
            @Value("${tf.artifacts.collect-grace:1h}") Duration grace) {
        this.jdbc = jdbc;
        this.artifacts = artifacts;
        this.interval = interval;
        this.grace = grace;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        if (!interval.isZero() && !interval.isNegative()) {
            registrar.addFixedDelayTask(this::run, interval);
        }
    }

    private void run() {
        try {
            int deleted = collect();
            if (deleted > 0) {
                log.info("Deleted {} artifact(s) nothing referred to", deleted);
            }
        } catch (RuntimeException e) {
            log.warn("Collecting unreferenced artifacts failed; the next run tries again", e);
        }
    }

    /** Deletes every unreferenced artifact older than the grace; answers how many went. */
    public int collect() {
        String unreferenced = "NOT " + ArtifactService.anyReference("a.sha256");
        int deleted = 0;
        String after = "";
        while (true) {
            List<String> batch = jdbc.sql("SELECT a.sha256 FROM artifact a WHERE a.created_at < now() - :grace * interval "
                            + "'1 millisecond' AND a.sha256 > :after AND " + unreferenced + " ORDER BY a.sha256 LIMIT :limit")
                    .param("grace", grace.toMillis()).param("after", after).param("limit", BATCH)
                    .query(String.class).list();
            for (String sha : batch) {
                if (artifacts.deleteIfUnreferenced(sha) == ArtifactService.Deletion.DELETED) {
                    deleted++;
                }
            }
            if (batch.size() < BATCH) {
                return deleted;
            }
            after = batch.get(batch.size() - 1);
        }
    }
}
