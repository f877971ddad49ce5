package io.ticketfoundry.api.comparison;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.support.QueueTestBase;
import io.ticketfoundry.common.protocol.ArtifactReceipt;
import io.ticketfoundry.common.protocol.CompleteRequest;
import io.ticketfoundry.common.protocol.LayerDensity;
import io.ticketfoundry.common.protocol.Lease;
import io.ticketfoundry.common.protocol.LeaseRequest;
import io.ticketfoundry.common.protocol.MetricReport;
import io.ticketfoundry.common.protocol.TicketReport;
import io.ticketfoundry.common.spec.ExperimentSpec;
import io.ticketfoundry.common.spec.ObjectiveSpec;
import io.ticketfoundry.common.spec.PruningSpec;
import io.ticketfoundry.common.spec.TrainingSpec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Comparisons, their figures and reliability diagrams over tickets recorded through the worker
 * protocol, against the real database.
 */
class ComparisonApiTest extends QueueTestBase {

    static final String NAME = "calibrate & prune <A>";

    String pool;
    String worker;
    QueueFixtures.Team team;
    final Random random = new Random(7);

    /** Experiment A: seeds 0, 1, 2 x levels 0, 1; experiment B (mixup): seeds 3, 4 x levels 0, 1. */
    UUID experimentA;
    UUID experimentB;
    /** (experiment, seed, level) -> ticket id. */
    final Map<String, UUID> tickets = new HashMap<>();

    @BeforeEach
    void recordTickets() {
        pool = QueueFixtures.uniquePool();
        worker = fx.workerToken(pool);
        team = fx.team();
        experimentA = fx.experiment(team.id(), spec(null));
        experimentB = fx.experiment(team.id(), spec(ObjectiveSpec.of("mixup")));
        jdbc.sql("UPDATE experiment SET name = :name WHERE id = :id").param("name", NAME).param("id", experimentA).update();
        jdbc.sql("UPDATE experiment SET name = 'mixup run' WHERE id = :id").param("id", experimentB).update();
        for (long seed : new long[] {0, 1, 2}) {
            queue.enqueueImpLevel(experimentA, seed, 0, null, pool);
        }
        for (long seed : new long[] {3, 4}) {
            queue.enqueueImpLevel(experimentB, seed, 0, null, pool);
        }
        // every level-0 completion queues level 1 (levels = 1); complete whatever comes until the queue is empty
        for (Lease lease = lease(); lease != null; lease = lease()) {
            complete(lease);
        }
        assertThat(tickets).hasSize(10);
    }

    private static ExperimentSpec spec(ObjectiveSpec objective) {
        return new ExperimentSpec(1, "lenet-300-100", "mnist",
                new TrainingSpec("sgd", 0.1, 0.0, 0.0, 128, 1, null, null, objective),
                new PruningSpec("global", 0.2, 1, Map.of(), List.of()), null, null);
    }

    // ---- the values every ticket reports (mnist test unless said otherwise) ----------------------

    /** Accuracy on mnist/test: A level 0 0.90, 0.92, 0.94; A level 1 0.85, 0.88, 0.97; B 0.70 + seed/100 + level/10. */
    static double accuracy(boolean a, long seed, int level) {
        if (a) {
            return level == 0 ? new double[] {0.90, 0.92, 0.94}[(int) seed] : new double[] {0.85, 0.88, 0.97}[(int) seed];
        }
        return 0.70 + seed / 100.0 + level / 10.0;
    }

    /** ECE on mnist/test: A level 0 0.03, 0.05, 0.04; A level 1 0.06, -, 0.02 (seed 1 reports none); B none. */
    static Double ece(boolean a, long seed, int level) {
        if (!a) {
            return null;
        }
        return level == 0 ? new Double[] {0.03, 0.05, 0.04}[(int) seed] : new Double[] {0.06, null, 0.02}[(int) seed];
    }

    /** Remaining of 1000 prunable: 1000 at level 0; at level 1 800, except A's seed 2 with 790. */
    static long remaining(boolean a, long seed, int level) {
        return level == 0 ? 1000 : a && seed == 2 ? 790 : 800;
    }

