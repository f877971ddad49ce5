package io.ticketfoundry.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    /** 2 images of 2x3 bytes, written by hand: magic 00 00 08 03, dims 2, 2, 3 (big-endian), data. */
    private static byte[] handWrittenImages() {
        return new byte[] {
            0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3,
            1, 2, 3, 4, 5, 6, (byte) 250, 0, 0, 0, 0, (byte) 255,
        };
    }

    private static byte[] gzip(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void readsRawAndGzipFilesTheSame() throws Exception {
        Path raw = Files.write(dir.resolve("images-idx3-ubyte"), handWrittenImages());
        Path gz = Files.write(dir.resolve("images-idx3-ubyte.gz"), gzip(handWrittenImages()));
        Path gzWithoutSuffix = Files.write(dir.resolve("compressed-anyway"), gzip(handWrittenImages()));

        for (Path path : new Path[] {raw, gz, gzWithoutSuffix}) {
            IdxFile file = IdxReader.readImages(path);
            assertThat(file.dimensions()).containsExactly(2, 2, 3);
            assertThat(file.itemSize()).isEqualTo(6);
            assertThat(file.data()).containsExactly(1, 2, 3, 4, 5, 6, 250, 0, 0, 0, 0, 255);
        }
    }

    @Test
    void writerAndReaderAgree() throws Exception {
        Path labels = dir.resolve("labels-idx1-ubyte.gz");
        IdxWriter.write(labels, new int[] {4}, new byte[] {3, 1, 4, 1});
        assertThat(Files.readAllBytes(labels)[0]).isEqualTo((byte) 0x1f);
        assertThat(IdxReader.readLabels(labels).data()).containsExactly(3, 1, 4, 1);
    }

    @Test
    void rejectsBadMagicNumbers() throws Exception {
        byte[] labelsMagic = handWrittenImages();
        labelsMagic[3] = 1;
        Path path = Files.write(dir.resolve("x"), labelsMagic);
        assertThatThrownBy(() -> IdxReader.readImages(path)).isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("bad magic number 0x00000801").hasMessageContaining("0x00000803")
                .hasMessageContaining(path.toString());
        byte[] floats = handWrittenImages();
        floats[2] = 0x0d;
        Files.write(path, floats);
        assertThatThrownBy(() -> IdxReader.readImages(path)).hasMessageContaining("bad magic");
    }

    @Test
    void rejectsTruncatedAndOverlongFiles() throws Exception {
        byte[] good = handWrittenImages();
        Path path = dir.resolve("t");
        Files.write(path, java.util.Arrays.copyOf(good, good.length - 1));
        assertThatThrownBy(() -> IdxReader.readImages(path)).isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("truncated").hasMessageContaining("12 bytes");
        Files.write(path, java.util.Arrays.copyOf(good, 10));
        assertThatThrownBy(() -> IdxReader.readImages(path)).hasMessageContaining("truncated in the dimension header");
        Files.write(path, gzip(java.util.Arrays.copyOf(good, good.length - 3)));
        assertThatThrownBy(() -> IdxReader.readImages(path)).hasMessageContaining("truncated");
        Files.write(path, java.util.Arrays.copyOf(good, good.length + 2));
        assertThatThrownBy(() -> IdxReader.readImages(path)).hasMessageContaining("trailing bytes");
        Path fakeGz = Files.write(dir.resolve("fake.gz"), good);
        assertThatThrownBy(() -> IdxReader.readImages(fakeGz)).hasMessageContaining("gzip magic");
    }

    @Test
    void missingDatasetFileNamesEveryPathLookedFor() {
        DatasetLoader loader = new DatasetLoader(dir);
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> loader.load(manager, "fashion-mnist", Split.TRAIN))
                    .isInstanceOf(NoSuchFileException.class)
                    .hasMessageContaining(dir.resolve("fashion-mnist/train-images-idx3-ubyte").toAbsolutePath().toString())
                    .hasMessageContaining(dir.resolve("fashion-mnist/train-images-idx3-ubyte.gz").toAbsolutePath().toString());
        }
        assertThatThrownBy(() -> DatasetInfo.named("cifar-10")).hasMessageContaining("unknown dataset");
    }

    @Test
    void loadsNormalisedFeaturesAndLabelsIntoEngineArrays() throws Exception {
        SyntheticIdx.write(dir, DatasetInfo.FASHION_MNIST, 30, 20, 5, true);
        IdxFile rawImages = IdxReader.readImages(dir.resolve("fashion-mnist/t10k-images-idx3-ubyte.gz"));
        try (NDManager manager = NDManager.newBaseManager();
                InMemoryDataset test = new DatasetLoader(dir).load(manager, "fashion-mnist", Split.TEST)) {
            assertThat(test.size()).isEqualTo(20);
            assertThat(test.features().getShape().getShape()).containsExactly(20, 1, 28, 28);
            assertThat(test.labels().getShape().getShape()).containsExactly(20);
            float[] features = test.features().toFloatArray();
            for (int i : new int[] {0, 1, 783, 784 * 19 + 500}) {
                float expected = ((rawImages.data()[i] & 0xff) / 255f - 0.2860f) / 0.3530f;
                assertThat(features[i]).isCloseTo(expected, within(1e-5f));
            }
            assertThat(test.labels().toLongArray()).startsWith(0L, 1L, 2L);
            assertThat(test.labelValues()).startsWith(0, 1, 2);
        }
    }

    @Test
    void mismatchedImageAndLabelCountsAreRejected() throws Exception {
        SyntheticIdx.write(dir, DatasetInfo.MNIST, 10, 10, 5, false);
        IdxWriter.write(dir.resolve("mnist/train-labels-idx1-ubyte"), new int[] {9}, new byte[9]);
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> new DatasetLoader(dir).load(manager, "mnist", Split.TRAIN))
                    .hasMessageContaining("10 images but").hasMessageContaining("9 labels");
        }
    }
}
