package io.ticketfoundry.worker.data;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomCropFlipTest {

    private static final float[] MEAN = DatasetInfo.CIFAR10.mean();
    private static final float[] STD = DatasetInfo.CIFAR10.std();

    @Test
    void sameSeedSameBatchShapeKeptValuesFromTheInputOrThePadding() {
        RandomCropFlip augmentation = new RandomCropFlip(4, MEAN, STD);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray batch = manager.randomUniform(-1.5f, 2.5f, new Shape(16, 3, 32, 32));
            float[] before = batch.toFloatArray();
            NDArray first = augmentation.apply(batch, 42);
            NDArray again = augmentation.apply(batch, 42);
            NDArray other = augmentation.apply(batch, 43);
            assertThat(first.getShape()).isEqualTo(batch.getShape());
            assertThat(first.toFloatArray()).isEqualTo(again.toFloatArray());
            assertThat(other.toFloatArray()).isNotEqualTo(first.toFloatArray());
            assertThat(batch.toFloatArray()).as("input untouched").isEqualTo(before);
            Set<Float> allowed = new HashSet<>();
            for (float v : before) {
                allowed.add(v);
            }
            for (float v : augmentation.padValues()) {
                allowed.add(v);
            }
            int foreign = 0;
            for (float v : first.toFloatArray()) {
                foreign += allowed.contains(v) ? 0 : 1;
            }
            assertThat(foreign).as("values neither from the input nor padding").isZero();
        }
    }

    @Test
    void eachOutputIsAShiftedAndPossiblyMirroredWindowOfItsOwnImage() {
        RandomCropFlip augmentation = new RandomCropFlip(4, new float[] {0f}, new float[] {1f});
        try (NDManager manager = NDManager.newBaseManager()) {
            int n = 8;
            float[] values = new float[n * 32 * 32];
            for (int i = 0; i < values.length; i++) {
                values[i] = i + 1; // distinct, never the pad value 0
            }
            NDArray batch = manager.create(values, new Shape(n, 1, 32, 32));
            float[] out = augmentation.apply(batch, 7).toFloatArray();
            int flipped = 0;
            for (int e = 0; e < n; e++) {
                boolean found = false;
                for (int dy = -4; dy <= 4 && !found; dy++) {
                    for (int dx = -4; dx <= 4 && !found; dx++) {
                        for (boolean flip : new boolean[] {false, true}) {
                            if (matches(values, out, e, dy, dx, flip)) {
                                found = true;
                                flipped += flip ? 1 : 0;
                                break;
                            }
                        }
                    }
                }
                assertThat(found).as("example %d is a crop of itself", e).isTrue();
            }
            assertThat(flipped).isBetween(1, n - 1);
        }
    }

    private static boolean matches(float[] in, float[] out, int e, int dy, int dx, boolean flip) {
        for (int i = 0; i < 32; i++) {
            for (int j = 0; j < 32; j++) {
                int sj = flip ? 31 - j : j;
                int y = i + dy;
                int x = sj + dx;
                float expected = y < 0 || y >= 32 || x < 0 || x >= 32 ? 0f : in[e * 1024 + y * 32 + x];
                if (out[e * 1024 + i * 32 + j] != expected) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void seedsDependOnEveryCoordinate() {
        long base = Augmentation.seed(0, 1, 2, 3);
        assertThat(Augmentation.seed(0, 1, 2, 3)).isEqualTo(base);
        assertThat(Set.of(base, Augmentation.seed(1, 1, 2, 3), Augmentation.seed(0, 2, 2, 3),
                Augmentation.seed(0, 1, 3, 3), Augmentation.seed(0, 1, 2, 4))).hasSize(5);
    }
}
