package io.ticketfoundry.api.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.api.web.ApiException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpStatus;

class FilesystemArtifactStoreTest {

    @TempDir
    Path root;

    private List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void storesUnderTheHashAndKeepsOneCopy() throws IOException {
        FilesystemArtifactStore store = new FilesystemArtifactStore(root);
        byte[] bytes = "a mask".getBytes(StandardCharsets.UTF_8);
        String sha = QueueFixtures.sha256(bytes);
        ArtifactStore.StoredObject stored = store.put(new ByteArrayInputStream(bytes), sha, 1024);
        assertThat(stored.storageKey()).isEqualTo(sha.substring(0, 2) + "/" + sha.substring(2, 4) + "/" + sha);
        assertThat(stored.size()).isEqualTo(bytes.length);
        assertThat(store.exists(stored.storageKey())).isTrue();
        assertThat(store.open(stored.storageKey()).getContentAsByteArray()).isEqualTo(bytes);

        ArtifactStore.StoredObject again = store.put(new ByteArrayInputStream(bytes), sha, 1024);
        assertThat(again).isEqualTo(stored);
        assertThat(files()).containsExactly(root.resolve(stored.storageKey()));
    }

    @Test
    void aChecksumMismatchKeepsNothing() throws IOException {
        FilesystemArtifactStore store = new FilesystemArtifactStore(root);
        String wrong = QueueFixtures.sha256(new byte[] {9});
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(new byte[] {1, 2, 3}), wrong, 1024))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(e.errors()).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("sha256"));
                });
        assertThat(files()).isEmpty();
        assertThat(store.exists(FilesystemArtifactStore.keyOf(wrong))).isFalse();
    }

    @Test
    void tooManyBytesKeepNothing() throws IOException {
        FilesystemArtifactStore store = new FilesystemArtifactStore(root);
        byte[] bytes = new byte[200_000];
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(bytes), QueueFixtures.sha256(bytes), 100_000))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE));
        assertThat(files()).isEmpty();
    }

    @Test
    void keysCannotEscapeTheRoot() {
        FilesystemArtifactStore store = new FilesystemArtifactStore(root);
        assertThatThrownBy(() -> store.open("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete("../outside")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deletingRemovesTheObjectAndMayBeRepeated() throws IOException {
        FilesystemArtifactStore store = new FilesystemArtifactStore(root);
        byte[] bytes = "weights".getBytes(StandardCharsets.UTF_8);
        ArtifactStore.StoredObject stored = store.put(new ByteArrayInputStream(bytes), QueueFixtures.sha256(bytes), 1024);
        store.delete(stored.storageKey());
        assertThat(store.exists(stored.storageKey())).isFalse();
        assertThat(files()).isEmpty();
        store.delete(stored.storageKey());
        assertThat(store.put(new ByteArrayInputStream(bytes), stored.sha256(), 1024)).isEqualTo(stored);
        assertThat(store.exists(stored.storageKey())).isTrue();
    }
}
