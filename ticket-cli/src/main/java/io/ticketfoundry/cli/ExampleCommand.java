package io.ticketfoundry.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * The README's first command: start ticket-api (embedded PostgreSQL, data under --data-dir) and one
 * trainer worker, submit the example experiment, show progress, print a table per level and how
 * to download a mask. Tokens are generated once and kept in {@code <data-dir>/example/tokens.properties}.
 */
@Command(name = "example", mixinStandardHelpOptions = true,
        description = "Run the Fashion-MNIST LeNet-300-100 lottery-ticket example end to end on this machine.")
final class ExampleCommand implements Callable<Integer> {

    @Option(names = "--api-jar", required = true, description = "ticket-api's runnable jar")
    Path apiJar;

    @Option(names = "--worker-jar", required = true, description = "trainer-worker's runnable jar")
    Path workerJar;

    @Option(names = "--request", defaultValue = "examples/fashion-mnist-lenet-300-100.json",
            description = "experiment request to submit, or a sweep request (with a grid) whose experiments are then "
                    + "compared (default ${DEFAULT-VALUE})")
    Path request;

    @Option(names = "--data-dir", defaultValue = "data", description = "where the API keeps its database and artifacts (default ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--dataset-root", defaultValue = "/usr/share/datasets",
            description = "folder holding fashion-mnist/ with its IDX files (default ${DEFAULT-VALUE})")
    Path datasetRoot;

    @Option(names = "--port", defaultValue = "8080", description = "API port; a free one is chosen if it is taken (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--keep-running", description = "leave the API and the worker running at the end")
    boolean keepRunning;

    @Option(names = "--timeout", defaultValue = "PT30M", description = "give up after this long (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        Path exampleDir = Files.createDirectories(dataDir.resolve("example"));
        Properties tokens = loadTokens(exampleDir.resolve("tokens.properties"));
        int apiPort = freeOr(port);
        URI apiUrl = URI.create("http://localhost:" + apiPort + "/");

        ChildProcess api = ChildProcess.startJar("ticket-api", apiJar, List.of("-Xmx1g"), Map.of(
                "TF_API_PORT", Integer.toString(apiPort),
                "TF_DATA_DIR", dataDir.toAbsolutePath().toString(),
                "TF_BOOTSTRAP_TOKEN", tokens.getProperty("admin"),
                "TF_BOOTSTRAP_WORKER_TOKEN", tokens.getProperty("worker")), dataDir.resolve("logs/ticket-api.log"));
        ChildProcess[] workerHolder = new ChildProcess[1];
        // Ctrl-C ends the children too (finally blocks do not run when the JVM is signalled)
        Thread stopChildren = new Thread(() -> {
            if (workerHolder[0] != null) {
                workerHolder[0].close();
            }
            api.close();
        }, "stop-children");
        Runtime.getRuntime().addShutdownHook(stopChildren);
        ChildProcess worker = null;
        try {
            System.out.println("Starting ticket-api on " + apiUrl + " (log: " + api.log() + ")");
            ApiClient admin = new ApiClient(apiUrl, tokens.getProperty("admin"));
            awaitReady(admin, api);

            String memberToken = memberToken(admin, apiUrl, tokens, exampleDir.resolve("tokens.properties"));
            ApiClient member = new ApiClient(apiUrl, memberToken);

            worker = ChildProcess.startJar("trainer-worker", workerJar, List.of("-Dai.djl.offline=true"), Map.of(
                    "TF_API_URL", apiUrl.toString(),
                    "TF_WORKER_TOKEN", tokens.getProperty("worker"),
                    "TF_DATASET_ROOT", datasetRoot.toAbsolutePath().toString(),
                    "TF_WORK_DIR", dataDir.resolve("worker").toAbsolutePath().toString(),
                    // PyTorch's threads then sleep rather than spin while waiting: a busy machine stays usable
                    "OMP_WAIT_POLICY", System.getenv().getOrDefault("OMP_WAIT_POLICY", "PASSIVE")),
                    dataDir.resolve("logs/trainer-worker.log"));
            workerHolder[0] = worker;
            System.out.println("Started trainer-worker (log: " + worker.log() + ")");

            String body = Files.readString(request);
            ChildProcess runningWorker = worker;
            boolean succeeded = member.json().readTree(body).has("grid")
                    ? runSweep(member, body, exampleDir)
                    : runExperiment(member, body, apiUrl, memberToken, exampleDir);
            if (!runningWorker.isAlive()) {
                System.err.println("trainer-worker stopped; the end of its log:\n" + runningWorker.tail(30));
            }
            return succeeded ? 0 : 1;
        } finally {
            if (keepRunning) {
                System.out.println("ticket-api and trainer-worker keep running (pids in the logs); stop them with Ctrl-C.");
                Thread.currentThread().join();
            }
            if (worker != null) {
                worker.close();
            }
            api.close();
        }
    }

