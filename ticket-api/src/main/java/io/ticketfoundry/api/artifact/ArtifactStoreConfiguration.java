package io.ticketfoundry.api.artifact;

import io.ticketfoundry.api.config.FoundryProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The artifact store {@code tf.artifacts.store} names: {@code filesystem} (the default) or {@code s3}. */
@Configuration(proxyBeanMethods = false)
public class ArtifactStoreConfiguration {

    @Bean
    ArtifactStore artifactStore(FoundryProperties properties) {
        FoundryProperties.Artifacts artifacts = properties.artifacts();
        if (artifacts.store() == FoundryProperties.Store.FILESYSTEM) {
            return new FilesystemArtifactStore(properties.artifactRoot());
        }
        if (artifacts.maxUploadSize().toBytes() > S3ArtifactStore.MAX_SINGLE_PUT) {
            throw new IllegalStateException("tf.artifacts.max-upload-size may be at most 5GB with the s3 store "
                    + "(the largest single PutObject)");
        }
        FoundryProperties.S3 settings = artifacts.s3();
        S3ArtifactStore store = new S3ArtifactStore(S3ArtifactStore.clientBuilder(settings).build(), settings.bucket(),
                settings.prefix(), properties.artifactRoot().resolve("tmp"));
        try {
            store.requireBucket(settings.createBucket());
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }
}
