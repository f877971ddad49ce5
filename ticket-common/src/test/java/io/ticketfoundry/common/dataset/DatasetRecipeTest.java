package io.ticketfoundry.common.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class DatasetRecipeTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void idIsTheHashOfTheCanonicalFormWhateverTheKeyOrder() {
        DatasetRecipe a = JSON.readValue("{\"kind\":\"subset\",\"base\":\"mnist\",\"fraction\":0.50,\"seed\":7}", DatasetRecipe.class);
        DatasetRecipe b = JSON.readValue("{\"seed\":7,\"fraction\":0.5,\"base\":\"mnist\",\"kind\":\"subset\"}", DatasetRecipe.class);
        assertThat(a.canonicalJson()).isEqualTo("{\"base\":\"mnist\",\"fraction\":0.5,\"kind\":\"subset\",\"seed\":7}");
        assertThat(a.id()).isEqualTo(b.id()).isEqualTo("derived-" + Canonical.sha256Hex(a.canonicalJson()));
        DatasetRecipe defaulted = new DatasetRecipe("halves", "cifar10", null, "a", null, null);
        assertThat(defaulted.id()).as("seed 0 is the default").isEqualTo(new DatasetRecipe("halves", "cifar10", 0L, "a", null, null).id());
        assertThat(defaulted.id()).isNotEqualTo(new DatasetRecipe("halves", "cifar10", 1L, "a", null, null).id());
        assertThat(DatasetRecipe.isDerivedId(a.id())).isTrue();
    }

    @Test
    void canonicalJsonSortsKeysDropsNullsAndEscapes() {
        assertThat(Canonical.json(Map.of("b", 1.0, "a", "x\"y", "c", Map.of("z", 2, "y", true))))
                .isEqualTo("{\"a\":\"x\\\"y\",\"b\":1,\"c\":{\"y\":true,\"z\":2}}");
    }

    @Test
    void problemsNameTheirFields() {
        assertThat(new DatasetRecipe("halves", "cifar10", null, null, null, null).problems())
                .extracting(DatasetRecipe.Problem::field).containsExactly("half");
        assertThat(new DatasetRecipe("subset", "cifar10", null, null, null, null).problems())
                .extracting(DatasetRecipe.Problem::field).containsExactly("perClass");
        assertThat(new DatasetRecipe("subset", "cifar10", -1L, null, 3, null).problems())
                .extracting(DatasetRecipe.Problem::field).containsExactly("seed");
        assertThat(new DatasetRecipe("halves", "cifar10", 0L, "a", null, null).problems()).isEmpty();
    }

    @Test
    void selectionIsDeterministicClassBalancedAndDisjoint() {
        int[] labels = new int[1003];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (i * 7) % 10;
        }
        DatasetRecipe halves = new DatasetRecipe("halves", "x", 5L, "a", null, null);
        ClassBalancedSelection.Partition p = ClassBalancedSelection.apply(halves, labels, 10);
        ClassBalancedSelection.Partition again = ClassBalancedSelection.apply(halves, labels, 10);
        assertThat(p.taken()).isEqualTo(again.taken());
        int[] have = ClassBalancedSelection.classCounts(labels, 10);
        int[] a = ClassBalancedSelection.classCounts(pick(labels, p.taken()), 10);
        int[] b = ClassBalancedSelection.classCounts(pick(labels, p.rest()), 10);
        for (int c = 0; c < 10; c++) {
            assertThat(a[c]).isEqualTo(have[c] / 2);
            assertThat(b[c]).isEqualTo(have[c] - have[c] / 2);
        }
        Set<Integer> union = new HashSet<>();
        Arrays.stream(p.taken()).forEach(union::add);
        Arrays.stream(p.rest()).forEach(i -> assertThat(union.add(i)).isTrue());
        assertThat(union).hasSize(labels.length);
        assertThat(p.taken()).isSorted();
        ClassBalancedSelection.Partition other = ClassBalancedSelection.apply(
                new DatasetRecipe("halves", "x", 6L, "a", null, null), labels, 10);
        assertThat(other.taken()).isNotEqualTo(p.taken());
    }

    @Test
    void keyMatchesTheDocumentedPythonExpression() {
        // int.from_bytes(hashlib.sha256(b"0:0").digest()[:8], "big")
        String hex = Canonical.sha256Hex("0:0").substring(0, 16);
        assertThat(Long.toUnsignedString(ClassBalancedSelection.key(0, 0), 16)).isEqualTo(hex.replaceFirst("^0+", ""));
        assertThat(List.of(BaseDatasets.FASHION_MNIST.contentHash())).doesNotContainNull();
        assertThat(BaseDatasets.CIFAR10.contentHash()).isNull();
    }

    private static int[] pick(int[] labels, int[] indices) {
        return Arrays.stream(indices).map(i -> labels[i]).toArray();
    }

    @Test
    void existingRecipesKeepTheirCanonicalJsonAndIds() {
        // ids registered before the corruption kind existed must not change
        assertThat(new DatasetRecipe("halves", "cifar10", null, "a", null, null).id())
                .isEqualTo("derived-4230fd548c6dd1ef6417d18be85bf28789b5b8a3c2a693c68df98c3941159e20");
        DatasetRecipe subset = JSON.readValue("{\"kind\":\"subset\",\"base\":\"mnist\",\"fraction\":0.5,\"seed\":7}",
                DatasetRecipe.class);
        assertThat(subset.id()).isEqualTo("derived-4579807e294dae8f602b1e0de12e5ff43111d6a61b543749cb1e78fd934f3723");
        DatasetRecipe validation = new DatasetRecipe("validation-split", "mnist", 1L, null, 500, null);
        assertThat(validation.canonicalJson()).isEqualTo("{\"base\":\"mnist\",\"kind\":\"validation-split\",\"perClass\":500,\"seed\":1}");
        assertThat(validation.id()).isEqualTo("derived-9c13544924da6190c181ce9e767b1dddc95947e2293270689973ca673592e6bd");
        assertThat(JSON.writeValueAsString(validation.withDefaults())).doesNotContain("source", "trainFraction", "severity");
    }

    @Test
    void corruptionRecipesFillTheirDefaultsAndHashStably() {
        DatasetRecipe fog = JSON.readValue("{\"kind\":\"corruption\",\"base\":\"cifar10\",\"corruption\":\"fog\",\"severity\":5}",
                DatasetRecipe.class);
        assertThat(fog.canonicalJson()).isEqualTo("{\"base\":\"cifar10\",\"corruption\":\"fog\",\"kind\":\"corruption\","
                + "\"seed\":0,\"severity\":5,\"source\":\"test\",\"trainFraction\":0.9}");
        assertThat(fog.id()).isEqualTo("derived-86df710cc55680cffa2ea07f08f7c0c6efde1c63d152fa9df9a73ccf32fb1169");
        assertThat(fog.id()).isEqualTo(DatasetRecipe.corruption("cifar10", "fog", 5, 0L, "test", 0.90).id());
        assertThat(fog.id()).isNotEqualTo(DatasetRecipe.corruption("cifar10", "fog", 4, null, null, null).id());
        assertThat(fog.problems()).isEmpty();
        assertThat(JSON.readValue(JSON.writeValueAsString(fog.withDefaults()), DatasetRecipe.class).id()).isEqualTo(fog.id());
    }

    @Test
    void corruptionProblemsNameTheirFields() {
        assertThat(DatasetRecipe.corruption("cifar10", "rain", 6, -1L, "validation", 1.0).problems())
                .extracting(DatasetRecipe.Problem::field)
                .containsExactlyInAnyOrder("corruption", "severity", "source", "trainFraction", "seed");
        assertThat(new DatasetRecipe("corruption", "mnist", null, "a", 3, 0.5, null, null, null, null).problems())
                .extracting(DatasetRecipe.Problem::field)
                .containsExactlyInAnyOrder("half", "perClass", "fraction", "corruption", "severity");
        assertThat(new DatasetRecipe("subset", "mnist", null, null, 3, null, "fog", 1, "test", 0.5).problems())
                .extracting(DatasetRecipe.Problem::field)
                .containsExactlyInAnyOrder("corruption", "severity", "source", "trainFraction");
        assertThat(DatasetRecipe.corruption("mnist", "jpeg", 1, null, "train", 0.0).problems()).isEmpty();
    }

    @Test
    void aCorruptionRecipeSplitsTheCorruptedSetClassBalanced() {
        int[] labels = new int[10_000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
        }
        ClassBalancedSelection.Partition p = ClassBalancedSelection.apply(
                DatasetRecipe.corruption("cifar10", "fog", 5, null, null, null), labels, 10);
        assertThat(p.taken()).hasSize(9_000);
        assertThat(p.rest()).hasSize(1_000);
        assertThat(ClassBalancedSelection.classCounts(pick(labels, p.rest()), 10)).containsOnly(100);
        ClassBalancedSelection.Partition testOnly = ClassBalancedSelection.apply(
                DatasetRecipe.corruption("cifar10", "fog", 5, null, null, 0.0), labels, 10);
        assertThat(testOnly.taken()).isEmpty();
        assertThat(testOnly.rest()).hasSize(10_000);
    }
}