    private boolean runExperiment(ApiClient member, String body, URI apiUrl, String memberToken, Path exampleDir)
            throws Exception {
        JsonNode experiment = member.post("api/v1/experiments", body);
        String experimentId = experiment.path("id").asString();
        System.out.println("Experiment " + experimentId + " \"" + experiment.path("name").asString() + "\"");
        System.out.println("  spec hash " + experiment.path("specHash").asString());
        System.out.println("Progress:");
        boolean succeeded = new ExperimentWatcher(member, System.out).waitForEnd(experimentId, timeout);
        JsonNode tickets = member.get("api/v1/experiments/" + experimentId + "/tickets");
        System.out.println();
        System.out.println("Tickets (test split; remaining weights over the prunable tensors and over all parameters):");
        System.out.print(LevelTable.render(tickets));
        printDownloadHelp(apiUrl, memberToken, tickets, exampleDir);
        return succeeded;
    }

    /**
     * A sweep request (it has a {@code grid}): submits it, follows its experiments one after the
     * other, then prints their comparison per level and saves the figure next to the tokens.
     */
    private boolean runSweep(ApiClient member, String body, Path exampleDir) throws Exception {
        JsonNode sweep = member.post("api/v1/sweeps", body);
        List<String> ids = new java.util.ArrayList<>();
        sweep.path("experiments").forEach(entry -> ids.add(entry.path("experimentId").asString()));
        System.out.println("Sweep " + sweep.path("id").asString() + ": " + ids.size() + " experiments");
        boolean succeeded = true;
        java.time.Instant deadline = java.time.Instant.now().plus(timeout);
        for (JsonNode entry : sweep.path("experiments")) {
            System.out.println("Experiment " + entry.path("experimentId").asString() + " " + entry.path("point"));
            Duration left = Duration.between(java.time.Instant.now(), deadline);
            succeeded &= !left.isNegative()
                    && new ExperimentWatcher(member, System.out).waitForEnd(entry.path("experimentId").asString(), left);
        }
        String query = CompareCommand.query(ids, "accuracy,ece,nll,brier", null, null, null);
        System.out.print(ComparisonTable.render(member.get("api/v1/comparisons?" + query)));
        Path figure = exampleDir.resolve("sweep-" + sweep.path("id").asString() + ".png");
        member.download("api/v1/comparisons/plot.png?" + query, figure);
        System.out.println("\nFigure: " + figure);
        return succeeded;
    }

    private static void printDownloadHelp(URI apiUrl, String memberToken, JsonNode tickets, Path exampleDir) {
        JsonNode array = tickets.isArray() ? tickets : tickets.path("items");
        JsonNode last = null;
        for (JsonNode ticket : array) {
            if (last == null || ticket.path("level").asInt() > last.path("level").asInt()) {
                last = ticket;
            }
        }
        if (last == null) {
            return;
        }
        String id = last.path("id").asString();
        System.out.println();
        System.out.println("Download the sparsest ticket's mask (the team token is in " + exampleDir.resolve("tokens.properties") + "):");
        System.out.println("  curl -fH 'Authorization: Bearer " + memberToken + "' -o mask.safetensors \\");
        System.out.println("       " + apiUrl + "api/v1/tickets/" + id + "/mask");
        System.out.println("and load it in PyTorch with safetensors.torch.load_file (see README, \"Masks in PyTorch\").");
    }

    private static void awaitReady(ApiClient admin, ChildProcess api) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            if (!api.isAlive()) {
                throw new IllegalStateException("ticket-api exited during start; the end of its log:\n" + api.tail(40));
            }
            if (admin.probe("actuator/health/readiness") == 200) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("ticket-api was not ready within 3 minutes; see " + api.log());
    }

    /** The example team's member token: reused while it still works, else a new team member is issued. */
    private static String memberToken(ApiClient admin, URI apiUrl, Properties tokens, Path tokenFile) throws Exception {
        String existing = tokens.getProperty("member");
        if (existing != null && new ApiClient(apiUrl, existing).probeWithToken("api/v1/me") == 200) {
            return existing;
        }
        String teamId = null;
        for (JsonNode team : admin.get("api/v1/teams")) {
            if ("example".equals(team.path("name").asString())) {
                teamId = team.path("id").asString();
            }
        }
        if (teamId == null) {
            teamId = admin.post("api/v1/teams", Map.of("name", "example")).path("id").asString();
        }
        String token = admin.post("api/v1/teams/" + teamId + "/tokens", Map.of("name", "example-member", "role", "member"))
                .path("token").asString();
        tokens.setProperty("member", token);
        storeTokens(tokens, tokenFile);
        return token;
    }

    private static Properties loadTokens(Path file) throws IOException {
        Properties tokens = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                tokens.load(in);
            }
        }
        boolean changed = false;
        for (String key : List.of("admin", "worker")) {
            if (tokens.getProperty(key) == null) {
                tokens.setProperty(key, RandomTokens.next());
                changed = true;
            }
        }
        if (changed) {
            storeTokens(tokens, file);
        }
        return tokens;
    }

    private static void storeTokens(Properties tokens, Path file) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            tokens.store(out, "Tokens of the example deployment; keep private");
        }
        try {
            Files.setPosixFilePermissions(temporary, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static int freeOr(int preferred) throws IOException {
        try (ServerSocket socket = new ServerSocket(preferred)) {
            return preferred;
        } catch (IOException taken) {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }
    }
}
