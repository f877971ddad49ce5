package io.ticketfoundry.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.ticketfoundry.common.dataset.ClassBalancedSelection;
import io.ticketfoundry.common.dataset.DatasetRecipe;
import io.ticketfoundry.common.dataset.DatasetRef;
import io.ticketfoundry.common.dataset.DatasetUpload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DerivedDatasetTest {

    @TempDir
    Path root;

    private static Set<String> examples(RawImages images) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < images.count(); i++) {
            out.add(images.labels()[i] + ":" + Arrays.hashCode(Arrays.copyOfRange(images.pixels(),
                    i * images.exampleSize(), (i + 1) * images.exampleSize())));
        }
        return out;
    }

    @Test
    void halvesHoldHalfOfEveryClassAreDisjointAndCoverTheTrainingSet() throws Exception {
        SyntheticCifar.writeCifar10(root, 21, 10, 4); // 105 examples: class sizes 11 and 10
        DatasetLoader loader = new DatasetLoader(root);
        DatasetRecipe a = new DatasetRecipe("halves", "cifar10", 3L, "a", null, null);
        DatasetRecipe b = new DatasetRecipe("halves", "cifar10", 3L, "b", null, null);
        loader.register(DatasetRef.derived(a, null), Map.of());
        loader.register(DatasetRef.derived(b, null), Map.of());
        RawImages all = loader.raw("cifar10", Split.TRAIN);
        RawImages half1 = loader.raw(a.id(), Split.TRAIN);
        RawImages half2 = loader.raw(b.id(), Split.TRAIN);
        int[] have = ClassBalancedSelection.classCounts(all.labels(), 10);
        int[] inA = ClassBalancedSelection.classCounts(half1.labels(), 10);
        int[] inB = ClassBalancedSelection.classCounts(half2.labels(), 10);
        for (int c = 0; c < 10; c++) {
            assertThat(inA[c]).isEqualTo(have[c] / 2);
            assertThat(inA[c] + inB[c]).isEqualTo(have[c]);
        }
        Set<String> setA = examples(half1);
        Set<String> setB = examples(half2);
        assertThat(setA).doesNotContainAnyElementsOf(setB);
        Set<String> union = new HashSet<>(setA);
        union.addAll(setB);
        assertThat(union).isEqualTo(examples(all));
        // deterministic: a fresh loader rebuilds the same half; another seed picks another one
        DatasetLoader other = new DatasetLoader(root);
        other.register(DatasetRef.derived(a, null), Map.of());
        assertThat(other.raw(a.id(), Split.TRAIN).pixels()).isEqualTo(half1.pixels());
        DatasetRecipe a4 = new DatasetRecipe("halves", "cifar10", 4L, "a", null, null);
        other.register(DatasetRef.derived(a4, null), Map.of());
        assertThat(other.raw(a4.id(), Split.TRAIN).pixels()).isNotEqualTo(half1.pixels());
        // the test split is the base's
        assertThat(loader.raw(a.id(), Split.TEST).pixels()).isEqualTo(loader.raw("cifar10", Split.TEST).pixels());
        try (NDManager manager = NDManager.newBaseManager();
                InMemoryDataset loaded = loader.load(manager, a.id(), Split.TRAIN)) {
            assertThat(loaded.features().getShape().getShape()).containsExactly(half1.count(), 3, 32, 32);
            assertThat(loader.trainAugmentation(a.id())).isPresent();
        }
    }

    @Test
    void subsetAndValidationSplitTakeWhatTheyAskPerClass() throws Exception {
        SyntheticIdx.write(root, DatasetInfo.MNIST, 100, 20, 1, false);
        DatasetLoader loader = new DatasetLoader(root);
        DatasetRecipe subset = new DatasetRecipe("subset", "mnist", null, null, 3, null);
        DatasetRecipe fraction = new DatasetRecipe("subset", "mnist", 9L, null, null, 0.25);
        DatasetRecipe validation = new DatasetRecipe("validation-split", "mnist", 1L, null, 2, null);
        for (DatasetRecipe recipe : List.of(subset, fraction, validation)) {
            loader.register(DatasetRef.derived(recipe, null), Map.of());
        }
        assertThat(ClassBalancedSelection.classCounts(loader.raw(subset.id(), Split.TRAIN).labels(), 10))
                .containsOnly(3);
        assertThat(ClassBalancedSelection.classCounts(loader.raw(fraction.id(), Split.TRAIN).labels(), 10))
                .containsOnly(3); // round(0.25 * 10) = 3 (half up)
        RawImages held = loader.raw(validation.id(), Split.VALIDATION);
        RawImages kept = loader.raw(validation.id(), Split.TRAIN);
        assertThat(ClassBalancedSelection.classCounts(held.labels(), 10)).containsOnly(2);
        assertThat(ClassBalancedSelection.classCounts(kept.labels(), 10)).containsOnly(8);
        assertThat(examples(held)).doesNotContainAnyElementsOf(examples(kept));
        assertThatThrownBy(() -> loader.raw(subset.id(), Split.VALIDATION)).hasMessageContaining("no validation split");
        DatasetRecipe tooMany = new DatasetRecipe("subset", "mnist", null, null, 11, null);
        loader.register(DatasetRef.derived(tooMany, null), Map.of());
        assertThatThrownBy(() -> loader.raw(tooMany.id(), Split.TRAIN)).hasMessageContaining("class 0 has 10 examples");
    }

    @Test
    void aRefWhoseRecipeDoesNotHashToItsIdIsRefused() {
        DatasetRecipe a = new DatasetRecipe("halves", "cifar10", 0L, "a", null, null);
        DatasetRecipe b = new DatasetRecipe("halves", "cifar10", 0L, "b", null, null);
        DatasetLoader loader = new DatasetLoader(root);
        assertThatThrownBy(() -> loader.register(new DatasetRef(a.id(), DatasetRef.DERIVED, b, null), Map.of()))
                .hasMessageContaining("does not hash to its id");
        assertThatThrownBy(() -> loader.raw(a.id(), Split.TRAIN)).hasMessageContaining("not described by the lease");
    }

    @Test
    void uploadedIdxAndCifarDatasetsLoadFromTheirFiles() throws Exception {
        SyntheticIdx.write(root, DatasetInfo.MNIST, 30, 10, 2, true);
        Path dir = root.resolve("mnist");
        Map<String, Path> files = new java.util.HashMap<>();
        Map<String, String> roles = new java.util.HashMap<>();
        for (String[] pair : new String[][] {{"trainImages", "train-images-idx3-ubyte.gz"},
                {"trainLabels", "train-labels-idx1-ubyte.gz"}, {"testImages", "t10k-images-idx3-ubyte.gz"},
                {"testLabels", "t10k-labels-idx1-ubyte.gz"}}) {
            Path file = dir.resolve(pair[1]);
            String sha = io.ticketfoundry.common.dataset.Canonical.sha256Hex(Files.readAllBytes(file));
            files.put(sha, file);
            roles.put(pair[0], sha);
        }
        DatasetUpload upload = new DatasetUpload("idx", 10, List.of(1, 28, 28), roles);
        DatasetLoader loader = new DatasetLoader(root);
        loader.register(DatasetRef.upload(upload), files);
        try (NDManager manager = NDManager.newBaseManager();
                InMemoryDataset train = loader.load(manager, upload.id(), Split.TRAIN)) {
            assertThat(train.size()).isEqualTo(30);
            assertThat(train.features().mean().getFloat()).as("normalised by its own statistics").isBetween(-0.01f, 0.01f);
        }
        // a derived dataset over the upload
        DatasetRecipe half = new DatasetRecipe("halves", upload.id(), null, "b", null, null);
        loader.register(DatasetRef.derived(half, upload), files);
        assertThat(loader.raw(half.id(), Split.TRAIN).count()).as("3 per class, b takes the odd one").isEqualTo(20);

        SyntheticCifar.writeCifar10(root, 4, 6, 2);
        Path train = root.resolve("cifar-10-batches-bin/data_batch_1.bin");
        Path test = root.resolve("cifar-10-batches-bin/test_batch.bin");
        String trainSha = io.ticketfoundry.common.dataset.Canonical.sha256Hex(Files.readAllBytes(train));
        String testSha = io.ticketfoundry.common.dataset.Canonical.sha256Hex(Files.readAllBytes(test));
        DatasetUpload cifar = new DatasetUpload("cifar10", 10, List.of(3, 32, 32), Map.of("train", trainSha, "test", testSha));
        loader.register(DatasetRef.upload(cifar), Map.of(trainSha, train, testSha, test));
        assertThat(loader.raw(cifar.id(), Split.TEST).count()).isEqualTo(6);
        assertThat(loader.info(cifar.id()).cifarShaped()).isTrue();
    }

    @Test
    void baseFilesAreVerifiedOnceAndAMismatchFailsInStrictMode() throws Exception {
        SyntheticIdx.write(root, DatasetInfo.FASHION_MNIST, 20, 10, 1, false);
        DatasetLoader strict = new DatasetLoader(root, new DatasetVerifier(DatasetVerifier.Mode.STRICT));
        assertThatThrownBy(() -> strict.raw("fashion-mnist", Split.TRAIN))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("train-images-idx3-ubyte")
                .hasMessageContaining("c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888");
        DatasetVerifier verifier = new DatasetVerifier(DatasetVerifier.Mode.WARN);
        DatasetLoader lenient = new DatasetLoader(root, verifier);
        lenient.raw("fashion-mnist", Split.TRAIN);
        assertThat(verifier.filesHashed()).isEqualTo(4);
        lenient.raw("fashion-mnist", Split.TEST);
        lenient.raw("fashion-mnist", Split.TRAIN);
        assertThat(verifier.filesHashed()).as("cached by size and mtime").isEqualTo(4);
        Path labels = root.resolve("fashion-mnist/train-labels-idx1-ubyte");
        Files.setLastModifiedTime(labels, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(labels).toMillis() + 5000));
        lenient.raw("fashion-mnist", Split.TRAIN);
        assertThat(verifier.filesHashed()).as("a touched file is hashed again").isEqualTo(5);
    }

    @Test
    void hashesAreOfTheUncompressedContent() throws Exception {
        SyntheticIdx.write(root.resolve("raw"), DatasetInfo.MNIST, 5, 5, 1, false);
        SyntheticIdx.write(root.resolve("gz"), DatasetInfo.MNIST, 5, 5, 1, true);
        DatasetVerifier verifier = new DatasetVerifier(DatasetVerifier.Mode.STRICT);
        assertThat(verifier.sha256(root.resolve("gz/mnist/train-images-idx3-ubyte.gz")))
                .isEqualTo(verifier.sha256(root.resolve("raw/mnist/train-images-idx3-ubyte")));
        assertThat(IntStream.of(1)).isNotEmpty();
    }
}
