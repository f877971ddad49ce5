package io.ticketfoundry.api.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.config.FoundryProperties;
import io.ticketfoundry.api.support.S3TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Downloads with ticket-api configured for an S3-compatible store (S3Proxy in this JVM), by the same
 * properties a deployment sets; the bucket does not exist beforehand and is created at start-up.
 */
class S3ArtifactDownloadTest extends ArtifactDownloadContract {

    private static final String BUCKET = S3TestServer.get().newBucket();
    private static final String PREFIX = "foundry/";

    @Autowired
    FoundryProperties properties;

    @DynamicPropertySource
    static void s3(DynamicPropertyRegistry registry) {
        S3TestServer server = S3TestServer.get();
        registry.add("tf.artifacts.store", () -> "s3");
        registry.add("tf.artifacts.s3.endpoint", () -> server.endpoint().toString());
        registry.add("tf.artifacts.s3.region", () -> "us-east-1");
        registry.add("tf.artifacts.s3.bucket", () -> BUCKET);
        registry.add("tf.artifacts.s3.access-key", () -> S3TestServer.ACCESS_KEY);
        registry.add("tf.artifacts.s3.secret-key", () -> S3TestServer.SECRET_KEY);
        registry.add("tf.artifacts.s3.path-style", () -> "true");
        registry.add("tf.artifacts.s3.prefix", () -> PREFIX);
        registry.add("tf.artifacts.s3.create-bucket", () -> "true");
    }

    @Override
    protected void assertHeldByTheStore(String sha256) {
        assertThat(store).isInstanceOf(S3ArtifactStore.class);
        assertThat(S3TestServer.get().keys(BUCKET)).contains(PREFIX + ArtifactStore.keyOf(sha256));
        try (Stream<Path> local = Files.walk(properties.artifactRoot())) {
            assertThat(local.filter(Files::isRegularFile).toList()).as("nothing kept on the local disk").isEmpty();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