    private Lease lease() {
        HttpResponse<String> response = fx.post(worker, "/api/v1/worker/leases", new LeaseRequest("w"));
        if (response.statusCode() == 204) {
            return null;
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return fx.read(response, Lease.class);
    }

    private String upload(Lease lease) {
        byte[] bytes = new byte[64];
        random.nextBytes(bytes);
        HttpResponse<String> response = fx.upload(worker, lease.jobId(), lease.fencingToken(), bytes);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return fx.read(response, ArtifactReceipt.class).sha256();
    }

    private void complete(Lease lease) {
        boolean a = lease.experimentId().equals(experimentA);
        long seed = lease.seed();
        int level = lease.level();
        List<MetricReport> metrics = new ArrayList<>();
        metrics.add(new MetricReport("mnist", "test", "accuracy", accuracy(a, seed, level), Map.of("k", 1), null));
        metrics.add(new MetricReport("mnist", "test", "nll", 0.3 + level, Map.of(), null));
        metrics.add(new MetricReport("mnist", "train", "accuracy", 0.99 - seed / 100.0, Map.of("k", 1), null));
        metrics.add(new MetricReport("fashion-mnist", "test", "accuracy", 0.5 + level / 10.0, Map.of("k", 1), null));
        Double ece = ece(a, seed, level);
        if (ece != null) {
            metrics.add(new MetricReport("mnist", "test", "ece", ece, eceConventions(), eceDetails()));
        }
        String mask = upload(lease);
        String trained = upload(lease);
        String rewind = level == 0 ? upload(lease) : lease.inputs().rewindSha256();
        long remaining = remaining(a, seed, level);
        TicketReport report = new TicketReport(level, mask, rewind, trained, 1000, remaining, 1010, remaining + 10,
                Map.of("fc1.weight", new LayerDensity(1000, remaining)), metrics, Map.of());
        HttpResponse<String> done = fx.post(worker, "/api/v1/worker/jobs/" + lease.jobId() + "/complete",
                new CompleteRequest(lease.fencingToken(), report));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        tickets.put(key(a, seed, level), UUID.fromString(fx.tree(done).get("ticketId").asString()));
    }

    static Map<String, Object> eceConventions() {
        Map<String, Object> conventions = new LinkedHashMap<>();
        conventions.put("bins", 3);
        conventions.put("binning", "equal-width");
        conventions.put("edges", "(lo,hi], first [0,1/B]");
        conventions.put("confidence", "top-label");
        return conventions;
    }

    static Map<String, Object> eceDetails() {
        Map<String, Object> empty = new LinkedHashMap<>();
        empty.put("lower", 0.0);
        empty.put("upper", 1.0 / 3);
        empty.put("count", 0);
        empty.put("accuracy", null);
        empty.put("confidence", null);
        return Map.of("samples", 100, "bins", List.of(empty,
                Map.of("lower", 1.0 / 3, "upper", 2.0 / 3, "count", 30, "accuracy", 0.5, "confidence", 0.55),
                Map.of("lower", 2.0 / 3, "upper", 1.0, "count", 70, "accuracy", 0.9, "confidence", 0.85)));
    }

    static String key(boolean a, long seed, int level) {
        return (a ? "A" : "B") + seed + ":" + level;
    }

    /** A later evaluate job of {@code ticket} (inserted as the coming evaluate flow will record it), with one metric. */
    private UUID evaluation(UUID ticket, String dataset, String split, String name, double value, int secondsLater) {
        UUID job = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO job (id, experiment_id, kind, seed, level, parent_ticket_id, pool, status, params, request_hash,
                                 finished_at)
                SELECT :job, experiment_id, 'evaluate', seed, level, id, :pool, 'succeeded', '{}'::jsonb, :hash, now()
                FROM ticket WHERE id = :ticket""")
                .param("job", job).param("pool", pool).param("hash", "test-" + job).param("ticket", ticket).update();
        jdbc.sql("""
                INSERT INTO metric (ticket_id, job_id, dataset, split, name, value, conventions, created_at)
                VALUES (:ticket, :job, :dataset, :split, :name, :value, '{}'::jsonb,
                        now() + make_interval(secs => :later))""")
                .param("ticket", ticket).param("job", job).param("dataset", dataset).param("split", split)
                .param("name", name).param("value", value).param("later", secondsLater).update();
        return job;
    }

    private JsonNode compare(String query) {
        HttpResponse<String> response = fx.get(team.viewerToken(), "/api/v1/comparisons?" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return fx.tree(response);
    }

    private static JsonNode cell(JsonNode comparison, int level, int experiment) {
        JsonNode row = comparison.get("levels").get(level);
        assertThat(row.get("level").asInt()).isEqualTo(level);
        return row.get("experiments").get(experiment);
    }

    private static List<Double> values(JsonNode stat) {
        List<Double> values = new ArrayList<>();
        stat.get("values").forEach(v -> values.add(v.get("value").asDouble()));
        return values;
    }

    // ---- the comparison ------------------------------------------------------------------------

    @Test
    void seedsAreAggregatedPerLevelAsMeanAndSampleStdWithTheValuesKept() {
        JsonNode comparison = compare("experiments=" + experimentA + "," + experimentB);
        assertThat(comparison.get("metrics").toString()).isEqualTo("[\"accuracy\",\"ece\",\"nll\",\"brier\"]");
        assertThat(comparison.get("split").asString()).isEqualTo("test");
        assertThat(comparison.get("dataset").isNull()).isTrue();
        assertThat(comparison.get("ticketKind").asString()).isEqualTo("imp");
        assertThat(comparison.get("std").asString()).contains("n - 1").contains("null when n < 2");

        JsonNode a = comparison.get("experiments").get(0);
        assertThat(a.get("id").asString()).isEqualTo(experimentA.toString());
        assertThat(a.get("name").asString()).isEqualTo(NAME);
        assertThat(a.get("objective").asString()).isEqualTo("basic");
        assertThat(a.get("label").asString()).isEqualTo(NAME + " (basic)");
        assertThat(a.get("dataset").asString()).isEqualTo("mnist");
        assertThat(a.get("seeds").toString()).isEqualTo("[0,1,2]");
        JsonNode b = comparison.get("experiments").get(1);
        assertThat(b.get("label").asString()).isEqualTo("mixup run (mixup)");
        assertThat(b.get("seeds").toString()).isEqualTo("[3,4]");

        assertThat(comparison.get("levels").size()).isEqualTo(2);
        JsonNode a0 = cell(comparison, 0, 0);
        assertThat(a0.get("experimentId").asString()).isEqualTo(experimentA.toString());
        assertThat(a0.get("tickets").asInt()).isEqualTo(3);
        assertThat(a0.get("remainingFraction").asDouble()).isEqualTo(1.0);
        JsonNode accuracy = a0.get("metrics").get("accuracy");
        assertThat(accuracy.get("n").asInt()).isEqualTo(3);
        assertThat(accuracy.get("mean").asDouble()).isCloseTo(0.92, within(1e-12));
        assertThat(accuracy.get("std").asDouble()).isCloseTo(0.02, within(1e-12));
        assertThat(values(accuracy)).containsExactly(0.90, 0.92, 0.94);
        JsonNode first = accuracy.get("values").get(0);
        assertThat(first.get("seed").asLong()).isZero();
        assertThat(first.get("ticketId").asString()).isEqualTo(tickets.get(key(true, 0, 0)).toString());
        assertThat(first.get("jobId").isNull()).isFalse();
        assertThat(a0.get("metrics").get("ece").get("mean").asDouble()).isCloseTo(0.04, within(1e-12));
        assertThat(a0.get("metrics").get("ece").get("std").asDouble()).isCloseTo(0.01, within(1e-12));
        JsonNode brier = a0.get("metrics").get("brier");
        assertThat(brier.get("n").asInt()).as("no ticket reports brier").isZero();
        assertThat(brier.get("mean").isNull()).isTrue();
        assertThat(brier.get("std").isNull()).isTrue();

        JsonNode a1 = cell(comparison, 1, 0);
        assertThat(a1.get("remainingFraction").asDouble()).isCloseTo((0.8 + 0.8 + 0.79) / 3, within(1e-12));
        assertThat(a1.get("metrics").get("accuracy").get("mean").asDouble()).isCloseTo(0.90, within(1e-12));
        // (0.85 - 0.9)² + (0.88 - 0.9)² + (0.97 - 0.9)² = 0.0078, over n - 1 = 2
        assertThat(a1.get("metrics").get("accuracy").get("std").asDouble()).isCloseTo(Math.sqrt(0.0039), within(1e-12));
        JsonNode ece1 = a1.get("metrics").get("ece");
        assertThat(ece1.get("n").asInt()).as("seed 1 reported no ECE at level 1").isEqualTo(2);
        assertThat(ece1.get("mean").asDouble()).isCloseTo(0.04, within(1e-12));
        assertThat(ece1.get("std").asDouble()).isCloseTo(Math.sqrt(0.0008), within(1e-12));

        JsonNode b1 = cell(comparison, 1, 1);
        assertThat(b1.get("experimentId").asString()).isEqualTo(experimentB.toString());
        assertThat(b1.get("tickets").asInt()).isEqualTo(2);
        assertThat(b1.get("remainingFraction").asDouble()).isCloseTo(0.8, within(1e-12));
        // 0.83 and 0.84: mean 0.835, std sqrt(2 x 0.005² / 1)
        assertThat(b1.get("metrics").get("accuracy").get("mean").asDouble()).isCloseTo(0.835, within(1e-12));
        assertThat(b1.get("metrics").get("accuracy").get("std").asDouble()).isCloseTo(Math.sqrt(0.00005), within(1e-12));
        assertThat(b1.get("metrics").get("ece").get("n").asInt()).isZero();
    }

    @Test
    void theDatasetAndSplitChooseTheRowsAndOneSeedHasNoStd() {
        JsonNode train = compare("experiments=" + experimentA + "&metrics=accuracy&split=train");
        assertThat(train.get("experiments").get(0).get("split").asString()).isEqualTo("train");
        assertThat(values(cell(train, 0, 0).get("metrics").get("accuracy"))).containsExactly(0.99, 0.98, 0.97);
        assertThat(cell(train, 0, 0).get("metrics").size()).isEqualTo(1);

        JsonNode fashion = compare("experiments=" + experimentA + "&metrics=accuracy&dataset=fashion-mnist");
        assertThat(fashion.get("dataset").asString()).isEqualTo("fashion-mnist");
        assertThat(fashion.get("experiments").get(0).get("dataset").asString()).isEqualTo("fashion-mnist");
        JsonNode level1 = cell(fashion, 1, 0).get("metrics").get("accuracy");
        assertThat(values(level1)).containsExactly(0.6, 0.6, 0.6);
        assertThat(level1.get("std").asDouble()).isZero();

        JsonNode none = compare("experiments=" + experimentA + "&metrics=accuracy&split=validation");
        assertThat(cell(none, 0, 0).get("tickets").asInt()).as("tickets count without the metric").isEqualTo(3);
        assertThat(cell(none, 0, 0).get("metrics").get("accuracy").get("n").asInt()).isZero();

        // one seed on a split: its value, n = 1 and no std
        evaluation(tickets.get(key(true, 0, 0)), "mnist", "validation", "accuracy", 0.61, 1);
        JsonNode single = compare("experiments=" + experimentA + "&metrics=accuracy&split=validation");
        JsonNode one = cell(single, 0, 0).get("metrics").get("accuracy");
        assertThat(one.get("n").asInt()).isEqualTo(1);
        assertThat(one.get("mean").asDouble()).isEqualTo(0.61);
        assertThat(one.get("std").isNull()).isTrue();
    }

    @Test
    void theTicketsOwnJobWinsElseTheMostRecentMeasurement() {
        UUID ticket = tickets.get(key(true, 0, 1));
        // a later evaluation on the same dataset and split does not replace what the ticket's own job measured
        evaluation(ticket, "mnist", "test", "accuracy", 0.11, 5);
        // where the own job measured nothing, the most recent evaluation counts
        evaluation(ticket, "mnist", "validation", "accuracy", 0.40, 1);
        UUID newest = evaluation(ticket, "mnist", "validation", "accuracy", 0.45, 3);
        evaluation(ticket, "mnist", "validation", "accuracy", 0.42, 2);

        JsonNode test = compare("experiments=" + experimentA + "&metrics=accuracy");
        JsonNode accuracy = cell(test, 1, 0).get("metrics").get("accuracy");
        assertThat(values(accuracy)).containsExactly(0.85, 0.88, 0.97);
        assertThat(accuracy.get("values").get(0).get("jobId").asString())
                .isEqualTo(jdbc.sql("SELECT job_id FROM ticket WHERE id = :id").param("id", ticket)
                        .query(UUID.class).single().toString());

        JsonNode validation = compare("experiments=" + experimentA + "&metrics=accuracy&split=validation");
        JsonNode picked = cell(validation, 1, 0).get("metrics").get("accuracy");
        assertThat(picked.get("n").asInt()).isEqualTo(1);
        assertThat(picked.get("values").get(0).get("value").asDouble()).isEqualTo(0.45);
        assertThat(picked.get("values").get(0).get("jobId").asString()).isEqualTo(newest.toString());
    }

    @Test
    void otherTicketKindsAreComparedOnTheirOwn() {
        JsonNode controls = compare("experiments=" + experimentA + "&ticketKind=control-reinit");
        assertThat(controls.get("ticketKind").asString()).isEqualTo("control-reinit");
        assertThat(controls.get("levels").size()).isZero();
        assertThat(controls.get("experiments").get(0).get("seeds").size()).isZero();
    }

    /** A calibrated ticket of {@code parent} (as the coming calibrate flow will record it) with one test accuracy. */
    private UUID calibrated(UUID parent, double accuracy, int secondsLater) {
        UUID job = evaluation(parent, "mnist", "unused", "accuracy", 0, 0);
        jdbc.sql("UPDATE job SET kind = 'calibrate' WHERE id = :job").param("job", job).update();
        UUID ticket = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO ticket (id, experiment_id, seed, level, parent_ticket_id, job_id, mask_sha256, rewind_sha256,
                                    trained_sha256, prunable_weights, remaining_prunable, total_parameters, remaining_total,
                                    layers, provenance, kind, calibration, created_at)
                SELECT :id, experiment_id, seed, level, id, :job, mask_sha256, rewind_sha256, trained_sha256,
                       prunable_weights, remaining_prunable, total_parameters, remaining_total, layers, provenance,
                       'calibrated', '{"method":"temperature"}'::jsonb, now() + make_interval(secs => :later)
                FROM ticket WHERE id = :parent""")
                .param("id", ticket).param("job", job).param("later", secondsLater).param("parent", parent).update();
        jdbc.sql("""
                INSERT INTO metric (ticket_id, job_id, dataset, split, name, value)
                VALUES (:ticket, :job, 'mnist', 'test', 'accuracy', :value)""")
                .param("ticket", ticket).param("job", job).param("value", accuracy).update();
        return ticket;
    }

