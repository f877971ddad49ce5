package io.ticketfoundry.api.artifact;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemArtifactStoreTest extends ArtifactStoreContract {

    @TempDir
    Path root;

    @Override
    protected ArtifactStore newStore() {
        return new FilesystemArtifactStore(root);
    }

    @Override
    protected List<String> storedKeys() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(path -> !path.startsWith(root.resolve("tmp")))
                    .map(path -> root.relativize(path).toString())
                    .toList();
        }
    }

    @Override
    protected List<String> stagedFiles() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("tmp"))) {
            return files.map(Path::toString).toList();
        }
    }

    @Test
    void keysCannotEscapeTheRoot() {
        assertThatThrownBy(() -> store.open("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.read("../outside", 0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete("tmp/upload-1.part")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete("../outside")).isInstanceOf(IllegalArgumentException.class);
    }
}
