package io.ticketfoundry.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * ticket-api and one in-process trainer worker for a test class, under a fresh temporary folder,
 * with tokens of their own: register it as a static {@code @RegisterExtension} field. The worker
 * reads base datasets from {@link #datasets()}, which a class's {@code @BeforeAll} fills (jobs only
 * read them when they run).
 */
final class Deployment implements BeforeAllCallback, AfterAllCallback {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final String[] settings;
    private Path root;
    private FoundryApi api;
    private InProcessWorker worker;

    /** @param settings further {@code --name=value} settings of the API; the lease lasts 6 s unless one says otherwise */
    Deployment(String name, String... settings) {
        this.name = name;
        this.settings = settings.length == 0 ? new String[] {"--tf.queue.lease-duration=6s"} : settings;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        root = Files.createTempDirectory("tf-" + name + "-");
        Files.createDirectories(datasets());
        api = FoundryApi.start(root.resolve("api"), token(), token(), settings);
        worker = InProcessWorker.start(api, name + "-worker", datasets(), workDir(), Duration.ofMillis(200));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            FoundryApi.stop(worker, api);
        } finally {
            if (root != null) {
                try (Stream<Path> paths = Files.walk(root)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    FoundryApi api() {
        return api;
    }

    /** Where the worker finds base datasets (one folder per dataset, as under /usr/share/datasets). */
    Path datasets() {
        return root.resolve("datasets");
    }

    /** The worker's work folder (its dataset cache is {@code datasets/} below it). */
    Path workDir() {
        return root.resolve("worker");
    }

    /** A folder of the deployment's for the test's own files. */
    Path scratch(String folder) throws IOException {
        return Files.createDirectories(root.resolve("scratch").resolve(folder));
    }

    private static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "tf_" + HexFormat.of().formatHex(bytes);
    }
}
