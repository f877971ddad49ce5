package io.ticketfoundry.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.ticketfoundry.common.safetensors.DType;
import io.ticketfoundry.common.safetensors.SafeTensors;
import io.ticketfoundry.common.safetensors.SafeTensorsReader;
import io.ticketfoundry.worker.io.CheckpointFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every model runs forward; BatchNorm state is trained, checkpointed and kept in evaluation. */
class ModelZooTest {

    private static final ModelRegistry MODELS = ModelRegistry.standard();

    @TempDir
    Path dir;

    /** Forward pass of a batch of 2 in evaluation mode. */
    private static float[] forward(ModelDefinition definition, Weights weights, Shape input, long seed) {
        try (Model model = Model.newInstance(definition.name()); NDManager manager = NDManager.newBaseManager()) {
            Network network = definition.newNetwork();
            model.setBlock(network.block());
            network.initializeWith(weights);
            network.block().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1).addAll(definition.sampleShape()));
            manager.getEngine().setRandomSeed((int) seed);
            NDArray x = manager.randomNormal(new Shape(2).addAll(input));
            NDArray out = network.block().forward(new ParameterStore(model.getNDManager(), false), new NDList(x), false)
                    .singletonOrThrow();
            assertThat(out.getShape().getShape()).as(definition.name()).containsExactly(2, definition.numClasses());
            assertThat(network.currentWeights().bitEquals(weights)).as("evaluation leaves the state alone").isTrue();
            return out.toFloatArray();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet-300-100", "lenet-5", "conv-2", "conv-4", "conv-6", "vgg-11", "vgg-13", "vgg-16",
        "vgg-19", "resnet-20", "resnet-18"})
    void forwardOfABatchOfTwoGivesOneRowOfLogitsPerImage(String name) {
        ModelDefinition model = MODELS.get(name);
        float[] logits = forward(model, model.initialWeights(0), model.sampleShape(), 1);
        for (float v : logits) {
            assertThat(Float.isFinite(v)).isTrue();
        }
    }

    @Test
    void resnet18WithTheImagenetStemRunsOnCifarSizedImages() {
        ModelDefinition model = MODELS.get("resnet-18-imagenet-stem", 100);
        forward(model, model.initialWeights(0), new Shape(3, 32, 32), 1);
    }

    @Test
    void trainingUpdatesBatchNormStateWhichRoundTripsThroughSafetensorsBitForBit() throws Exception {
        ModelDefinition model = MODELS.get("resnet-20");
        Weights start = model.initialWeights(3);
        List<Float> losses = new ArrayList<>();
        Weights trained = train(model, start, 3, losses);

        assertThat(losses.get(2)).isLessThan(losses.get(0));
        assertThat(trained.longValues("bn.num_batches_tracked")).containsExactly(3L);
        assertThat(trained.longValues("blocks.6.shortcut.1.num_batches_tracked")).containsExactly(3L);
        assertThat(Arrays.equals(trained.values("bn.running_mean"), start.values("bn.running_mean"))).isFalse();
        assertThat(Arrays.equals(trained.values("blocks.8.bn2.running_var"), start.values("blocks.8.bn2.running_var")))
                .isFalse();

        Path file = dir.resolve("resnet20.safetensors");
        CheckpointFiles.writeWeights(trained, file, java.util.Map.of());
        SafeTensors raw = SafeTensorsReader.read(file);
        assertThat(raw.names()).containsExactlyInAnyOrderElementsOf(model.stateDictOrder());
        assertThat(raw.get("bn.num_batches_tracked").dtype()).isEqualTo(DType.I64);
        assertThat(raw.get("bn.num_batches_tracked").shape()).isEmpty();
        assertThat(raw.get("bn.num_batches_tracked").toLongArray()).containsExactly(3L);
        assertThat(raw.get("bn.running_var").dtype()).isEqualTo(DType.F32);
        Weights read = CheckpointFiles.readWeights(file, model);
        assertThat(read.bitEquals(trained)).isTrue();

        // the same weights in a fresh network: evaluation of the checkpoint matches the trained state
        float[] a = forward(model, trained, model.sampleShape(), 5);
        float[] b = forward(model, read, model.sampleShape(), 5);
        assertThat(a).containsExactly(b);
    }

    @Test
    void aLenetCheckpointHasNoBuffersAndRoundTrips() throws Exception {
        ModelDefinition model = MODELS.get("lenet-5");
        Weights w = model.initialWeights(9);
        Path file = dir.resolve("lenet5.safetensors");
        CheckpointFiles.writeWeights(w, file, java.util.Map.of());
        assertThat(SafeTensorsReader.read(file).names()).containsExactlyInAnyOrderElementsOf(model.stateDictOrder());
        assertThat(CheckpointFiles.readWeights(file, model).bitEquals(w)).isTrue();
    }

    /** {@code steps} SGD steps (lr 0.05) on one fixed random batch of 8; losses before each step. */
    static Weights train(ModelDefinition definition, Weights start, int steps, List<Float> losses) {
        try (Model model = Model.newInstance(definition.name()); NDManager manager = NDManager.newBaseManager()) {
            Network network = definition.newNetwork();
            model.setBlock(network.block());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.05f)).build())
                    .optDevices(new ai.djl.Device[] {model.getNDManager().getDevice()});
            try (Trainer trainer = model.newTrainer(config)) {
                network.initializeWith(start);
                trainer.initialize(new Shape(1).addAll(definition.sampleShape()));
                manager.getEngine().setRandomSeed(7);
                NDArray x = manager.randomNormal(new Shape(8).addAll(definition.sampleShape()));
                NDArray y = manager.create(new long[] {0, 1, 2, 3, 4, 5, 6, 7});
                for (int i = 0; i < steps; i++) {
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDList out = trainer.forward(new NDList(x));
                        NDArray loss = trainer.getLoss().evaluate(new NDList(y), out);
                        collector.backward(loss);
                        losses.add(loss.getFloat());
                    }
                    trainer.step();
                }
                return network.currentWeights();
            }
        }
    }

    @Test
    void aConvNetWithoutBatchNormLearnsToo() {
        List<Float> losses = new ArrayList<>();
        ModelDefinition model = MODELS.get("lenet-5");
        train(model, model.initialWeights(1), 3, losses);
        assertThat(losses.get(2)).isLessThan(losses.get(0));
    }

    @Test
    void initialisationIsSeededAndFollowsTheChosenScheme() {
        ModelDefinition resnet20 = MODELS.get("resnet-20");
        Weights a = resnet20.initialWeights(42);
        assertThat(a.bitEquals(resnet20.initialWeights(42))).isTrue();
        assertThat(a.bitEquals(resnet20.initialWeights(43))).isFalse();
        assertThat(a.bitEquals(resnet20.initialWeights(42, Initializer.KAIMING_NORMAL))).isTrue();

        // open_lth: Kaiming normal on fan_in; BatchNorm gamma U[0, 1), beta 0; fresh buffers
        assertThat(std(a.values("blocks.8.conv2.weight"))).isCloseTo(Math.sqrt(2.0 / (64 * 9)), within(0.002));
        assertThat(min(a.values("bn.weight"))).isGreaterThanOrEqualTo(0f);
        assertThat(max(a.values("bn.weight"))).isLessThan(1f);
        assertThat(a.values("bn.bias")).containsOnly(0f);
        assertThat(a.values("bn.running_var")).containsOnly(1f);
        assertThat(a.longValues("bn.num_batches_tracked")).containsExactly(0L);

        // Conv-2's default is Glorot normal; asking for Kaiming normal changes every weight
        ModelDefinition conv2 = MODELS.get("conv-2");
        Weights glorot = conv2.initialWeights(5);
        assertThat(std(glorot.values("conv2.weight"))).isCloseTo(Math.sqrt(2.0 / (64 * 9 + 64 * 9)), within(0.001));
        assertThat(std(glorot.values("fc2.weight"))).isCloseTo(Math.sqrt(2.0 / (256 + 256)), within(0.001));
        Weights kaiming = conv2.initialWeights(5, Initializer.KAIMING_NORMAL);
        assertThat(std(kaiming.values("conv2.weight"))).isCloseTo(Math.sqrt(2.0 / (64 * 9)), within(0.001));
        assertThat(kaiming.values("conv2.bias")).containsExactly(glorot.values("conv2.bias"));
        assertThat(Initializer.fromName("xavier-normal")).isEqualTo(Initializer.XAVIER_NORMAL);
        assertThat(conv2.initialWeights(5, Initializer.XAVIER_NORMAL).bitEquals(glorot)).isTrue();
    }

    @Test
    void resnet18DefaultsToTorchvisionsInit() {
        ModelDefinition resnet18 = MODELS.get("resnet-18");
        Weights w = resnet18.initialWeights(0);
        assertThat(w.values("layer4.1.bn2.weight")).containsOnly(1f);
        // Kaiming normal on fan_out = 512 * 9
        assertThat(std(w.values("layer4.1.conv2.weight"))).isCloseTo(Math.sqrt(2.0 / (512 * 9)), within(0.0005));
        float bound = (float) (1 / Math.sqrt(512));
        assertThat(max(w.values("fc.weight"))).isLessThanOrEqualTo(bound);
        assertThat(min(w.values("fc.weight"))).isGreaterThanOrEqualTo(-bound);
    }

    private static float min(float[] v) {
        float m = Float.POSITIVE_INFINITY;
        for (float f : v) {
            m = Math.min(m, f);
        }
        return m;
    }

    private static float max(float[] v) {
        float m = Float.NEGATIVE_INFINITY;
        for (float f : v) {
            m = Math.max(m, f);
        }
        return m;
    }

    private static double std(float[] v) {
        double mean = 0;
        for (float f : v) {
            mean += f;
        }
        mean /= v.length;
        double sq = 0;
        for (float f : v) {
            sq += (f - mean) * (f - mean);
        }
        return Math.sqrt(sq / v.length);
    }
}
