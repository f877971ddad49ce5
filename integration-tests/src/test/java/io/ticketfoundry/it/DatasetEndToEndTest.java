package io.ticketfoundry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.SyntheticIdx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Datasets through the whole stack: a team uploads an IDX dataset and registers a recipe over a
 * base dataset; experiments naming them by id run on a worker, which rebuilds the recipe from the
 * base files and downloads (and caches) the upload's files.
 */
class DatasetEndToEndTest {

    @RegisterExtension
    static final Deployment DEPLOYMENT = new Deployment("e2e-data");

    private static FoundryApi api;

    @BeforeAll
    static void start() throws Exception {
        api = DEPLOYMENT.api();
        SyntheticIdx.write(DEPLOYMENT.datasets(), DatasetInfo.MNIST, 600, 200, 11, false);
        SyntheticIdx.write(DEPLOYMENT.datasets(), DatasetInfo.FASHION_MNIST, 100, 1000, 13, false);
        SyntheticIdx.write(DEPLOYMENT.scratch("upload"), DatasetInfo.MNIST, 400, 100, 12, true);
    }

    @Test
    void experimentsOnAnUploadAndOnARecipeTrainOnTheWorker() throws Exception {
        String member = api.member("e2e-data", "dora");

        Path dir = DEPLOYMENT.scratch("upload").resolve("mnist");
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("trainImages", dir.resolve("train-images-idx3-ubyte.gz"));
        files.put("trainLabels", dir.resolve("train-labels-idx1-ubyte.gz"));
        files.put("testImages", dir.resolve("t10k-images-idx3-ubyte.gz"));
        files.put("testLabels", dir.resolve("t10k-labels-idx1-ubyte.gz"));
        JsonNode upload = upload(member, files);
        String uploadId = upload.path("id").asString();
        String trainSha = upload.path("files").path("trainImages").path("sha256").asString();

        JsonNode recipe = api.call("POST", "api/v1/datasets", member, Map.of("name", "mnist 30 per class",
                "recipe", Map.of("kind", "subset", "base", "mnist", "perClass", 30, "seed", 1)), 201);
        String recipeId = recipe.path("id").asString();

        Map<String, Object> training = Map.of("optimizer", "sgd", "learningRate", 0.05, "batchSize", 32, "epochs", 2);
        for (String dataset : new String[] {uploadId, recipeId}) {
            JsonNode experiment = api.call("POST", "api/v1/experiments", member, Map.of("name", "on " + dataset,
                    "spec", Map.of("dataset", dataset, "training", training, "pruning", Map.of("levels", 0))), 201);
            List<JsonNode> tickets = api.awaitTickets(experiment.path("id").asString(), member, 1, Duration.ofMinutes(4));
            assertThat(tickets).as("tickets on " + dataset).hasSize(1);
            JsonNode full = tickets.get(0);
            double accuracy = -1;
            for (JsonNode metric : full.path("metrics")) {
                if (metric.path("name").asString().equals("accuracy")) {
                    accuracy = metric.path("value").asDouble();
                    assertThat(metric.path("dataset").asString()).isEqualTo(dataset);
                }
            }
            assertThat(accuracy).as("accuracy on " + dataset).isGreaterThan(0.3);
        }
        assertThat(Files.isRegularFile(DEPLOYMENT.workDir().resolve("datasets/" + trainSha)))
                .as("the worker caches the upload's files by hash").isTrue();
    }

    @Test
    void aCorruptionRecipeIsAnOrdinaryDatasetToTrainOn() throws Exception {
        String member = api.member("e2e-shift", "ravi");
        JsonNode fog = api.call("POST", "api/v1/datasets", member, Map.of("name", "fashion fog 5",
                "recipe", Map.of("kind", "corruption", "base", "fashion-mnist", "corruption", "fog", "severity", 5)), 201);
        String id = fog.path("id").asString();
        assertThat(fog.path("recipe").path("trainFraction").asDouble()).isEqualTo(0.9);
        Map<String, Object> training = Map.of("optimizer", "sgd", "learningRate", 0.05, "batchSize", 32, "epochs", 2);
        JsonNode experiment = api.call("POST", "api/v1/experiments", member, Map.of("name", "on fog 5",
                "spec", Map.of("dataset", id, "training", training, "pruning", Map.of("levels", 0))), 201);
        List<JsonNode> tickets = api.awaitTickets(experiment.path("id").asString(), member, 1, Duration.ofMinutes(4));
        assertThat(tickets).hasSize(1);
        double accuracy = -1;
        for (JsonNode metric : tickets.get(0).path("metrics")) {
            if (metric.path("name").asString().equals("accuracy")) {
                accuracy = metric.path("value").asDouble();
                assertThat(metric.path("dataset").asString()).isEqualTo(id);
            }
        }
        // trained on 900 fogged images of the 1,000-image test split, tested on the other 100
        assertThat(accuracy).as("accuracy on fog 5").isGreaterThan(0.3);
    }

    private static JsonNode upload(String token, Map<String, Path> files) throws Exception {
        Map<String, Map.Entry<String, byte[]>> parts = new LinkedHashMap<>();
        for (Map.Entry<String, Path> file : files.entrySet()) {
            parts.put(file.getKey(), Map.entry(file.getValue().getFileName().toString(), Files.readAllBytes(file.getValue())));
        }
        return api.postMultipart("api/v1/datasets/uploads", token, Map.of("format", "idx"), parts, 201);
    }
}
