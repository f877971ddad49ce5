package io.ticketfoundry.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.SyntheticIdx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The one-shot pruning strategies through the API: level 0 trains dense, level 1 is pruned once by
 * the method to exactly the target sparsity and retrained; the experiment then ends.
 */
class PruningMethodsEndToEndTest {

    @RegisterExtension
    static final Deployment DEPLOYMENT = new Deployment("e2e-prune");

    private static FoundryApi api;

    @BeforeAll
    static void start() throws Exception {
        api = DEPLOYMENT.api();
        SyntheticIdx.write(DEPLOYMENT.datasets(), DatasetInfo.MNIST, 400, 200, 31, false);
    }

    @Test
    void everyOneShotStrategyMakesADenseAndAPrunedTicketAtExactlyTheTarget() throws Exception {
        String member = api.member("e2e-pruning", "pia");
        Map<String, Object> training = Map.of("optimizer", "sgd", "learningRate", 0.05, "batchSize", 50, "epochs", 2);
        for (String strategy : List.of("random", "snip", "grasp", "synflow")) {
            Map<String, Object> pruning = Map.of("strategy", strategy, "targetSparsity", 0.9, "scope", "layerwise",
                    "layerDistribution", "erk", "synflowRounds", 10);
            JsonNode experiment = api.call("POST", "api/v1/experiments", member, Map.of("name", strategy + " at 90%",
                    "spec", Map.of("dataset", "mnist", "training", training, "pruning", pruning)), 201);
            List<JsonNode> tickets = api.awaitTickets(experiment.path("id").asString(), member, 2, Duration.ofMinutes(3));
            assertThat(tickets).as(strategy).hasSize(2);
            JsonNode pruned = tickets.stream().filter(t -> t.path("level").asInt() == 1).findFirst().orElseThrow();
            assertThat(pruned.path("prunable").path("remaining").asLong()).as(strategy).isEqualTo(26_620);
            assertThat(pruned.path("sparsity").asDouble()).isCloseTo(0.9, within(1e-4));
            assertThat(pruned.path("provenance").path("pruneStrategy").asString()).isEqualTo(strategy);
            assertThat(pruned.path("provenance").path("pruning").asString()).contains("\"distribution\":\"erk\"");
            double accuracy = -1;
            for (JsonNode metric : pruned.path("metrics")) {
                if (metric.path("name").asString().equals("accuracy")) {
                    accuracy = metric.path("value").asDouble();
                }
            }
            assertThat(accuracy).as(strategy + ": the retrained ticket is scored").isBetween(0.0, 1.0);
            if (strategy.equals("random")) {
                // the retraining path works: a random 10% of LeNet learns these prototypes
                assertThat(accuracy).isGreaterThan(0.5);
            }
            JsonNode jobs = api.jobs(experiment.path("id").asString(), member);
            assertThat(jobs.size()).as("no level after the target").isEqualTo(2);
        }
    }
}
