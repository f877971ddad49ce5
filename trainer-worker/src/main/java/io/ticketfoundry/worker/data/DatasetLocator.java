package io.ticketfoundry.worker.data;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a dataset's IDX files under a dataset root by their standard names:
 * {@code <root>/<dataset>/train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]},
 * {@code t10k-images-idx3-ubyte[.gz]}, {@code t10k-labels-idx1-ubyte[.gz]}. The uncompressed
 * name wins when both exist.
 */
public final class DatasetLocator {

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
