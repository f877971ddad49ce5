package io.ticketfoundry.api.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ticketfoundry.api.support.ApiTestSupport;
import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.support.QueueTestBase;
import io.ticketfoundry.common.spec.ExperimentSpec;
import io.ticketfoundry.common.spec.ObjectiveSpec;
import io.ticketfoundry.common.spec.PruningSpec;
import io.ticketfoundry.common.spec.TrainingSpec;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Search over experiments, tickets and metrics written to the real database: exact result sets
 * for AND, OR, NOT, ranges and IN, sorting, paging, visibility and hostile input.
 */
class SearchApiTest extends QueueTestBase {

    QueueFixtures.Team team;
    QueueFixtures.Team other;
    String artifact;

    UUID e1;
    UUID e2;
    UUID e3;
    UUID e4;
    UUID foreign;
    /** "E1 s0 L2" style names (E2 C for its control) to ticket ids, and back. */
    final Map<String, UUID> tickets = new LinkedHashMap<>();

    @BeforeEach
    void recordExperimentsTicketsAndMetrics() {
        team = fx.team();
        other = fx.team();
        artifact = QueueFixtures.sha256(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        jdbc.sql("INSERT INTO artifact (sha256, size_bytes, media_type, storage_key) VALUES (:sha, 1, 'x', :sha)")
                .param("sha", artifact).update();

        e1 = experiment(team, "ResNet-20 basic", spec("resnet-20", "cifar10", "sgd", 0.1, "basic", null, null), 4);
        e2 = experiment(team, "ResNet-20 VWCC", spec("resnet-20", "cifar10", "adam", 0.05, "vwcc", "snip",
                List.of("reinit")), 3);
        e3 = experiment(team, "LeNet on MNIST", spec("lenet-300-100", "mnist", "sgd", 0.1, "basic", null, null), 2);
        e4 = experiment(team, "it's queued", spec("resnet-20", "cifar10", "sgd", 0.1, "basic", null, null), 1);
        foreign = experiment(other, "ResNet-20 basic", spec("resnet-20", "cifar10", "sgd", 0.1, "basic", null, null), 5);

        ticket("E1 s0 L0", e1, 0, 0, "imp", 1000, 0.90, 0.03, 0.20);
        ticket("E1 s0 L1", e1, 0, 1, "imp", 500, 0.88, 0.06, 0.35);
        ticket("E1 s0 L2", e1, 0, 2, "imp", 100, 0.85, 0.04, 0.50);
        ticket("E2 s0 L0", e2, 0, 0, "imp", 1000, 0.91, 0.08, 0.40);
        ticket("E2 s0 L1", e2, 0, 1, "imp", 80, 0.86, 0.07, 0.25);
        ticket("E2 s1 L1", e2, 1, 1, "imp", 100, 0.80, null, 0.28);
        ticket("E2 C", e2, 0, 1, "control-reinit", 80, 0.70, 0.15, 0.90);
        ticket("E3 s0 L0", e3, 0, 0, "imp", 1000, 0.97, 0.02, 0.10);
        ticket("E3 s0 L1", e3, 0, 1, "imp", 200, 0.96, 0.01, 0.15);
        ticket("F s0 L1", foreign, 0, 1, "imp", 50, 0.99, 0.01, 0.10);

        // measured elsewhere: a corrupted set, the train split, and a later evaluation that does not replace the own job's
        evaluation(tickets.get("E1 s0 L2"), "cifar10-c-fog-5", "test", "ece", 0.20);
        metric(tickets.get("E1 s0 L0"), ownJob(tickets.get("E1 s0 L0")), "cifar10", "train", "ece", 0.01);
        evaluation(tickets.get("E1 s0 L1"), "cifar10", "test", "ece", 0.50);
    }

    private static ExperimentSpec spec(String model, String dataset, String optimizer, double learningRate,
            String objective, String strategy, List<String> controls) {
        PruningSpec pruning = strategy == null ? null
                : new PruningSpec("global", 0.2, 1, Map.of(), List.of(), 0.9, null, strategy);
        return new ExperimentSpec(1, model, dataset,
                new TrainingSpec(optimizer, learningRate, 0.0, 0.0, 128, 2, null, null, ObjectiveSpec.of(objective)),
                pruning, null, null, null, controls);
    }

    private UUID experiment(QueueFixtures.Team owner, String name, ExperimentSpec spec, int hoursAgo) {
        UUID id = fx.experiment(owner.id(), spec);
        jdbc.sql("UPDATE experiment SET name = :name, created_at = now() - make_interval(hours => :h) WHERE id = :id")
                .param("name", name).param("h", hoursAgo).param("id", id).update();
        return id;
    }

    /** A ticket of {@code remaining} of 1000 prunable weights, its own job's test metrics on the experiment's dataset. */
    private void ticket(String label, UUID experiment, long seed, int level, String kind, long remaining,
            double accuracy, Double ece, double nll) {
        UUID job = job(experiment, seed, level, kind.equals("imp") ? "imp-level" : "control",
                kind.equals("imp") ? null : "reinit", null);
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO ticket (id, experiment_id, seed, level, job_id, mask_sha256, rewind_sha256, trained_sha256,
                                    prunable_weights, remaining_prunable, total_parameters, remaining_total, layers,
                                    provenance, kind)
                VALUES (:id, :experiment, :seed, :level, :job, :sha, :sha, :sha, 1000, :remaining, 1010, :remaining + 10,
                        '{}'::jsonb, '{}'::jsonb, :kind)""")
                .param("id", id).param("experiment", experiment).param("seed", seed).param("level", level)
                .param("job", job).param("sha", artifact).param("remaining", remaining).param("kind", kind).update();
        String dataset = jdbc.sql("SELECT resolved_spec ->> 'dataset' FROM experiment WHERE id = :id")
                .param("id", experiment).query(String.class).single();
        metric(id, job, dataset, "test", "accuracy", accuracy);
        metric(id, job, dataset, "test", "nll", nll);
        if (ece != null) {
            metric(id, job, dataset, "test", "ece", ece);
        }
        tickets.put(label, id);
    }

    private UUID job(UUID experiment, long seed, int level, String kind, String control, UUID parent) {
        UUID job = UUID.randomUUID();
        boolean evaluate = kind.equals("evaluate");
        jdbc.sql("""
                INSERT INTO job (id, experiment_id, kind, seed, level, parent_ticket_id, status, control, params,
                                 request_hash, finished_at)
                VALUES (:job, :experiment, :kind, :seed, :level, :parent, 'succeeded', :control,
                        CAST(:params AS jsonb), :hash, now())""")
                .param("job", job).param("experiment", experiment).param("kind", kind).param("seed", seed)
                .param("level", level).param("parent", parent).param("control", control)
                .param("params", evaluate ? "{}" : null).param("hash", evaluate ? "test-" + job : null).update();
        return job;
    }

    private UUID ownJob(UUID ticket) {
        return jdbc.sql("SELECT job_id FROM ticket WHERE id = :id").param("id", ticket).query(UUID.class).single();
    }

    private void metric(UUID ticket, UUID job, String dataset, String split, String name, double value) {
        jdbc.sql("""
                INSERT INTO metric (ticket_id, job_id, dataset, split, name, value)
                VALUES (:ticket, :job, :dataset, :split, :name, :value)""")
                .param("ticket", ticket).param("job", job).param("dataset", dataset).param("split", split)
                .param("name", name).param("value", value).update();
    }

    /** A later evaluate job of the ticket with one metric. */
    private void evaluation(UUID ticket, String dataset, String split, String name, double value) {
        Map<String, Object> row = jdbc.sql("SELECT experiment_id, seed, level FROM ticket WHERE id = :id")
                .param("id", ticket).query().singleRow();
        UUID job = job((UUID) row.get("experiment_id"), (Long) row.get("seed"), (Integer) row.get("level"), "evaluate",
                null, ticket);
        jdbc.sql("""
                INSERT INTO metric (ticket_id, job_id, dataset, split, name, value, created_at)
                VALUES (:ticket, :job, :dataset, :split, :name, :value, now() + interval '1 minute')""")
                .param("ticket", ticket).param("job", job).param("dataset", dataset).param("split", split)
                .param("name", name).param("value", value).update();
    }

    // ---- calls -----------------------------------------------------------------------------------

    private HttpResponse<String> get(String token, String target, String q, String... more) {
        StringBuilder path = new StringBuilder("/api/v1/search/" + target + "?");
        if (q != null) {
            path.append("q=").append(URLEncoder.encode(q, StandardCharsets.UTF_8));
        }
        for (int i = 0; i < more.length; i += 2) {
            path.append('&').append(more[i]).append('=').append(URLEncoder.encode(more[i + 1], StandardCharsets.UTF_8));
        }
        return fx.get(token, path.toString());
    }

    private JsonNode page(String target, String q, String... more) {
        HttpResponse<String> response = get(team.viewerToken(), target, q, more);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return fx.tree(response);
    }

    /** The labels of the tickets found, in the order returned. */
    private List<String> ticketLabels(String q, String... more) {
        return labels(page("tickets", q, more));
    }

    private List<String> labels(JsonNode page) {
        List<String> labels = new ArrayList<>();
        for (JsonNode item : page.get("items")) {
            UUID id = UUID.fromString(item.get("id").asString());
            labels.add(tickets.entrySet().stream().filter(e -> e.getValue().equals(id)).map(Map.Entry::getKey)
                    .findFirst().orElse("unknown " + id));
        }
        return labels;
    }

    private List<String> experimentNames(String q, String... more) {
        List<String> names = new ArrayList<>();
        for (JsonNode item : page("experiments", q, more).get("items")) {
            UUID id = UUID.fromString(item.get("id").asString());
            names.add(id.equals(e1) ? "E1" : id.equals(e2) ? "E2" : id.equals(e3) ? "E3" : id.equals(e4) ? "E4"
                    : id.equals(foreign) ? "F" : "unknown " + id);
        }
        return names;
    }

    // ---- the language over tickets ---------------------------------------------------------------

    @Test
    void theIssuesExample() {
        assertThat(ticketLabels("dataset = cifar10 AND sparsity >= 0.9 AND (ece < 0.05 OR nll < 0.3)"))
                .containsExactlyInAnyOrder("E1 s0 L2", "E2 s0 L1", "E2 s1 L1");
        // without the parentheses, AND binds first: cifar10 tickets at >= 0.9 with ECE < 0.05, or any with NLL < 0.3
        assertThat(ticketLabels("dataset = cifar10 AND sparsity >= 0.9 AND ece < 0.05 OR nll < 0.3"))
                .containsExactlyInAnyOrder("E1 s0 L2", "E1 s0 L0", "E2 s0 L1", "E2 s1 L1", "E3 s0 L0", "E3 s0 L1");
    }

    @Test
    void orAndNotFollowTheirPrecedence() {
        assertThat(ticketLabels("dataset = mnist OR dataset = cifar10 AND level = 0"))
                .containsExactlyInAnyOrder("E3 s0 L0", "E3 s0 L1", "E1 s0 L0", "E2 s0 L0");
        assertThat(ticketLabels("(dataset = mnist OR dataset = cifar10) AND level = 0"))
                .containsExactlyInAnyOrder("E3 s0 L0", "E1 s0 L0", "E2 s0 L0");
        assertThat(ticketLabels("not dataset = mnist and level = 0")).containsExactlyInAnyOrder("E1 s0 L0", "E2 s0 L0");
        assertThat(ticketLabels("NOT (dataset = mnist AND level = 0)")).containsExactlyInAnyOrder("E1 s0 L0", "E1 s0 L1",
                "E1 s0 L2", "E2 s0 L0", "E2 s0 L1", "E2 s1 L1", "E2 C", "E3 s0 L1");
    }

    @Test
    void aMissingValueFailsEveryComparisonAndNotInvertsThat() {
        assertThat(ticketLabels("dataset = cifar10 AND NOT ece < 0.05"))
                .containsExactlyInAnyOrder("E1 s0 L1", "E2 s0 L0", "E2 s0 L1", "E2 s1 L1", "E2 C");
        assertThat(ticketLabels("ece != 0.5 AND dataset = cifar10 AND level = 1 AND seed = 1")).isEmpty();
        assertThat(ticketLabels("ece IS NULL")).containsExactly("E2 s1 L1");
        assertThat(ticketLabels("brier IS NOT NULL")).isEmpty();
    }

    @Test
    void rangesInListsSpecPathsAndText() {
        assertThat(ticketLabels("sparsity BETWEEN 0.5 AND 0.9"))
                .containsExactlyInAnyOrder("E1 s0 L1", "E1 s0 L2", "E2 s1 L1", "E3 s0 L1");
        assertThat(ticketLabels("sparsity NOT BETWEEN 0.01 AND 0.91 AND dataset = cifar10"))
                .containsExactlyInAnyOrder("E1 s0 L0", "E2 s0 L0", "E2 s0 L1", "E2 C");
        assertThat(ticketLabels("remaining <= 0.1")).containsExactlyInAnyOrder("E1 s0 L2", "E2 s0 L1", "E2 s1 L1", "E2 C");
        assertThat(ticketLabels("level IN (0, 2) AND kind = imp"))
                .containsExactlyInAnyOrder("E1 s0 L0", "E1 s0 L2", "E2 s0 L0", "E3 s0 L0");
        assertThat(ticketLabels("kind NOT IN (imp, snapshot)")).containsExactly("E2 C");
        List<String> e2 = List.of("E2 s0 L0", "E2 s0 L1", "E2 s1 L1", "E2 C");
        assertThat(ticketLabels("objective IN (vwcc, mixup)")).containsExactlyInAnyOrderElementsOf(e2);
        assertThat(ticketLabels("spec.training.learningRate < 0.1")).containsExactlyInAnyOrderElementsOf(e2);
        assertThat(ticketLabels("spec.training.learningRate = 0.05")).containsExactlyInAnyOrderElementsOf(e2);
        assertThat(ticketLabels("spec.pruning.targetSparsity >= 0.9 AND spec.pruning.strategy = 'snip'"))
                .containsExactlyInAnyOrderElementsOf(e2);
        assertThat(ticketLabels("spec.pruning.targetSparsity IS NOT NULL")).containsExactlyInAnyOrderElementsOf(e2);
        assertThat(ticketLabels("spec.controls = reinit")).containsExactlyInAnyOrderElementsOf(e2);
        assertThat(ticketLabels("optimizer != sgd")).containsExactlyInAnyOrderElementsOf(e2);
        assertThat(ticketLabels("name ~ vwcc")).containsExactlyInAnyOrderElementsOf(e2);
        assertThat(ticketLabels("name !~ RESNET")).containsExactlyInAnyOrder("E3 s0 L0", "E3 s0 L1");
        assertThat(ticketLabels("model = lenet-300-100 AND spec.pruning.graspRedrawLinear = true"))
                .containsExactlyInAnyOrder("E3 s0 L0", "E3 s0 L1");
        assertThat(ticketLabels("experiment = " + e3)).containsExactlyInAnyOrder("E3 s0 L0", "E3 s0 L1");
        assertThat(ticketLabels("created < '" + java.time.Instant.now().minusSeconds(150 * 60) + "' AND level = 0"))
                .containsExactlyInAnyOrder("E1 s0 L0", "E2 s0 L0");
    }

    @Test
    void metricsOnOtherDataAndTheSelectionRule() {
        assertThat(ticketLabels("ece[cifar10-c-fog-5] > 0.1")).containsExactly("E1 s0 L2");
        assertThat(ticketLabels("ece[cifar10-c-fog-5:test] > 0.1")).containsExactly("E1 s0 L2");
        assertThat(ticketLabels("ece[:train] < 0.02")).containsExactly("E1 s0 L0");
        assertThat(ticketLabels("ece[cifar10:train] < 0.02 OR ece[mnist:train] < 0.02")).containsExactly("E1 s0 L0");
        // E1 level 1 has 0.06 from its own job and a later 0.50 from an evaluate job: the own job's value stands
        assertThat(ticketLabels("ece > 0.4")).isEmpty();
        assertThat(ticketLabels("ece = 0.06")).containsExactly("E1 s0 L1");
        assertThat(ticketLabels("ece[cifar10] = 0.06 AND ood-auroc IS NULL")).containsExactly("E1 s0 L1");
    }

    @Test
    void aHitCarriesItsExperimentAndHeadlineMetrics() {
        JsonNode hit = page("tickets", "level = 2").get("items").get(0);
        assertThat(hit.get("id").asString()).isEqualTo(tickets.get("E1 s0 L2").toString());
        assertThat(hit.get("experimentId").asString()).isEqualTo(e1.toString());
        assertThat(hit.get("experimentName").asString()).isEqualTo("ResNet-20 basic");
        assertThat(hit.get("kind").asString()).isEqualTo("imp");
        assertThat(hit.get("seed").asLong()).isZero();
        assertThat(hit.get("level").asInt()).isEqualTo(2);
        assertThat(hit.get("sparsity").asDouble()).isEqualTo(0.9);
        assertThat(hit.get("remaining").asDouble()).isEqualTo(0.1);
        assertThat(hit.get("accuracy").asDouble()).isEqualTo(0.85);
        assertThat(hit.get("ece").asDouble()).isEqualTo(0.04);
        assertThat(hit.get("nll").asDouble()).isEqualTo(0.50);
        assertThat(hit.get("brier").isNull()).isTrue();
        assertThat(page("tickets", "level = 1 AND experiment = " + e1).get("items").get(0).get("ece").asDouble())
                .as("the own job's value, not the later evaluation's").isEqualTo(0.06);
    }

    // ---- sorting and paging ----------------------------------------------------------------------

    @Test
    void sortsByAMetricEitherWayWithNullsLast() {
        assertThat(ticketLabels("dataset = cifar10", "sort", "-ece")).containsExactly("E2 C", "E2 s0 L0", "E2 s0 L1",
                "E1 s0 L1", "E1 s0 L2", "E1 s0 L0", "E2 s1 L1");
        assertThat(ticketLabels("dataset = cifar10", "sort", "ece")).containsExactly("E1 s0 L0", "E1 s0 L2",
                "E1 s0 L1", "E2 s0 L1", "E2 s0 L0", "E2 C", "E2 s1 L1");
        assertThat(ticketLabels("dataset = cifar10", "sort", "+ece[cifar10-c-fog-5]").get(0)).isEqualTo("E1 s0 L2");
        JsonNode items = page("tickets", "dataset = cifar10", "sort", "-ece").get("items");
        assertThat(items.get(0).get("sortValue").asDouble()).isEqualTo(0.15);
        assertThat(items.get(6).get("sortValue").isNull()).isTrue();
    }

    @Test
    void pagesFollowEachOtherWithoutGapsOrRepeats() {
        for (String sort : List.of("ece", "-ece", "level", "-sparsity", "-spec.training.learningRate", "name", "kind",
                "-created", "seed")) {
            List<String> whole = ticketLabels(null, "sort", sort, "limit", "200");
            assertThat(whole).as(sort).hasSize(9);
            List<String> paged = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                JsonNode page = cursor == null ? page("tickets", null, "sort", sort, "limit", "2")
                        : page("tickets", null, "sort", sort, "limit", "2", "cursor", cursor);
                assertThat(page.get("items").size()).isBetween(1, 2);
                paged.addAll(labels(page));
                cursor = page.get("next").isNull() ? null : page.get("next").asString();
                pages++;
            } while (cursor != null);
            assertThat(pages).as(sort).isEqualTo(5);
            assertThat(paged).as(sort).isEqualTo(whole);
        }
    }

    @Test
    void tiesAreBrokenByIdAscending() {
        JsonNode items = page("tickets", null, "sort", "level", "limit", "200").get("items");
        List<String> ordered = new ArrayList<>();
        for (JsonNode item : items) {
            ordered.add(item.get("level").asInt() + " " + UUID.fromString(item.get("id").asString()));
        }
        List<String> expected = new ArrayList<>(ordered);
        expected.sort((a, b) -> {
            int byLevel = a.substring(0, 1).compareTo(b.substring(0, 1));
            return byLevel != 0 ? byLevel : UUID.fromString(a.substring(2)).toString()
                    .compareTo(UUID.fromString(b.substring(2)).toString());
        });
        assertThat(ordered).isEqualTo(expected);
    }

    @Test
    void aCursorBelongsToItsQueryAndSort() {
        String next = page("tickets", "level = 1", "limit", "1").get("next").asString();
        assertThat(fx.problemFields(get(team.viewerToken(), "tickets", "level = 0", "limit", "1", "cursor", next)))
                .containsExactly("cursor");
        assertThat(fx.problemFields(get(team.viewerToken(), "tickets", "level = 1", "sort", "ece", "cursor", next)))
                .containsExactly("cursor");
        assertThat(fx.problemFields(get(team.viewerToken(), "experiments", "level = 1", "limit", "1", "cursor", next)))
                .containsExactly("cursor");
        assertThat(fx.problemFields(get(team.viewerToken(), "tickets", "level = 1", "cursor", "not-a-cursor")))
                .containsExactly("cursor");
        assertThat(get(team.viewerToken(), "tickets", "level = 1", "limit", "5", "cursor", next).statusCode())
                .as("the page size may change").isEqualTo(200);
        assertThat(get(team.viewerToken(), "tickets", " level=1 ", "sort", "-created", "cursor", next).statusCode())
                .as("the same search spelt otherwise").isEqualTo(200);
    }

    // ---- experiments -----------------------------------------------------------------------------

    @Test
    void experimentsMatchWhenOneOfTheirTicketsMatches() {
        assertThat(experimentNames("dataset = cifar10 AND sparsity >= 0.9 AND (ece < 0.05 OR nll < 0.3)", "sort", "created"))
                .containsExactly("E1", "E2");
        assertThat(experimentNames("dataset = cifar10", "sort", "created")).containsExactly("E1", "E2", "E4");
        assertThat(experimentNames("dataset = cifar10 AND level = 1", "sort", "created")).containsExactly("E1", "E2");
        assertThat(experimentNames("level = 2 AND ece < 0.05")).containsExactly("E1");
        assertThat(experimentNames("level = 0 AND ece < 0.03")).containsExactly("E3");
        assertThat(experimentNames("level = 0 AND sparsity >= 0.9")).as("one ticket must satisfy both").isEmpty();
        assertThat(experimentNames("name = \"it's queued\"")).containsExactly("E4");
    }

    @Test
    void matchingTicketsAreCountedAndExperimentsSortByTheirBestTicket() {
        JsonNode items = page("experiments", "dataset = cifar10 AND NOT level = 0").get("items");
        Map<String, Long> counts = new LinkedHashMap<>();
        items.forEach(item -> counts.put(item.get("name").asString(), item.get("matchingTickets").asLong()));
        assertThat(counts).containsOnly(Map.entry("ResNet-20 VWCC", 3L), Map.entry("ResNet-20 basic", 2L),
                Map.entry("it's queued", 0L));
        assertThat(experimentNames("dataset = cifar10", "sort", "-accuracy")).containsExactly("E2", "E1", "E4");
        assertThat(experimentNames("dataset = cifar10", "sort", "accuracy")).containsExactly("E2", "E1", "E4");
        JsonNode best = page("experiments", "dataset = cifar10", "sort", "-accuracy").get("items");
        assertThat(best.get(0).get("sortValue").asDouble()).isEqualTo(0.91);
        assertThat(best.get(1).get("sortValue").asDouble()).isEqualTo(0.90);
        JsonNode worst = page("experiments", "dataset = cifar10", "sort", "accuracy").get("items");
        assertThat(worst.get(0).get("sortValue").asDouble()).isEqualTo(0.70);
        assertThat(worst.get(1).get("sortValue").asDouble()).isEqualTo(0.85);
        assertThat(experimentNames("kind = imp", "sort", "-accuracy")).containsExactly("E3", "E2", "E1");
        JsonNode e2 = page("experiments", "name ~ vwcc").get("items").get(0);
        assertThat(e2.get("model").asString()).isEqualTo("resnet-20");
        assertThat(e2.get("dataset").asString()).isEqualTo("cifar10");
        assertThat(e2.get("objective").asString()).isEqualTo("vwcc");
        assertThat(experimentNames(null)).as("newest first by default").containsExactly("E4", "E3", "E2", "E1");
        List<String> paged = new ArrayList<>();
        JsonNode page = page("experiments", null, "sort", "-spec.training.learningRate", "limit", "3");
        paged.addAll(names(page));
        page = page("experiments", null, "sort", "-spec.training.learningRate", "limit", "3", "cursor",
                page.get("next").asString());
        paged.addAll(names(page));
        assertThat(page.get("next").isNull()).isTrue();
        assertThat(paged).hasSize(4).endsWith("ResNet-20 VWCC");
    }

    private static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.get("items").forEach(item -> names.add(item.get("name").asString()));
        return names;
    }

    // ---- visibility and hostile input --------------------------------------------------------------

    @Test
    void anotherTeamsDataNeverAppears() {
        assertThat(ticketLabels("sparsity > 0 OR NOT sparsity > 0", "limit", "200")).hasSize(9).doesNotContain("F s0 L1");
        assertThat(experimentNames("dataset = cifar10 OR NOT dataset = cifar10")).doesNotContain("F").hasSize(4);
        assertThat(experimentNames("experiment = " + foreign)).isEmpty();
        HttpResponse<String> theirs = get(other.memberToken(), "tickets", null);
        assertThat(theirs.statusCode()).isEqualTo(200);
        assertThat(fx.tree(theirs).get("items").size()).isEqualTo(1);
        assertThat(fx.tree(theirs).get("items").get(0).get("id").asString()).isEqualTo(tickets.get("F s0 L1").toString());
    }

    @Test
    void onlyTeamTokensSearch() {
        String worker = fx.workerToken(QueueFixtures.uniquePool());
        for (String target : List.of("tickets", "experiments")) {
            assertThat(get(worker, target, null).statusCode()).isEqualTo(403);
            assertThat(get(ApiTestSupport.ADMIN_TOKEN, target, null).statusCode()).isEqualTo(403);
            assertThat(get(null, target, null).statusCode()).isEqualTo(401);
            assertThat(get(team.memberToken(), target, null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void injectionLookingInputIsDataOrA400() {
        assertThat(ticketLabels("name = \"x' OR '1'='1\"")).isEmpty();
        assertThat(ticketLabels("name = \"'; DROP TABLE ticket; --\" OR kind = 'imp''; --'")).isEmpty();
        assertThat(ticketLabels("ece[cifar10' OR '1'='1:test] < 1")).isEmpty();
        assertThat(ticketLabels("spec.pruning.layerFractions.fc1--weight > 0")).isEmpty();
        assertThat(fx.problemFields(get(team.viewerToken(), "tickets", "dataset = cifar10; DROP TABLE ticket")))
                .containsExactly("q");
        assertThat(fx.problemFields(get(team.viewerToken(), "tickets", "spec.model') OR true -- = 1")))
                .containsExactly("q");
        assertThat(fx.problemFields(get(team.viewerToken(), "tickets", null, "sort", "ece; DROP TABLE ticket")))
                .containsExactly("sort");
        assertThat(fx.problemFields(get(team.viewerToken(), "experiments", null, "sort", "id desc")))
                .containsExactly("sort");
        assertThat(jdbc.sql("SELECT count(*) FROM ticket").query(Long.class).single()).isGreaterThanOrEqualTo(10);
        assertThat(ticketLabels("level >= 0", "limit", "200")).hasSize(9);
    }

    @Test
    void problemsNameTheParameterAndThePosition() {
        HttpResponse<String> unknown = get(team.viewerToken(), "tickets", "dataset = cifar10 AND accuracyy > 0.5");
        assertThat(fx.problemFields(unknown)).containsExactly("q");
        JsonNode problem = fx.tree(unknown);
        assertThat(problem.get("errors").get(0).get("message").asString())
                .startsWith("unknown field 'accuracyy'").endsWith("at position 23");
        assertThat(problem.get("detail").asString()).startsWith("q: unknown field 'accuracyy'");
        assertThat(fx.tree(get(team.viewerToken(), "tickets", "spec.training.lr > 1")).get("errors").get(0)
                .get("message").asString()).contains("spec.training has batchSize, epochs, learningRate");
        assertThat(fx.problemFields(get(team.viewerToken(), "tickets", "level >", "limit", "0", "sort", "foo")))
                .containsExactly("limit", "q", "sort");
        assertThat(fx.problemFields(get(team.viewerToken(), "experiments", null, "limit", "201"))).containsExactly("limit");
        assertThat(fx.problemFields(get(team.viewerToken(), "tickets", null, "sort", "spec.controls")))
                .containsExactly("sort");
        assertThat(get(team.viewerToken(), "tickets", null, "limit", "200").statusCode()).isEqualTo(200);
        assertThat(get(team.viewerToken(), "tickets", null, "limit", "1").statusCode()).isEqualTo(200);
    }

    @Test
    void sortValuesKeepTheirType() {
        JsonNode items = page("tickets", "level = 2", "sort", "-created").get("items");
        assertThat(java.time.Instant.parse(items.get(0).get("sortValue").asString()))
                .isBefore(java.time.Instant.now().minusSeconds(3 * 3600));
        assertThat(page("tickets", "level = 2", "sort", "spec.training.learningRate").get("items").get(0)
                .get("sortValue").asDouble()).isCloseTo(0.1, within(0.0));
        assertThat(page("tickets", "level = 2", "sort", "name").get("items").get(0).get("sortValue").asString())
                .isEqualTo("ResNet-20 basic");
    }
}
