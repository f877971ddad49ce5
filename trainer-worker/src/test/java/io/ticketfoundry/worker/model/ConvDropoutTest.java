package io.ticketfoundry.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.ticketfoundry.common.spec.ModelCatalog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The {@code hidden-and-conv} placement: dropout right after each convolutional block's
 * activation (ResNets: after each residual block's output), seeded, active in training-mode
 * forwards only, and without a tensor of its own.
 */
class ConvDropoutTest {

    private static final ModelRegistry MODELS = ModelRegistry.standard();
    private static final HiddenDropout HIDDEN_ONLY = new HiddenDropout(0.2);

    private static HiddenDropout hiddenAndConv() {
        return new HiddenDropout(0.2, true);
    }

    /** The top-level layers of a network's block, one token each. */
    private static String layout(Network network) {
        List<String> tokens = new ArrayList<>();
        for (Block child : network.block().getChildren().values()) {
            tokens.add(token(child));
        }
        return String.join(" ", tokens);
    }

    private static String token(Block block) {
        if (block instanceof SeededDropout) {
            return "dropout";
        }
        if (block instanceof Conv2d) {
            return "conv";
        }
        if (block instanceof BatchNorm2d) {
            return "bn";
        }
        if (block instanceof Linear) {
            return "linear";
        }
        if (block instanceof ParallelBlock) {
            assertThat(countDropout(block)).as("no dropout inside a residual block").isZero();
            return "residual";
        }
        if (block instanceof LambdaBlock lambda) {
            String name = lambda.getName().toLowerCase();
            return name.contains("relu") ? "relu" : name.contains("global") ? "gap" : name.contains("max") ? "maxpool"
                    : name.contains("avg") ? "avgpool" : name.contains("flatten") ? "flatten" : name;
        }
        return block.getClass().getSimpleName();
    }

    private static int countDropout(Block block) {
        int count = block instanceof SeededDropout ? 1 : 0;
        for (Block child : block.getChildren().values()) {
            count += countDropout(child);
        }
        return count;
    }

    private static String repeat(String tokens, int times) {
        return String.join(" ", Collections.nCopies(times, tokens));
    }

    @Test
    void dropoutFollowsTheActivationOfEveryConvolutionalBlock() {
        assertThat(layout(MODELS.get("lenet-5").newNetwork(hiddenAndConv()))).isEqualTo(
                "conv relu dropout maxpool conv relu dropout maxpool flatten "
                        + "linear relu dropout linear relu dropout linear");
        assertThat(layout(MODELS.get("conv-2").newNetwork(hiddenAndConv()))).isEqualTo(
                "conv relu dropout conv relu dropout maxpool flatten linear relu dropout linear relu dropout linear");
        assertThat(layout(MODELS.get("conv-4").newNetwork(hiddenAndConv()))).isEqualTo(
                repeat("conv relu dropout conv relu dropout maxpool", 2)
                        + " flatten linear relu dropout linear relu dropout linear");
        // VGG-11's plan: 64 M 128 M 256 256 M 512 512 M 512 512; every conv-BN-ReLU module, also the last
        String module = "conv bn relu dropout";
        assertThat(layout(MODELS.get("vgg-11").newNetwork(hiddenAndConv()))).isEqualTo(String.join(" ",
                module, "maxpool", module, "maxpool", module, module, "maxpool", module, module, "maxpool", module, module,
                "avgpool flatten linear"));
        // ResNets: after relu(main + shortcut) of each residual block; not after the stem
        assertThat(layout(MODELS.get("resnet-20").newNetwork(hiddenAndConv())))
                .isEqualTo("conv bn relu " + repeat("residual dropout", 9) + " gap flatten linear");
        assertThat(layout(MODELS.get("resnet-18").newNetwork(hiddenAndConv())))
                .isEqualTo("conv bn relu " + repeat("residual dropout", 8) + " gap flatten linear");
        assertThat(layout(MODELS.get("resnet-18-imagenet-stem").newNetwork(hiddenAndConv())))
                .isEqualTo("conv bn relu maxpool " + repeat("residual dropout", 8) + " gap flatten linear");
        // the default placement keeps the hidden slots only, as before
        assertThat(layout(MODELS.get("lenet-5").newNetwork(HIDDEN_ONLY))).isEqualTo(
                "conv relu maxpool conv relu maxpool flatten linear relu dropout linear relu dropout linear");
        assertThat(layout(MODELS.get("resnet-20").newNetwork(HIDDEN_ONLY)))
                .isEqualTo("conv bn relu " + repeat("residual", 9) + " gap flatten linear");
    }

    @Test
    void theCatalogKnowsWhichModelsHaveConvolutionalDropoutSlots() {
        Map<String, Integer> convSlots = new TreeMap<>();
        Set<String> withSlots = new TreeSet<>();
        for (String name : MODELS.names()) {
            ModelDefinition model = MODELS.get(name);
            int slots = countDropout(model.newNetwork(hiddenAndConv()).block()) - countDropout(model.newNetwork(HIDDEN_ONLY).block());
            convSlots.put(name, slots);
            if (slots > 0) {
                withSlots.add(name);
            }
            assertThat(countDropout(model.newNetwork(new HiddenDropout(0, true)).block())).as("rate 0: no dropout").isZero();
        }
        assertThat(withSlots).isEqualTo(new TreeSet<>(ModelCatalog.CONV_DROPOUT_MODELS));
        Map<String, Integer> expected = new TreeMap<>(Map.ofEntries(Map.entry("lenet-300-100", 0), Map.entry("lenet-5", 2),
                Map.entry("conv-2", 2), Map.entry("conv-4", 4), Map.entry("conv-6", 6), Map.entry("vgg-11", 8),
                Map.entry("vgg-13", 10), Map.entry("vgg-16", 13), Map.entry("vgg-19", 16), Map.entry("resnet-20", 9),
                Map.entry("resnet-18", 8), Map.entry("resnet-18-imagenet-stem", 8)));
        assertThat(convSlots).isEqualTo(expected);
    }

    @Test
    void everyModelKeepsItsParameterNamesAndShapes() {
        for (String name : MODELS.names()) {
            ModelDefinition model = MODELS.get(name);
            Weights weights = model.initialWeights(5);
            try (NDManager manager = NDManager.newBaseManager()) {
                Map<String, String> plain = djlParameters(model.newNetwork(), weights, manager);
                Network stochastic = model.newNetwork(hiddenAndConv());
                Map<String, String> withDropout = djlParameters(stochastic, weights, manager);
                assertThat(withDropout).as(name).isNotEmpty().isEqualTo(plain);
                for (ParameterSpec spec : model.parameters()) {
                    assertThat(stochastic.array(spec.name()).getShape().getShape()).as(name + " " + spec.name())
                            .containsExactly(spec.shape());
                }
                assertThat(stochastic.currentWeights().bitEquals(weights)).as(name).isTrue();
            }
        }
    }

    /** Every DJL parameter of the block, by its path in the block tree without layer indices, with its shape. */
    private static Map<String, String> djlParameters(Network network, Weights weights, NDManager manager) {
        ModelDefinition model = network.definition();
        // the FixedValues initialisers fail unless every tensor is asked for in its reference shape
        network.initializeWith(weights);
        network.block().initialize(manager, DataType.FLOAT32, new Shape(1).addAll(model.sampleShape()));
        Map<String, String> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : network.block().getParameters()) {
            // child names carry their index in the sequential block, which dropout blocks shift
            out.put(p.getKey().replaceAll("\\d+(?=[A-Za-z])", "") + "#" + out.size(), p.getValue().getArray().getShape().toString());
        }
        return out;
    }

    @Test
    void aConvolutionalDropoutZeroesAboutItsRateOfTheActivationInTrainingAndPassesItThroughInEvaluation() {
        ModelDefinition lenet5 = MODELS.get("lenet-5");
        HiddenDropout dropout = hiddenAndConv();
        Network network = lenet5.newNetwork(dropout);
        try (NDManager manager = NDManager.newBaseManager()) {
            network.initializeWith(lenet5.initialWeights(4));
            network.block().initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            List<Block> layers = new ArrayList<>(network.block().getChildren().values());
            assertThat(layers.get(2)).isInstanceOf(SeededDropout.class);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.randomUniform(-1, 1, new Shape(32, 1, 28, 28));
            NDList activation = layers.get(1).forward(store, layers.get(0).forward(store, new NDList(x), true), true);
            float[] before = activation.singletonOrThrow().toFloatArray();

            dropout.reseed(11);
            float[] trained = layers.get(2).forward(store, activation, true).singletonOrThrow().toFloatArray();
            int positive = 0;
            int dropped = 0;
            for (int i = 0; i < before.length; i++) {
                if (before[i] > 0) {
                    positive++;
                    if (trained[i] == 0) {
                        dropped++;
                    } else {
                        assertThat(trained[i]).isEqualTo(before[i] * 1.25f);
                    }
                } else {
                    assertThat(trained[i]).isZero();
                }
            }
            assertThat(positive).isGreaterThan(10_000);
            assertThat((double) dropped / positive).isCloseTo(0.2, within(0.01));

            float[] evaluated = layers.get(2).forward(store, activation, false).singletonOrThrow().toFloatArray();
            assertThat(evaluated).containsExactly(before);

            dropout.reseed(11);
            assertThat(layers.get(2).forward(store, activation, true).singletonOrThrow().toFloatArray()).containsExactly(trained);
            dropout.reseed(12);
            assertThat(layers.get(2).forward(store, activation, true).singletonOrThrow().toFloatArray()).isNotEqualTo(trained);
        }
    }

    @Test
    void inEvaluationTheNetworkIsTheOneWithoutDropoutAndInTrainingItIsSeeded() {
        for (String name : List.of("lenet-5", "resnet-20")) {
            ModelDefinition model = MODELS.get(name);
            Weights weights = model.initialWeights(6);
            try (NDManager manager = NDManager.newBaseManager()) {
                manager.getEngine().setRandomSeed(3);
                NDArray x = manager.randomNormal(new Shape(4).addAll(model.sampleShape()));
                HiddenDropout dropout = hiddenAndConv();
                float[] plainEval = forward(model.newNetwork(), weights, manager, x, false);
                float[] plainTrain = forward(model.newNetwork(), weights, manager, x, true);
                assertThat(forward(model.newNetwork(dropout), weights, manager, x, false)).as(name).containsExactly(plainEval);
                dropout.reseed(7);
                float[] first = forward(model.newNetwork(dropout), weights, manager, x, true);
                dropout.reseed(7);
                float[] again = forward(model.newNetwork(dropout), weights, manager, x, true);
                dropout.reseed(8);
                float[] other = forward(model.newNetwork(dropout), weights, manager, x, true);
                assertThat(again).as(name).containsExactly(first);
                assertThat(other).as(name).isNotEqualTo(first);
                assertThat(first).as(name).isNotEqualTo(plainTrain);
            }
        }
    }

    private static float[] forward(Network network, Weights weights, NDManager manager, NDArray x, boolean training) {
        network.initializeWith(weights);
        network.block().initialize(manager, DataType.FLOAT32, new Shape(1).addAll(network.definition().sampleShape()));
        return network.block().forward(new ParameterStore(manager, false), new NDList(x), training).singletonOrThrow()
                .toFloatArray();
    }

}
