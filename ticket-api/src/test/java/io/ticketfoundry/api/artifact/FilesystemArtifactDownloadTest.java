package io.ticketfoundry.api.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.config.FoundryProperties;
import java.nio.file.Files;
import org.springframework.beans.factory.annotation.Autowired;

/** Downloads with the default store: files under {@code tf.artifacts.root}. */
class FilesystemArtifactDownloadTest extends ArtifactDownloadContract {

    @Autowired
    FoundryProperties properties;

    @Override
    protected void assertHeldByTheStore(String sha256) {
        assertThat(store).isInstanceOf(FilesystemArtifactStore.class);
        assertThat(Files.isRegularFile(properties.artifactRoot().resolve(ArtifactStore.keyOf(sha256)))).isTrue();
    }
}
