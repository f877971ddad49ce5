package io.ticketfoundry.api.preset;

import io.ticketfoundry.api.experiment.SpecHasher;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Protocol presets: the settings of published lottery-ticket runs as partial specs. A submission
 * by preset deep-merges its own {@code spec} over the preset's: objects merge field by field,
 * while scalars, arrays and map-valued fields ({@code pruning.layerFractions}) given in the
 * overrides replace the preset's value whole; a {@code null} override restores the server default.
 */
public final class Presets {

    /** One preset: its name, what it reproduces and where our choices differ, and its spec. */
    public record Preset(String name, String description, JsonNode spec) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Map<String, Preset> PRESETS = new LinkedHashMap<>();

    static {
        add("open-lth-lenet-300-100",
                "open_lth's mnist_lenet_300_100 lottery run: SGD lr 0.1, batch 128, 40 epochs, global magnitude pruning of "
                        + "20% a level with fc3 never pruned, counted as open_lth's sparse_global.py counts "
                        + "(ignored weights included, pruning through the threshold), rewind to init.",
                """
                {"model": "lenet-300-100", "dataset": "mnist",
                 "training": {"optimizer": "sgd", "learningRate": 0.1, "momentum": 0.0, "batchSize": 128, "epochs": 40},
                 "pruning": {"scope": "global", "fraction": 0.2, "ignore": ["fc3.weight"], "counting": "ignored-included"},
                 "rewind": {"step": 0}}""");
        add("frankle-carbin-lenet-300-100",
                "Frankle & Carbin (2019), LeNet-300-100 on MNIST: Adam lr 1.2e-3, batch 60, 50,000 iterations (50 epochs "
                        + "of 60,000 images at batch 60 = 1,000 iterations each), layerwise pruning of 20% a level with the "
                        + "output layer at 10%, rewind to init; 15 levels reach about 3.5% of the weights.",
                """
                {"model": "lenet-300-100", "dataset": "mnist",
                 "training": {"optimizer": "adam", "learningRate": 0.0012, "batchSize": 60, "epochs": 50},
                 "pruning": {"scope": "layerwise", "fraction": 0.2, "layerFractions": {"fc3.weight": 0.1}, "levels": 15},
                 "rewind": {"step": 0}}""");
        add("calibrate-and-prune-fashion-mnist",
                "Calibrate-and-Prune's Fashion-MNIST protocol: LeNet-300-100, Adam, batch 128, layerwise pruning of 20% "
                        + "a level with the output layer at 10%, late reset to epoch 1. The paper's appendix with its "
                        + "learning rate and budget is not available: lr 1e-3 and 20 epochs are our choices.",
                """
                {"model": "lenet-300-100", "dataset": "fashion-mnist",
                 "training": {"optimizer": "adam", "learningRate": 0.001, "batchSize": 128, "epochs": 20},
                 "pruning": {"scope": "layerwise", "fraction": 0.2, "layerFractions": {"fc3.weight": 0.1}},
                 "rewind": {"step": 1, "unit": "epochs"}}""");
        add("open-lth-resnet-20-cifar10",
                "open_lth's cifar_resnet_20 lottery run: SGD lr 0.1, momentum 0.9, weight decay 1e-4, batch 128, "
                        + "160 epochs with the learning rate x0.1 at epochs 80 and 120, global pruning of 20% a level "
                        + "with fc pruned too, counted as open_lth's sparse_global.py, rewind to init. To shorten it, override "
                        + "training.schedule.milestones together with training.epochs (milestones must fall inside the budget).",
                """
                {"model": "resnet-20", "dataset": "cifar10",
                 "training": {"optimizer": "sgd", "learningRate": 0.1, "momentum": 0.9, "weightDecay": 0.0001,
                              "batchSize": 128, "epochs": 160,
                              "schedule": {"kind": "step", "milestones": [80, 120], "gamma": 0.1, "unit": "epochs"}},
                 "pruning": {"scope": "global", "fraction": 0.2, "counting": "ignored-included"},
                 "rewind": {"step": 0}}""");
    }

    private Presets() {
    }

    private static void add(String name, String description, String spec) {
        PRESETS.put(name, new Preset(name, description, JSON.readTree(spec)));
    }

    public static List<Preset> all() {
        return List.copyOf(PRESETS.values());
    }

    public static List<String> names() {
        return List.copyOf(PRESETS.keySet());
    }

    public static Optional<Preset> find(String name) {
        return Optional.ofNullable(name == null ? null : PRESETS.get(name));
    }

    /** The preset's spec with {@code overrides} merged over it (see the class comment); a new tree. */
    public static JsonNode merge(JsonNode base, JsonNode overrides) {
        ObjectNode out = (ObjectNode) base.deepCopy();
        if (overrides == null || overrides.isNull() || overrides.isMissingNode() || !overrides.isObject()) {
            return out;
        }
        mergeInto(out, overrides, "", SpecHasher.forExperimentSpec().valuePaths());
        return out;
    }

    private static void mergeInto(ObjectNode target, JsonNode overrides, String path, java.util.Set<String> valuePaths) {
        for (Map.Entry<String, JsonNode> field : overrides.properties()) {
            String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            JsonNode current = target.get(field.getKey());
            JsonNode value = field.getValue();
            if (value.isObject() && current != null && current.isObject() && !valuePaths.contains(fieldPath)) {
                mergeInto((ObjectNode) current, value, fieldPath, valuePaths);
            } else if (value.isNull()) {
                target.remove(field.getKey());
            } else {
                target.set(field.getKey(), value.deepCopy());
            }
        }
    }
}
