package io.ticketfoundry.worker.data.corruption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.ticketfoundry.common.dataset.ClassBalancedSelection;
import io.ticketfoundry.common.dataset.DatasetRecipe;
import io.ticketfoundry.common.dataset.DatasetRef;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.DatasetLoader;
import io.ticketfoundry.worker.data.InMemoryDataset;
import io.ticketfoundry.worker.data.RawImages;
import io.ticketfoundry.worker.data.Split;
import io.ticketfoundry.worker.data.SyntheticCifar;
import io.ticketfoundry.worker.data.SyntheticIdx;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

class CorruptionRecipeTest {

    @TempDir
    Path root;

    @Test
    void aCorruptionRecipeSplitsTheCorruptedTestSet9KTo1KClassBalanced() throws Exception {
        SyntheticCifar.writeCifar10(root, 10, 10_000, 3);
        DatasetLoader loader = new DatasetLoader(root);
        DatasetRecipe fog = DatasetRecipe.corruption("cifar10", "fog", 5, null, null, null);
        loader.register(DatasetRef.derived(fog, null), Map.of());
        long start = System.nanoTime();
        RawImages train = loader.raw(fog.id(), Split.TRAIN);
        long generated = System.nanoTime() - start;
        RawImages test = loader.raw(fog.id(), Split.TEST);
        System.out.printf("fog 5 over 10,000 CIFAR images: %.2f s%n", generated / 1e9);
        assertThat(train.count()).isEqualTo(9_000);
        assertThat(test.count()).isEqualTo(1_000);
        assertThat(ClassBalancedSelection.classCounts(test.labels(), 10)).containsOnly(100);
        assertThat(ClassBalancedSelection.classCounts(train.labels(), 10)).containsOnly(900);
        // the splits are the corrupted source, divided: together they are all of it
        RawImages clean = loader.raw("cifar10", Split.TEST);
        RawImages all = Corruptions.apply(clean, "fog", 5, 0);
        ClassBalancedSelection.Partition p = ClassBalancedSelection.apply(fog, clean.labels(), 10);
        assertThat(train.pixels()).isEqualTo(all.select(p.taken()).pixels());
        assertThat(test.pixels()).isEqualTo(all.select(p.rest()).pixels());
        assertThat(test.pixels()).isNotEqualTo(clean.select(p.rest()).pixels());
        // a fresh loader rebuilds the same bytes; another seed holds out other examples
        DatasetLoader other = new DatasetLoader(root);
        other.register(DatasetRef.derived(fog, null), Map.of());
        assertThat(other.raw(fog.id(), Split.TEST).pixels()).isEqualTo(test.pixels());
        DatasetRecipe seeded = DatasetRecipe.corruption("cifar10", "fog", 5, 1L, null, null);
        other.register(DatasetRef.derived(seeded, null), Map.of());
        assertThat(other.raw(seeded.id(), Split.TEST).labels()).isNotEqualTo(test.labels());
        assertThatThrownBy(() -> loader.raw(fog.id(), Split.VALIDATION)).hasMessageContaining("no validation split");
        try (NDManager manager = NDManager.newBaseManager();
                InMemoryDataset loaded = loader.load(manager, fog.id(), Split.TEST)) {
            assertThat(loaded.features().getShape().getShape()).containsExactly(1_000, 3, 32, 32);
            assertThat(loader.info(fog.id()).numClasses()).isEqualTo(10);
            assertThat(loader.trainAugmentation(fog.id())).isPresent();
        }
    }

    @Test
    void testOnlyRecipesAndTrainSourcesOnOneChannelData() throws Exception {
        SyntheticIdx.write(root, DatasetInfo.FASHION_MNIST, 300, 200, 1, false);
        DatasetLoader loader = new DatasetLoader(root);
        DatasetRecipe testOnly = DatasetRecipe.corruption("fashion-mnist", "gaussian-noise", 3, null, null, 0.0);
        DatasetRecipe fromTrain = DatasetRecipe.corruption("fashion-mnist", "jpeg", 2, 4L, "train", 0.5);
        loader.register(DatasetRef.derived(testOnly, null), Map.of());
        loader.register(DatasetRef.derived(fromTrain, null), Map.of());
        assertThat(loader.raw(testOnly.id(), Split.TEST).count()).isEqualTo(200);
        assertThatThrownBy(() -> loader.raw(testOnly.id(), Split.TRAIN)).hasMessageContaining("no training examples");
        assertThat(loader.raw(fromTrain.id(), Split.TRAIN).count()).isEqualTo(150);
        assertThat(loader.raw(fromTrain.id(), Split.TEST).count()).isEqualTo(150);
        assertThat(loader.info(fromTrain.id()).channels()).isEqualTo(1);
        assertThat(loader.trainAugmentation(fromTrain.id())).isEmpty();
    }

    /** Generation time of 10,000 CIFAR-sized images per corruption at severity 5: {@code -Dcorruption.timing=true}. */
    @Test
    @EnabledIfSystemProperty(named = "corruption.timing", matches = "true")
    void timing() {
        RawImages cifar = CorruptionsTest.smoothImages(10_000, 3, 32, 1);
        RawImages mnist = CorruptionsTest.smoothImages(10_000, 1, 28, 1);
        Corruptions.apply(cifar, "fog", 1, 0); // warm-up
        for (String name : Corruptions.names()) {
            long t0 = System.nanoTime();
            Corruptions.apply(cifar, name, 5, 0);
            long t1 = System.nanoTime();
            Corruptions.apply(mnist, name, 5, 0);
            long t2 = System.nanoTime();
            System.out.printf("%-15s 10k 3x32x32 %6.2f s   10k 1x28x28 %6.2f s%n", name, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        }
    }
}
