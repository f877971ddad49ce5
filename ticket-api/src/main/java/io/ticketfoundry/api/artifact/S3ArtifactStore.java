package io.ticketfoundry.api.artifact;

import io.ticketfoundry.api.config.FoundryProperties;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.AbstractResource;
import org.springframework.core.io.Resource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Artifacts as objects in an S3-compatible bucket, at {@code <prefix>ab/cd/<sha256>} (the same
 * storage keys as {@link FilesystemArtifactStore}, so a filesystem store copied into the bucket
 * under the prefix is a valid S3 store). An upload is first written to a local temporary file
 * while it is hashed and counted; only bytes of the declared SHA-256 within the size limit are then
 * sent with one PutObject, which S3 makes visible only once complete, with their SHA-256 for the
 * server to check. Reads ask for just the bytes wanted (GetObject with a Range).
 */
public class S3ArtifactStore implements ArtifactStore, AutoCloseable {

    /** The largest object a single PutObject may create. */
    public static final long MAX_SINGLE_PUT = 5L * 1024 * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(S3ArtifactStore.class);

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Path staging;

    /** A store over {@code s3} (which it closes when it is closed) that stages uploads in {@code staging}. */
    public S3ArtifactStore(S3Client s3, String bucket, String prefix, Path staging) {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("tf.artifacts.s3.bucket is required when tf.artifacts.store is s3");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix == null ? "" : prefix;
        this.staging = staging.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.staging);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the upload staging folder " + this.staging, e);
        }
    }

    /**
     * A client for the configured bucket: endpoint override and path-style access for S3-compatible
     * servers, static credentials when both keys are given (else the SDK's default chain), and
     * checksums only where S3 requires them (the SDK's newer defaults send trailing checksums some
     * S3-compatible servers refuse; the store sends the SHA-256 itself).
     */
    public static S3ClientBuilder clientBuilder(FoundryProperties.S3 settings) {
        S3ClientBuilder builder = S3Client.builder()
                .forcePathStyle(settings.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        URI endpoint = settings.endpoint();
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (settings.region() != null && !settings.region().isBlank()) {
            builder.region(Region.of(settings.region()));
        } else if (endpoint != null) {
            // S3-compatible servers ignore the region, but the request signature needs one
            builder.region(Region.US_EAST_1);
        }
        builder.credentialsProvider(credentials(settings));
        return builder;
    }

    private static AwsCredentialsProvider credentials(FoundryProperties.S3 settings) {
        boolean hasAccess = settings.accessKey() != null && !settings.accessKey().isBlank();
        boolean hasSecret = settings.secretKey() != null && !settings.secretKey().isBlank();
        if (hasAccess != hasSecret) {
            throw new IllegalArgumentException("tf.artifacts.s3.access-key and tf.artifacts.s3.secret-key go together: "
                    + "set both, or neither to use the SDK's default credentials chain");
        }
        return hasAccess
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()))
                : DefaultCredentialsProvider.builder().build();
    }

    /** Checks that the bucket exists, creating it when {@code create} is set; fails otherwise. */
    public void requireBucket(boolean create) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw new IllegalStateException("Cannot reach bucket " + bucket + ": " + e.getMessage(), e);
            }
            if (!create) {
                throw new IllegalStateException("Bucket " + bucket + " does not exist; create it or set "
                        + "tf.artifacts.s3.create-bucket=true", e);
            }
            s3.createBucket(b -> b.bucket(bucket));
            log.info("Created bucket {} for artifacts", bucket);
        } catch (SdkClientException e) {
            throw new IllegalStateException("Cannot reach the S3 endpoint for bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    public String bucket() {
        return bucket;
    }

    /** The object key of a storage key. */
    public String objectKey(String storageKey) {
        if (storageKey == null || storageKey.isEmpty() || storageKey.startsWith("/") || storageKey.contains("..")) {
            throw new IllegalArgumentException("not a storage key: " + storageKey);
        }
        return prefix + storageKey;
    }

    @Override
    public StoredObject put(InputStream content, String expectedSha256, long maxBytes) {
        try (StagedUpload staged = StagedUpload.stage(content, expectedSha256, maxBytes, staging)) {
            String key = ArtifactStore.keyOf(staged.sha256());
            if (!exists(key)) {
                String checksum = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(staged.sha256()));
                s3.putObject(PutObjectRequest.builder()
                        .bucket(bucket)
                        .key(objectKey(key))
                        .contentType("application/octet-stream")
                        .contentLength(staged.size())
                        .checksumSHA256(checksum)
                        .build(), RequestBody.fromFile(staged.file()));
            }
            return new StoredObject(staged.sha256(), staged.size(), key);
        }
    }

    @Override
    public Optional<InputStream> read(String storageKey, long offset, long length) {
        if (length == 0) {
            return exists(storageKey) ? Optional.of(InputStream.nullInputStream()) : Optional.empty();
        }
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(objectKey(storageKey));
        if (offset > 0 || length > 0) {
            request.range(length < 0 ? "bytes=" + offset + "-" : "bytes=" + offset + "-" + (offset + length - 1));
        }
        try {
            return Optional.of(s3.getObject(request.build()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Resource open(String storageKey) {
        return new ObjectResource(storageKey);
    }

    @Override
    public boolean exists(String storageKey) {
        return head(storageKey).isPresent();
    }

    @Override
    public void delete(String storageKey) {
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(objectKey(storageKey)));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    private Optional<HeadObjectResponse> head(String storageKey) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(objectKey(storageKey))));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** An object as a {@link Resource}: nothing is fetched until its bytes or size are asked for. */
    private final class ObjectResource extends AbstractResource {

        private final String storageKey;

        ObjectResource(String storageKey) {
            this.storageKey = storageKey;
            objectKey(storageKey);
        }

        @Override
        public boolean exists() {
            return S3ArtifactStore.this.exists(storageKey);
        }

        @Override
        public long contentLength() throws IOException {
            return head(storageKey).map(HeadObjectResponse::contentLength)
                    .orElseThrow(() -> new FileNotFoundException(getDescription()));
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return read(storageKey, 0, -1).orElseThrow(() -> new FileNotFoundException(getDescription()));
        }

        @Override
        public String getDescription() {
            return "s3://" + bucket + "/" + objectKey(storageKey);
        }
    }
}
