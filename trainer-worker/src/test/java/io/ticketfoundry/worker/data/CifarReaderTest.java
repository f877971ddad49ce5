package io.ticketfoundry.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {

    @TempDir
    Path root;

    /** One CIFAR-10 record written by hand: label, then 1024 R, 1024 G, 1024 B bytes. */
    private static byte[] record10(int label, int r, int g, int b) {
        byte[] record = new byte[1 + 3072];
        record[0] = (byte) label;
        Arrays.fill(record, 1, 1025, (byte) r);
        Arrays.fill(record, 1025, 2049, (byte) g);
        Arrays.fill(record, 2049, 3073, (byte) b);
        return record;
    }

    @Test
    void readsCifar10BatchesInOrderWithChannelMajorPixels() throws Exception {
        SyntheticCifar.writeCifar10(root, 4, 3, 1);
        // overwrite batch 2 with hand-made records so the bytes are known
        Path batch2 = root.resolve("cifar-10-batches-bin/data_batch_2.bin");
        byte[] a = record10(7, 10, 20, 30);
        byte[] b = record10(2, 255, 0, 128);
        byte[] both = new byte[a.length * 2];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        Files.write(batch2, both);

        DatasetLocator locator = new DatasetLocator(root);
        RawImages train = CifarReader.read(locator.cifar10(Split.TRAIN), CifarReader.Layout.CIFAR10);
        assertThat(train.count()).isEqualTo(4 + 2 + 4 + 4 + 4);
        assertThat(train.channels()).isEqualTo(3);
        assertThat(train.height()).isEqualTo(32);
        assertThat(Arrays.copyOfRange(train.labels(), 0, 6)).containsExactly(0, 1, 2, 3, 7, 2);
        int at = 4 * 3072;
        assertThat(train.pixels()[at] & 0xff).isEqualTo(10);
        assertThat(train.pixels()[at + 1024] & 0xff).isEqualTo(20);
        assertThat(train.pixels()[at + 3071] & 0xff).isEqualTo(30);
        assertThat(train.pixels()[at + 3072 + 1023] & 0xff).isEqualTo(255);
        assertThat(train.pixels()[at + 3072 + 2048] & 0xff).isEqualTo(128);
        assertThat(CifarReader.read(locator.cifar10(Split.TEST), CifarReader.Layout.CIFAR10).count()).isEqualTo(3);
    }

    @Test
    void cifar100UsesTheFineLabel() throws Exception {
        SyntheticCifar.writeCifar100(root, 250, 120, 2);
        DatasetLocator locator = new DatasetLocator(root);
        RawImages train = CifarReader.read(locator.cifar100(Split.TRAIN), CifarReader.Layout.CIFAR100);
        assertThat(train.count()).isEqualTo(250);
        assertThat(train.labels()[57]).isEqualTo(57);
        assertThat(train.labels()[199]).isEqualTo(99);
        assertThat(Arrays.stream(train.labels()).max().getAsInt()).isEqualTo(99);
        byte[] file = Files.readAllBytes(root.resolve("cifar-100-binary/train.bin"));
        assertThat(file[57 * 3074] & 0xff).as("coarse label").isEqualTo(57 % 20);
        assertThat(train.pixels()[57 * 3072]).isEqualTo(file[57 * 3074 + 2]);
        assertThat(CifarReader.read(locator.cifar100(Split.TEST), CifarReader.Layout.CIFAR100).count()).isEqualTo(120);
    }

    @Test
    void missingFilesAreNamed() throws Exception {
        DatasetLocator locator = new DatasetLocator(root);
        assertThatThrownBy(() -> locator.cifar100(Split.TRAIN))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("train.bin")
                .hasMessageContaining(root.resolve("cifar-100-binary/train.bin").toAbsolutePath().toString())
                .hasMessageContaining(root.resolve("cifar100/train.bin").toAbsolutePath().toString());
        SyntheticCifar.writeCifar10(root, 2, 2, 1);
        Files.delete(root.resolve("cifar-10-batches-bin/data_batch_3.bin"));
        assertThatThrownBy(() -> locator.cifar10(Split.TRAIN))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("data_batch_3.bin")
                .hasMessageContaining("cifar-10-batches-bin/data_batch_3.bin");
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> new DatasetLoader(root).load(manager, "cifar10", Split.TRAIN))
                    .isInstanceOf(NoSuchFileException.class).hasMessageContaining("data_batch_3.bin");
        }
    }

    @Test
    void theAlternativeFolderNameIsFoundToo() throws Exception {
        SyntheticCifar.writeCifar10(root, 2, 2, 1);
        Files.move(root.resolve("cifar-10-batches-bin"), root.resolve("cifar10"));
        assertThat(new DatasetLocator(root).cifar10(Split.TEST).get(0)).isEqualTo(root.resolve("cifar10/test_batch.bin"));
    }

    @Test
    void malformedFilesAreRejectedNamingTheFile() throws Exception {
        Path bad = Files.write(root.resolve("short.bin"), new byte[3072]);
        assertThatThrownBy(() -> CifarReader.read(bad, CifarReader.Layout.CIFAR10))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(bad.toString()).hasMessageContaining("3073");
        Path badLabel = Files.write(root.resolve("label.bin"), record10(10, 0, 0, 0));
        assertThatThrownBy(() -> CifarReader.read(badLabel, CifarReader.Layout.CIFAR10))
                .hasMessageContaining("label 10 of record 0");
    }

    @Test
    void loadsCifarAsNormalisedNchwArrays() throws Exception {
        SyntheticCifar.writeCifar10(root, 6, 5, 3);
        RawImages raw = CifarReader.read(new DatasetLocator(root).cifar10(Split.TEST), CifarReader.Layout.CIFAR10);
        try (NDManager manager = NDManager.newBaseManager();
                InMemoryDataset test = new DatasetLoader(root).load(manager, "cifar10", Split.TEST)) {
            assertThat(test.features().getShape().getShape()).containsExactly(5, 3, 32, 32);
            assertThat(test.numClasses()).isEqualTo(10);
            float[] features = test.features().toFloatArray();
            float[] mean = DatasetInfo.CIFAR10.mean();
            float[] std = DatasetInfo.CIFAR10.std();
            for (int i : new int[] {0, 1023, 1024, 2048 + 5, 3072 * 4 + 3000}) {
                int channel = (i % 3072) / 1024;
                float expected = ((raw.pixels()[i] & 0xff) / 255f - mean[channel]) / std[channel];
                assertThat(features[i]).isCloseTo(expected, within(1e-5f));
            }
            assertThat(test.labelValues()).containsExactly(0, 1, 2, 3, 4);
        }
    }
}