    @Test
    void calibratedTicketsCountOncePerSeedTheMostRecentStandingForIt() {
        calibrated(tickets.get(key(true, 0, 1)), 0.81, 1);
        UUID newest = calibrated(tickets.get(key(true, 0, 1)), 0.86, 2);
        calibrated(tickets.get(key(true, 1, 1)), 0.90, 1);
        JsonNode comparison = compare("experiments=" + experimentA + "&metrics=accuracy&ticketKind=calibrated");
        assertThat(comparison.get("levels").size()).isEqualTo(1);
        assertThat(comparison.get("levels").get(0).get("level").asInt()).as("the level of the calibrated ticket").isEqualTo(1);
        JsonNode cell = comparison.get("levels").get(0).get("experiments").get(0);
        assertThat(cell.get("tickets").asInt()).isEqualTo(2);
        JsonNode accuracy = cell.get("metrics").get("accuracy");
        assertThat(values(accuracy)).containsExactly(0.86, 0.90);
        assertThat(accuracy.get("values").get(0).get("ticketId").asString()).isEqualTo(newest.toString());
        assertThat(accuracy.get("mean").asDouble()).isCloseTo(0.88, within(1e-12));
        assertThat(accuracy.get("std").asDouble()).isCloseTo(Math.sqrt(0.0008), within(1e-12));
        assertThat(comparison.get("experiments").get(0).get("seeds").toString()).isEqualTo("[0,1]");
    }

