package io.ticketfoundry.api.support;

import io.ticketfoundry.api.artifact.S3ArtifactStore;
import io.ticketfoundry.api.config.FoundryProperties;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One S3Proxy per test JVM on a free loopback port, keeping its objects in memory and checking
 * AWS signatures (V2 or V4) against {@link #ACCESS_KEY}/{@link #SECRET_KEY}. Tests take a bucket of
 * their own from {@link #newBucket()}.
 */
public final class S3TestServer {

    public static final String ACCESS_KEY = "tf-test-access-key";
    public static final String SECRET_KEY = "tf-test-secret-key-0123456789";

    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3TestServer instance;

    private final S3Proxy proxy;
    private final URI endpoint;

    private S3TestServer() throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(new TransientNio2BlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public static synchronized S3TestServer get() {
        if (instance == null) {
            try {
                instance = new S3TestServer();
            } catch (Exception e) {
                throw new IllegalStateException("Could not start S3Proxy", e);
            }
            S3Proxy proxy = instance.proxy;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    proxy.stop();
                } catch (Exception ignored) {
                    // the JVM is going away
                }
            }));
        }
        return instance;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A bucket name no other test of this JVM uses (not yet created). */
    public String newBucket() {
        return "tf-test-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
    }

    public FoundryProperties.S3 settings(String bucket, String prefix) {
        return new FoundryProperties.S3(endpoint, "us-east-1", bucket, ACCESS_KEY, SECRET_KEY, true, prefix, true);
    }

    /** A client of the server, built as the application builds its own. */
    public S3Client client() {
        return S3ArtifactStore.clientBuilder(settings("unused", "")).build();
    }

    /** The keys of every object in {@code bucket}. */
    public List<String> keys(String bucket) {
        try (S3Client client = client()) {
            return client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
        }
    }
}
