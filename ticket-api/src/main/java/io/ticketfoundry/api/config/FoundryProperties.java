package io.ticketfoundry.api.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Everything ticket-api reads under {@code tf.*}. Environment variables map by Spring's relaxed
 * binding (TF_DATA_DIR, TF_BOOTSTRAP_TOKEN, TF_BOOTSTRAP_WORKER_TOKEN, TF_ARTIFACTS_ROOT, TF_ARTIFACTS_STORE,
 * TF_ARTIFACTS_S3_BUCKET, TF_QUEUE_LEASE_DURATION, ...).
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
            artifacts = new Artifacts(null, null, null, null);
        }
        if (queue == null) {
            queue = new Queue(null, null, null, null);
        }
    }

    public Path artifactRoot() {
        return artifacts.root() != null ? artifacts.root() : dataDir.resolve("artifacts");
    }

    /**
     * Where artifact bytes go: {@code store} picks the filesystem under {@code root} (the default) or
     * an S3-compatible bucket ({@code s3}); with S3, {@code root}/tmp only stages uploads while they are hashed.
     */
    public record Artifacts(Path root, DataSize maxUploadSize, Store store, S3 s3) {
        public Artifacts {
            if (maxUploadSize == null) {
                maxUploadSize = DataSize.ofMegabytes(512);
            }
            if (store == null) {
                store = Store.FILESYSTEM;
            }
            if (s3 == null) {
                s3 = new S3(null, null, null, null, null, null, null, null);
            }
        }
    }

    public enum Store {
        FILESYSTEM, S3
    }

    /**
     * An S3-compatible bucket. Without {@code endpoint} the SDK's AWS endpoint for {@code region} is
     * used; without {@code accessKey}/{@code secretKey} the SDK's default credentials chain is.
     * {@code pathStyle} defaults to true when an endpoint is given (MinIO and most S3-compatible
     * servers), false otherwise. Objects are stored under {@code prefix} + the storage key.
     * {@code createBucket} creates a missing bucket at start-up instead of refusing to start.
     */
    public record S3(URI endpoint, String region, String bucket, String accessKey, String secretKey, Boolean pathStyle,
            String prefix, Boolean createBucket) {
        public S3 {
            if (prefix == null) {
                prefix = "";
            }
            if (pathStyle == null) {
                pathStyle = endpoint != null;
            }
            if (createBucket == null) {
                createBucket = false;
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
