package io.ticketfoundry.api.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Everything ticket-api reads under {@code tf.*}. Environment variables map by Spring's relaxed
 * binding (TF_DATA_DIR, TF_BOOTSTRAP_TOKEN, TF_BOOTSTRAP_WORKER_TOKEN, TF_ARTIFACTS_ROOT, TF_QUEUE_LEASE_DURATION, ...).
 */
@ConfigurationProperties(prefix = "tf")
public record FoundryProperties(
        Path dataDir,
        String bootstrapToken,
        String bootstrapWorkerToken,
        Artifacts artifacts,
        Queue queue) {

    public FoundryProperties {
        if (dataDir == null) {
            dataDir = Path.of("data");
        }
        if (artifacts == null) {
            artifacts = new Artifacts(null, null);
        }
        if (queue == null) {
            queue = new Queue(null, null, null, null);
        }
    }

    public Path artifactRoot() {
        return artifacts.root() != null ? artifacts.root() : dataDir.resolve("artifacts");
    }

    public record Artifacts(Path root, DataSize maxUploadSize) {
        public Artifacts {
            if (maxUploadSize == null) {
                maxUploadSize = DataSize.ofMegabytes(512);
            }
        }
    }

    /** Lease length, attempts before a job is terminal, and the base of the exponential retry backoff. */
    public record Queue(Duration leaseDuration, Integer maxAttempts, Duration retryBackoff, Duration sweepInterval) {
        public Queue {
            if (leaseDuration == null) {
                leaseDuration = Duration.ofSeconds(60);
            }
            if (maxAttempts == null) {
                maxAttempts = 3;
            }
            if (retryBackoff == null) {
                retryBackoff = Duration.ofSeconds(5);
            }
            if (sweepInterval == null) {
                sweepInterval = Duration.ofSeconds(5);
            }
        }
    }
}
