package io.ticketfoundry.api.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.support.S3TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.S3Client;

/** The store contract against S3Proxy, plus what is particular to S3: prefix, ranged GETs, the bucket check. */
class S3ArtifactStoreTest extends ArtifactStoreContract {

    private static final String PREFIX = "artifacts/";

    /** An object GET the store's client sent: its Range header, the answer's status and Content-Length. */
    record Get(String range, int status, long contentLength) {
    }

    @TempDir
    Path staging;

    final S3TestServer server = S3TestServer.get();
    final List<Get> gets = new CopyOnWriteArrayList<>();
    /** The x-amz-checksum-sha256 header of every PUT. */
    final List<String> putChecksums = new CopyOnWriteArrayList<>();
    String bucket;

    @Override
    protected ArtifactStore newStore() {
        bucket = server.newBucket();
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
                if (context.httpRequest().method() == SdkHttpMethod.PUT && context.httpRequest().encodedPath().contains("/artifacts/")) {
                    putChecksums.add(context.httpRequest().firstMatchingHeader("x-amz-checksum-sha256").orElse(null));
                }
                if (context.httpRequest().method() == SdkHttpMethod.GET && !context.httpRequest().encodedPath().endsWith("/")
                        && context.httpRequest().rawQueryParameters().isEmpty()) {
                    gets.add(new Get(context.httpRequest().firstMatchingHeader("Range").orElse(null),
                            context.httpResponse().statusCode(),
                            context.httpResponse().firstMatchingHeader("Content-Length").map(Long::parseLong).orElse(-1L)));
                }
            }
        };
        S3ArtifactStore s3 = new S3ArtifactStore(S3ArtifactStore.clientBuilder(server.settings(bucket, PREFIX))
                .overrideConfiguration(c -> c.addExecutionInterceptor(recorder)).build(), bucket, PREFIX, staging);
        s3.requireBucket(true);
        return s3;
    }

    @AfterEach
    void closeStore() {
        ((S3ArtifactStore) store).close();
    }

    @Override
    protected List<String> storedKeys() {
        List<String> keys = server.keys(bucket);
        assertThat(keys).allSatisfy(key -> assertThat(key).startsWith(PREFIX));
        return keys.stream().map(key -> key.substring(PREFIX.length())).toList();
    }

    @Override
    protected List<String> stagedFiles() throws IOException {
        try (Stream<Path> files = Files.list(staging)) {
            return files.map(Path::toString).toList();
        }
    }

    @Test
    void objectsLiveUnderThePrefixAtTheStorageKeyAndArriveWithTheirSha256() {
        byte[] bytes = bytes(100);
        String sha = QueueFixtures.sha256(bytes);
        put(bytes);
        assertThat(server.keys(bucket)).containsExactly(PREFIX + sha.substring(0, 2) + "/" + sha.substring(2, 4) + "/" + sha);
        // S3 (and S3Proxy) refuse a PutObject whose bytes do not have this checksum
        assertThat(putChecksums).containsExactly(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha)));
        put(bytes);
        assertThat(putChecksums).as("bytes already stored are not sent again").hasSize(1);
    }

    @Test
    void aRangedReadAsksTheServerForThoseBytesOnly() throws IOException {
        byte[] bytes = bytes(2 * 1024 * 1024);
        String key = put(bytes).storageKey();
        gets.clear();
        try (InputStream in = store.read(key, 1_048_576, 100).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(bytes, 1_048_576, 1_048_676));
        }
        assertThat(gets).containsExactly(new Get("bytes=1048576-1048675", 206, 100));

        gets.clear();
        try (InputStream in = store.read(key, 2 * 1024 * 1024 - 10, -1).orElseThrow()) {
            assertThat(in.readAllBytes()).hasSize(10);
        }
        assertThat(gets).containsExactly(new Get("bytes=2097142-", 206, 10));

        gets.clear();
        try (InputStream in = store.read(key, 0, -1).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertThat(gets).containsExactly(new Get(null, 200, bytes.length));
    }

    @Test
    void aMissingBucketIsCreatedOnlyWhenAsked() {
        String missing = server.newBucket();
        try (S3ArtifactStore other = new S3ArtifactStore(server.client(), missing, "", staging)) {
            assertThatThrownBy(() -> other.requireBucket(false)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(missing).hasMessageContaining("create-bucket");
            other.requireBucket(true);
            other.requireBucket(false);
            assertThat(server.keys(missing)).isEmpty();
        }
    }

    @Test
    void keysCannotLeaveThePrefix() {
        assertThatThrownBy(() -> store.read("../other/object", 0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete("/absolute")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBucketIsRequired() {
        try (S3Client client = server.client()) {
            assertThatThrownBy(() -> new S3ArtifactStore(client, " ", "", staging))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tf.artifacts.s3.bucket");
        }
    }
}
