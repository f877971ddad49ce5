package io.ticketfoundry.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Temperature-scale every IMP ticket of experiments (default data: fit on half a of the test "
                + "split, report on half b) and wait for the jobs; then compare with "
                + "`foundry compare ... --ticket-kind calibrated --split test:half-b`.")
final class CalibrateCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Parameters(arity = "0..*", description = "experiment ids (or use --sweep)")
    List<String> experiments = new ArrayList<>();

    @Option(names = "--sweep", description = "every experiment of this sweep")
    String sweep;

    @Option(names = "--request", description = "calibration request body as JSON (default {}: the defaults)")
    String request;

    @Option(names = "--timeout", defaultValue = "PT30M", description = "give up after this long (default ${DEFAULT-VALUE})")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        ApiClient client = connection.client();
        List<String> ids = new ArrayList<>(experiments);
        if (sweep != null) {
            ids.addAll(client.sweepExperiments(sweep));
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("name experiments or a --sweep");
        }
        List<String> jobs = new ArrayList<>();
        for (String id : ids) {
            JsonNode batch = client.post("api/v1/experiments/" + id + "/calibrations", request == null ? "{}" : request,
                    200, 202);
            batch.path("jobs").forEach(job -> jobs.add(job.path("id").asString()));
            System.out.println("Experiment " + id + ": " + batch.path("jobs").size() + " calibrate jobs ("
                    + batch.path("created").asInt() + " new)");
        }
        Instant deadline = Instant.now().plus(timeout);
        int failed = 0;
        for (String job : jobs) {
            while (true) {
                JsonNode state = client.get("api/v1/jobs/" + job);
                String status = state.path("status").asString();
                if (status.equals("succeeded")) {
                    break;
                }
                if (status.equals("failed") || status.equals("cancelled")) {
                    failed++;
                    System.err.println("job " + job + " " + status + ": " + state.path("lastError").asString());
                    break;
                }
                if (Instant.now().isAfter(deadline)) {
                    System.err.println("gave up waiting for job " + job + " (" + status + ")");
                    return 1;
                }
                Thread.sleep(500);
            }
        }
        System.out.println(jobs.size() - failed + " of " + jobs.size() + " calibrations succeeded");
        return failed == 0 ? 0 : 1;
    }
}
