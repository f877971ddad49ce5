package io.ticketfoundry.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Polls an experiment's jobs and prints a line whenever a running job makes progress. */
final class ExperimentWatcher {

    private final ApiClient client;
    private final PrintStream out;

    ExperimentWatcher(ApiClient client, PrintStream out) {
        this.client = client;
        this.out = out;
    }

    /** Returns true when every job succeeded, false when one failed or was cancelled. */
    boolean waitForEnd(String experimentId, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, String> lastSeen = new HashMap<>();
        while (Instant.now().isBefore(deadline)) {
            JsonNode jobs = client.get("api/v1/jobs?experimentId=" + experimentId + "&size=200").path("items");
            int active = 0;
            int failed = 0;
            for (JsonNode job : jobs) {
                String status = job.path("status").asString();
                String line = describe(job);
                if (!line.equals(lastSeen.get(job.path("id").asString()))) {
                    lastSeen.put(job.path("id").asString(), line);
                    out.println(line);
                }
                switch (status) {
                    case "queued", "leased" -> active++;
                    case "failed", "cancelled" -> failed++;
                    default -> { }
                }
            }
            if (active == 0 && jobs.size() > 0) {
                return failed == 0;
            }
            Thread.sleep(1000);
        }
        out.println("Gave up waiting after " + timeout);
        return false;
    }

    private static String describe(JsonNode job) {
        String status = job.path("status").asString();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  seed %d level %d: %s",
                job.path("seed").asLong(), job.path("level").asInt(), status));
        JsonNode progress = job.path("progress");
        if ("leased".equals(status) && progress.isObject()) {
            if (progress.hasNonNull("phase")) {
                line.append(' ').append(progress.path("phase").asString());
            }
            if (progress.hasNonNull("epoch")) {
                line.append(String.format(Locale.ROOT, "  epoch %d/%d", progress.path("epoch").asInt(),
                        progress.path("epochs").asInt()));
            }
            if (progress.hasNonNull("loss")) {
                line.append(String.format(Locale.ROOT, "  loss %.4f", progress.path("loss").asDouble()));
            }
        }
        if (("failed".equals(status) || "queued".equals(status)) && job.hasNonNull("lastError")) {
            line.append("  (").append(job.path("lastError").asString()).append(')');
        }
        return line.toString();
    }
}