    @Test
    void badParametersAre400ProblemsNamingTheField() {
        String a = experimentA.toString();
        assertProblem("/api/v1/comparisons", "experiments");
        assertProblem("/api/v1/comparisons?experiments=not-a-uuid", "experiments");
        assertProblem("/api/v1/comparisons?experiments=" + a + "," + a, "experiments");
        StringBuilder thirteen = new StringBuilder(a);
        for (int i = 0; i < 12; i++) {
            thirteen.append(',').append(UUID.randomUUID());
        }
        assertProblem("/api/v1/comparisons?experiments=" + thirteen, "experiments");
        assertProblem("/api/v1/comparisons?experiments=" + a + "&metrics=accuracy,f1", "metrics");
        assertProblem("/api/v1/comparisons?experiments=" + a + "&metrics=", "metrics");
        assertProblem("/api/v1/comparisons?experiments=" + a + "&ticketKind=winning", "ticketKind");
        assertProblem("/api/v1/comparisons?experiments=" + a + "&split=%20", "split");
        assertProblem("/api/v1/comparisons/plot.png?experiments=" + a + "&width=100", "width");
        assertProblem("/api/v1/comparisons/plot.svg?experiments=" + a + "&height=5000", "height");
        assertProblem("/api/v1/comparisons/plot.png?experiments=" + a + "&height=tall", "height");
        assertProblem("/api/v1/experiments/" + a + "/plots/metrics.png?metrics=ece,ece", "metrics");
        assertProblem("/api/v1/tickets/" + tickets.get(key(true, 0, 0)) + "/plots/reliability.png?width=0", "width");
        assertProblem("/api/v1/tickets/" + tickets.get(key(true, 0, 0)) + "/plots/reliability.svg?dataset=", "dataset");
    }

