package io.ticketfoundry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.common.safetensors.DType;
import io.ticketfoundry.common.safetensors.SafeTensors;
import io.ticketfoundry.common.safetensors.SafeTensorsReader;
import io.ticketfoundry.common.safetensors.Tensor;
import io.ticketfoundry.common.spec.ModelCatalog;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.SyntheticCifar;
import io.ticketfoundry.worker.data.SyntheticIdx;
import io.ticketfoundry.worker.model.BufferSpec;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ModelRegistry;
import io.ticketfoundry.worker.model.ParameterSpec;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * One small IMP job per model family through the API and a real worker (issue 3's acceptance):
 * LeNet-300-100 and LeNet-5 on generated MNIST IDX files, Conv-2, VGG-11 (BatchNorm), ResNet-20
 * and ResNet-18 (CIFAR stem) on generated CIFAR-10 binary files, each with one pruning level
 * after the dense one and a few batches of training. Every downloaded mask and checkpoint is
 * named as the catalogue and the PyTorch reference name it, level 1 keeps exactly what global
 * 20% pruning with {@code ceil} leaves, and BatchNorm models carry their running statistics and
 * I64 batch counters. Every preset served by {@code GET /api/v1/presets} is submitted by name
 * with small overrides and runs.
 */
class ModelFamiliesEndToEndTest {

    private static final String ADMIN = "tf_e2e_families_admin_0123456789abcdef01234567";
    private static final String WORKER = "tf_e2e_families_worker_0123456789abcdef0123456";
    private static final ModelRegistry MODELS = ModelRegistry.standard();

    /** Model → dataset; 128 MNIST and 80 CIFAR-10 training images, batch 32, one epoch. */
    private static final Map<String, String> FAMILIES = new LinkedHashMap<>();

    static {
        FAMILIES.put("lenet-300-100", "mnist");
        FAMILIES.put("lenet-5", "mnist");
        FAMILIES.put("conv-2", "cifar10");
        FAMILIES.put("vgg-11", "cifar10");
        FAMILIES.put("resnet-20", "cifar10");
        FAMILIES.put("resnet-18", "cifar10");
    }

    /** One epoch of the 80 generated CIFAR-10 training images at batch 32: ceil(80 / 32) steps. */
    private static final long CIFAR_STEPS = 3;

    @TempDir
    static Path temp;

    private static FoundryApi api;
    private static InProcessWorker worker;
    private static String member;

    @BeforeAll
    static void start() throws Exception {
        Path datasets = temp.resolve("datasets");
        SyntheticIdx.write(datasets, DatasetInfo.MNIST, 128, 64, 21, false);
        SyntheticIdx.write(datasets, DatasetInfo.FASHION_MNIST, 128, 64, 22, true);
        SyntheticCifar.writeCifar10(datasets, 16, 40, 23);
        api = FoundryApi.start(temp.resolve("api"), ADMIN, WORKER, "--tf.queue.lease-duration=6s");
        // the in-code settings verify dataset hashes in warn mode: these files are generated
        worker = InProcessWorker.start(api, "e2e-families-worker", datasets, temp.resolve("worker"), Duration.ofMillis(100));
        member = api.member("e2e-families", "erin");
    }

    @AfterAll
    static void stop() throws Exception {
        FoundryApi.stop(worker, api);
    }

    @Test
    void everyModelFamilyRunsTwoLevelsAndItsTicketsMatchTheCatalogue() throws Exception {
        Map<String, String> experiments = new LinkedHashMap<>();
        for (Map.Entry<String, String> family : FAMILIES.entrySet()) {
            Map<String, Object> spec = Map.of(
                    "model", family.getKey(),
                    "dataset", family.getValue(),
                    "training", Map.of("optimizer", "sgd", "learningRate", 0.01, "momentum", 0.9, "batchSize", 32,
                            "epochs", 1),
                    "pruning", Map.of("scope", "global", "fraction", 0.2, "levels", 1));
            experiments.put(family.getKey(), api.call("POST", "api/v1/experiments", member,
                    Map.of("name", "family " + family.getKey(), "spec", spec), 201).path("id").asString());
        }
        for (Map.Entry<String, String> experiment : experiments.entrySet()) {
            String model = experiment.getKey();
            Instant started = Instant.now();
            List<JsonNode> tickets = api.awaitTickets(experiment.getValue(), member, 2, Duration.ofMinutes(4));
            System.out.printf("%s: tickets after %d ms more%n", model, Duration.between(started, Instant.now()).toMillis());
            checkFamily(model, tickets);
        }
    }

    @Test
    void everyPresetIsAcceptedByNameWithSmallOverridesAndRuns() throws Exception {
        JsonNode presets = api.call("GET", "api/v1/presets", member, null, 200).path("items");
        assertThat(presets).as("the API serves presets").isNotEmpty();
        Map<String, String> experiments = new LinkedHashMap<>();
        for (JsonNode preset : presets) {
            String name = preset.path("name").asString();
            // a short budget on the tiny generated data, with step milestones moved inside it;
            // everything else is the preset's own
            Map<String, Object> training = new LinkedHashMap<>(Map.of("epochs", 2));
            if (preset.at("/spec/training/schedule/milestones").isArray()) {
                training.put("schedule", Map.of("milestones", List.of(1)));
            }
            Map<String, Object> overrides = Map.of("training", training, "pruning", Map.of("levels", 1));
            JsonNode experiment = api.call("POST", "api/v1/experiments", member,
                    Map.of("name", "preset " + name, "preset", name, "spec", overrides), 201);
            JsonNode resolved = experiment.path("resolvedSpec");
            JsonNode presetSpec = preset.path("spec");
            assertThat(resolved.path("model").asString()).as(name).isEqualTo(presetSpec.path("model").asString());
            assertThat(resolved.path("dataset").asString()).as(name).isEqualTo(presetSpec.path("dataset").asString());
            assertThat(resolved.at("/training/optimizer").asString()).as(name)
                    .isEqualTo(presetSpec.at("/training/optimizer").asString());
            assertThat(resolved.at("/training/learningRate").asDouble()).as(name)
                    .isEqualTo(presetSpec.at("/training/learningRate").asDouble());
            assertThat(resolved.at("/pruning/scope").asString()).as(name)
                    .isEqualTo(presetSpec.at("/pruning/scope").asString());
            assertThat(resolved.at("/training/epochs").asInt()).as(name).isEqualTo(2);
            experiments.put(name, experiment.path("id").asString());
        }
        for (Map.Entry<String, String> experiment : experiments.entrySet()) {
            List<JsonNode> tickets = api.awaitTickets(experiment.getValue(), member, 2, Duration.ofMinutes(4));
            assertThat(tickets.get(1).path("prunable").path("remaining").asLong()).as(experiment.getKey())
                    .isLessThan(tickets.get(0).path("prunable").path("remaining").asLong());
        }
    }

    private static void checkFamily(String model, List<JsonNode> tickets) throws Exception {
        ModelCatalog.ModelInfo info = ModelCatalog.model(model).orElseThrow();
        ModelDefinition definition = MODELS.get(model);
        assertThat(definition.prunableParameters()).extracting(ParameterSpec::name).as(model)
                .containsExactlyElementsOf(info.prunableTensors());

        long pool = 0;
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (String name : info.prunableTensors()) {
            ParameterSpec parameter = definition.parameter(name);
            shapes.put(name, parameter.shape());
            pool += parameter.size();
        }
        // global 20% of the pool at level 1: ceil(0.2 × pool) weights go
        long expectedRemaining = pool - (pool * 2 + 9) / 10;

        assertThat(tickets).extracting(t -> t.path("level").asInt()).as(model).containsExactly(0, 1);
        for (JsonNode ticket : tickets) {
            int level = ticket.path("level").asInt();
            String what = model + " level " + level;
            String id = ticket.path("id").asString();
            assertThat(ticket.path("prunable").path("total").asLong()).as(what).isEqualTo(pool);
            assertThat(ticket.path("allParameters").path("total").asLong()).as(what)
                    .isEqualTo(definition.totalParameterCount());
            long remaining = level == 0 ? pool : expectedRemaining;
            assertThat(ticket.path("prunable").path("remaining").asLong()).as(what).isEqualTo(remaining);

            SafeTensors mask = read(what + " mask", "api/v1/tickets/" + id + "/mask");
            assertThat(mask.names()).as(what + " mask tensors").containsExactlyInAnyOrderElementsOf(info.prunableTensors());
            // plain loops over the millions of values: the worker trains the next job on the same cores
            long kept = 0;
            long notBinary = 0;
            for (String name : info.prunableTensors()) {
                Tensor tensor = mask.get(name);
                assertThat(tensor.dtype()).as(what + " " + name).isEqualTo(DType.U8);
                assertThat(tensor.shape()).as(what + " " + name).containsExactly(shapes.get(name));
                for (byte value : tensor.rawData()) {
                    notBinary += value == 0 || value == 1 ? 0 : 1;
                    kept += value;
                }
            }
            assertThat(notBinary).as(what + " mask values other than 0/1").isZero();
            assertThat(kept).as(what + " weights the mask keeps").isEqualTo(remaining);

            SafeTensors weights = read(what + " weights", "api/v1/tickets/" + id + "/weights");
            assertThat(weights.names()).as(what + " checkpoint tensors")
                    .containsExactlyInAnyOrderElementsOf(definition.stateDictOrder());
            for (ParameterSpec parameter : definition.parameters()) {
                Tensor tensor = weights.get(parameter.name());
                assertThat(tensor.dtype()).as(what + " " + parameter.name()).isEqualTo(DType.F32);
                assertThat(tensor.shape()).as(what + " " + parameter.name()).containsExactly(parameter.shape());
            }
            long prunedButNonZero = 0;
            for (String name : info.prunableTensors()) {
                float[] values = weights.get(name).toFloatArray();
                byte[] bits = mask.get(name).rawData();
                for (int i = 0; i < values.length; i++) {
                    prunedButNonZero += bits[i] == 0 && values[i] != 0f ? 1 : 0;
                }
            }
            assertThat(prunedButNonZero).as(what + " pruned weights that are not zero in the checkpoint").isZero();
            checkBuffers(what, definition, weights, CIFAR_STEPS);
            SafeTensors rewind = read(what + " rewind point", "api/v1/tickets/" + id + "/rewind");
            assertThat(rewind.names()).as(what + " rewind tensors").containsExactlyInAnyOrderElementsOf(definition.stateDictOrder());
            checkBuffers(what + " rewind point", definition, rewind, 0);
        }
    }

    /**
     * The BatchNorm buffers: F32 running statistics of their layer's width and an I64 scalar
     * counter of the training steps since the rewind point ({@code steps}); at the rewind point
     * (init) the statistics are a fresh module's, mean 0 and variance 1.
     */
    private static void checkBuffers(String what, ModelDefinition definition, SafeTensors weights, long steps) {
        List<BufferSpec> buffers = definition.buffers();
        boolean batchNorm = definition.parameters().stream().anyMatch(p -> p.kind() == ParameterSpec.Kind.NORM_WEIGHT);
        assertThat(buffers.isEmpty()).as(what + ": buffers exactly when the model has BatchNorm").isEqualTo(!batchNorm);
        int counters = 0;
        for (BufferSpec buffer : buffers) {
            Tensor tensor = weights.get(buffer.name());
            if (buffer.name().endsWith(".num_batches_tracked")) {
                counters++;
                assertThat(tensor.dtype()).as(what + " " + buffer.name()).isEqualTo(DType.I64);
                assertThat(tensor.shape()).as(what + " " + buffer.name() + " is a scalar").isEmpty();
                long[] count = tensor.toLongArray();
                assertThat(count).as(what + " " + buffer.name()).hasSize(1);
                assertThat(count[0]).as(what + " " + buffer.name() + " counts the training steps").isEqualTo(steps);
            } else {
                assertThat(buffer.name()).as(what).matches(".*\\.running_(mean|var)");
                assertThat(tensor.dtype()).as(what + " " + buffer.name()).isEqualTo(DType.F32);
                assertThat(tensor.shape()).as(what + " " + buffer.name()).containsExactly(buffer.shape());
                if (steps == 0) {
                    assertThat(tensor.toFloatArray()).as(what + " " + buffer.name())
                            .containsOnly((float) buffer.initialValue());
                }
            }
        }
        assertThat(counters * 2).as(what + ": a mean and a variance per counter").isEqualTo(buffers.size() - counters);
        if (batchNorm) {
            System.out.printf("%s: %d BatchNorm layers in the checkpoint%n", what, counters);
        }
    }

    private static SafeTensors read(String what, String path) throws Exception {
        HttpResponse<byte[]> response = api.download(path, member, null);
        assertThat(response.statusCode()).as(what).isEqualTo(200);
        Path file = Files.write(Files.createTempFile(temp, "download", ".safetensors"), response.body());
        return SafeTensorsReader.read(file);
    }
}