    private void assertProblem(String path, String field) {
        HttpResponse<String> response = fx.get(team.viewerToken(), path);
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).contains("application/problem+json"));
        List<String> fields = new ArrayList<>();
        fx.tree(response).path("errors").forEach(e -> fields.add(e.path("field").asString()));
        assertThat(fields).as(path).contains(field);
    }

    @Test
    void anotherTeamsExperimentsAndTicketsAre404WithoutSayingWhichExists() {
        QueueFixtures.Team stranger = fx.team();
        UUID theirs = fx.experiment(stranger.id());
        UUID nowhere = UUID.randomUUID();
        String token = team.memberToken();
        HttpResponse<String> foreign = fx.get(token, "/api/v1/comparisons?experiments=" + experimentA + "," + theirs);
        HttpResponse<String> missing = fx.get(token, "/api/v1/comparisons?experiments=" + experimentA + "," + nowhere);
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(fx.tree(foreign).get("detail").asString()).isEqualTo(
                fx.tree(missing).get("detail").asString().replace(nowhere.toString(), theirs.toString()));
        assertThat(foreign.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).contains("application/problem+json"));

        String strangerToken = stranger.viewerToken();
        UUID ticket = tickets.get(key(true, 0, 0));
        assertThat(fx.get(strangerToken, "/api/v1/comparisons?experiments=" + experimentA).statusCode()).isEqualTo(404);
        assertThat(fx.getBytes(strangerToken, "/api/v1/comparisons/plot.png?experiments=" + experimentA).statusCode())
                .isEqualTo(404);
        assertThat(fx.getBytes(strangerToken, "/api/v1/experiments/" + experimentA + "/plots/metrics.svg").statusCode())
                .isEqualTo(404);
        HttpResponse<String> reliability = fx.get(strangerToken, "/api/v1/tickets/" + ticket + "/plots/reliability.png");
        assertThat(reliability.statusCode()).isEqualTo(404);
        assertThat(reliability.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).contains("application/problem+json"));
        assertThat(fx.get(strangerToken, "/api/v1/tickets/" + UUID.randomUUID() + "/plots/reliability.svg").statusCode())
                .isEqualTo(404);
        assertThat(fx.get(worker, "/api/v1/comparisons?experiments=" + experimentA).statusCode())
                .as("worker tokens read no team's data").isEqualTo(404);
    }

    // ---- figures ---------------------------------------------------------------------------------

    @Test
    void theComparisonFigureIsAPngOfTheAskedSizeAndAnSvgNamingTheExperiments() throws Exception {
        String query = "experiments=" + experimentA + "," + experimentB;
        HttpResponse<byte[]> png = fx.getBytes(team.viewerToken(), "/api/v1/comparisons/plot.png?" + query
                + "&width=640&height=900");
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(png.headers().firstValue("Cache-Control")).hasValueSatisfying(
                v -> assertThat(v).contains("private").contains("max-age=60"));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(image.getHeight()).isEqualTo(900);
        String etag = png.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> again = fx.getBytes(team.viewerToken(), "/api/v1/comparisons/plot.png?" + query
                + "&width=640&height=900", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);

        HttpResponse<byte[]> defaults = fx.getBytes(team.viewerToken(), "/api/v1/comparisons/plot.png?" + query
                + "&metrics=accuracy,ece");
        BufferedImage sized = ImageIO.read(new ByteArrayInputStream(defaults.body()));
        assertThat(sized.getWidth()).isEqualTo(900);
        assertThat(sized.getHeight()).as("160 + 220 per panel").isEqualTo(600);

        HttpResponse<byte[]> svg = fx.getBytes(team.viewerToken(), "/api/v1/comparisons/plot.svg?" + query);
        assertThat(svg.statusCode()).isEqualTo(200);
        assertThat(svg.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
        String text = svgText(svg.body());
        assertThat(text).contains(NAME + " (basic), 3 seeds").contains("mixup run (mixup), 2 seeds")
                .contains("Comparison of 2 experiments").contains("accuracy").contains("ECE").contains("NLL")
                .contains("Brier");
    }

    @Test
    void oneExperimentsFigureIsTheComparisonOfItAlone() throws Exception {
        HttpResponse<byte[]> svg = fx.getBytes(team.viewerToken(), "/api/v1/experiments/" + experimentB
                + "/plots/metrics.svg?metrics=accuracy,nll&width=500&height=400");
        assertThat(svg.statusCode()).isEqualTo(200);
        org.w3c.dom.Document document = parse(svg.body());
        assertThat(document.getDocumentElement().getAttribute("width")).startsWith("500");
        assertThat(document.getDocumentElement().getTextContent()).contains("mixup run (mixup)").doesNotContain(NAME);
        assertThat(svg.headers().firstValue("Content-Disposition")).hasValueSatisfying(
                v -> assertThat(v).contains("inline").contains(experimentB + "-metrics.svg"));

        HttpResponse<byte[]> png = fx.getBytes(team.viewerToken(), "/api/v1/experiments/" + experimentA
                + "/plots/metrics.png?ticketKind=imp&split=train");
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(ImageIO.read(new ByteArrayInputStream(png.body())).getHeight()).isEqualTo(160 + 4 * 220);
        assertThat(fx.getBytes(team.viewerToken(), "/api/v1/experiments/" + UUID.randomUUID() + "/plots/metrics.png")
                .statusCode()).isEqualTo(404);
    }

    @Test
    void aTicketsReliabilityDiagramIsDrawnFromItsEceBins() throws Exception {
        UUID ticket = tickets.get(key(true, 2, 1));
        HttpResponse<byte[]> png = fx.getBytes(team.viewerToken(), "/api/v1/tickets/" + ticket
                + "/plots/reliability.png?width=640&height=480");
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(png.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("private"));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(image.getHeight()).isEqualTo(480);

        HttpResponse<byte[]> svg = fx.getBytes(team.viewerToken(), "/api/v1/tickets/" + ticket
                + "/plots/reliability.svg?dataset=mnist&split=test");
        assertThat(svg.statusCode()).isEqualTo(200);
        assertThat(svg.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
        String text = svgText(svg.body());
        assertThat(text).contains("ECE = 0.0200").contains("3 equal-width bins").contains("edges (lo,hi], first [0,1/B]")
                .contains("100 samples").contains("seed 2, level 1 (imp)").contains("mnist test split");
    }

    @Test
    void aTicketWithoutEceThereHasNoReliabilityDiagram() {
        UUID withEce = tickets.get(key(true, 0, 0));
        HttpResponse<String> otherSplit = fx.get(team.viewerToken(), "/api/v1/tickets/" + withEce
                + "/plots/reliability.png?split=train");
        assertThat(otherSplit.statusCode()).isEqualTo(404);
        assertThat(otherSplit.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).contains("application/problem+json"));
        assertThat(fx.tree(otherSplit).get("detail").asString()).contains("no ece metric").contains("split train");
        HttpResponse<String> none = fx.get(team.viewerToken(), "/api/v1/tickets/" + tickets.get(key(false, 3, 0))
                + "/plots/reliability.svg");
        assertThat(none.statusCode()).isEqualTo(404);
        assertThat(fx.tree(none).get("detail").asString()).contains("dataset mnist");
        assertThat(fx.get(team.viewerToken(), "/api/v1/tickets/" + tickets.get(key(true, 1, 1))
                + "/plots/reliability.png").statusCode()).as("seed 1 reported no ECE at level 1").isEqualTo(404);
    }

    private static org.w3c.dom.Document parse(byte[] svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg));
    }

    private static String svgText(byte[] svg) throws Exception {
        org.w3c.dom.Document document = parse(svg);
        assertThat(document.getDocumentElement().getLocalName()).isEqualTo("svg");
        return document.getDocumentElement().getTextContent();
    }
}
