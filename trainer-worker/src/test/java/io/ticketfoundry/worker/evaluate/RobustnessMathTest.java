package io.ticketfoundry.worker.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The robustness arithmetic against hand-computed cases. */
class RobustnessMathTest {

    @Test
    void aurocOfIdenticalSetsIsOneHalf() {
        double[] scores = {0.9, 0.4, 0.4, 0.7, 0.1};
        assertThat(RobustnessMath.auroc(scores, scores.clone())).isEqualTo(0.5);
        assertThat(RobustnessMath.auroc(new double[] {0.3}, new double[] {0.3})).isEqualTo(0.5);
    }

    @Test
    void aurocOfSeparableSetsIsOneOrZero() {
        double[] in = {0.9, 0.95, 0.99};
        double[] out = {0.2, 0.5, 0.89};
        assertThat(RobustnessMath.auroc(in, out)).isEqualTo(1.0);
        assertThat(RobustnessMath.auroc(out, in)).isEqualTo(0.0);
    }

    @Test
    void tiesCountOneHalf() {
        // in {0.8, 0.5}, out {0.5, 0.2, 0.8}: pairs (in, out)
        //   0.8: > 0.5, > 0.2, = 0.8 -> 2.5;  0.5: = 0.5, > 0.2, < 0.8 -> 1.5;  U = 4, 4 / (2 * 3) = 2/3
        double[] in = {0.8, 0.5};
        double[] out = {0.5, 0.2, 0.8};
        assertThat(RobustnessMath.twiceMannWhitneyU(in, out)).isEqualTo(8);
        assertThat(RobustnessMath.auroc(in, out)).isEqualTo(4.0 / 6.0);
        // complementary: AUROC(in, out) + AUROC(out, in) = 1
        assertThat(RobustnessMath.auroc(in, out) + RobustnessMath.auroc(out, in)).isEqualTo(1.0);
        assertThatThrownBy(() -> RobustnessMath.auroc(new double[0], out)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RobustnessMath.auroc(new double[] {Double.NaN}, out))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void maximumSoftmaxProbabilityIsTheTopProbability() {
        float[] logits = {0f, 0f, 1000f, 1000f, 2f, (float) Math.log(3)};
        double[] msp = RobustnessMath.maxSoftmaxProbability(logits, 2);
        assertThat(msp[0]).isEqualTo(0.5);
        assertThat(msp[1]).isEqualTo(0.5); // shifted by the maximum: no overflow
        assertThat(msp[2]).isCloseTo(Math.exp(2) / (Math.exp(2) + 3), org.assertj.core.api.Assertions.within(1e-7));
    }

    @Test
    void topOneErrorsUseTheFirstMaximalLogit() {
        float[] logits = {1f, 1f, 0f, 2f, 3f, 1f};
        assertThat(RobustnessMath.topOneErrors(logits, 2, new int[] {0, 1, 0})).isZero();
        assertThat(RobustnessMath.topOneErrors(logits, 2, new int[] {1, 0, 1})).isEqualTo(3);
    }

    @Test
    void mceOfAModelAgainstItselfIsExactlyOne() {
        List<RobustnessMath.CorruptionErrors> sets = List.of(
                new RobustnessMath.CorruptionErrors("fog", 1, "fog-1", 1000, 123, 123),
                new RobustnessMath.CorruptionErrors("fog", 5, "fog-5", 1000, 457, 457),
                new RobustnessMath.CorruptionErrors("noise", 3, "noise-3", 997, 301, 301));
        assertThat(RobustnessMath.mce(sets).value()).isEqualTo(1.0);
    }

    @Test
    void mceIsTheMeanOverCorruptionsOfSummedErrorRatios() {
        // fog: (0.1 + 0.3) / (0.2 + 0.2) = 1; noise: 0.3 / 0.6 = 0.5; mCE = 0.75
        List<RobustnessMath.CorruptionErrors> sets = List.of(
                new RobustnessMath.CorruptionErrors("fog", 1, "a", 10, 1, 2),
                new RobustnessMath.CorruptionErrors("noise", 1, "b", 10, 3, 6),
                new RobustnessMath.CorruptionErrors("fog", 2, "c", 10, 3, 2));
        RobustnessMath.Mce mce = RobustnessMath.mce(sets);
        assertThat(mce.value()).isCloseTo(0.75, org.assertj.core.api.Assertions.within(1e-15));
        Map<String, Object> fog = mce.corruptions().get(0);
        assertThat(fog.get("corruption")).isEqualTo("fog");
        assertThat(fog.get("severities")).isEqualTo(List.of(1, 2));
        // a corruption the reference never errs on has no CE: left out of the mean, named
        RobustnessMath.Mce partly = RobustnessMath.mce(List.of(new RobustnessMath.CorruptionErrors("fog", 1, "a", 10, 1, 0),
                new RobustnessMath.CorruptionErrors("noise", 1, "b", 10, 3, 6)));
        assertThat(partly.value()).isEqualTo(0.5);
        assertThat(partly.excluded()).containsExactly("fog");
        assertThat(RobustnessMath.mce(List.of(new RobustnessMath.CorruptionErrors("fog", 1, "a", 10, 0, 0))).value())
                .isNull();
    }

    @Test
    void theFgsmStepMovesEveryPixelByEpsilonInTheGradientsSignAndClips() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray pixels = manager.create(new float[] {0f, 0.5f, 1f, 0.98f, 0.02f, 0.3f});
            NDArray gradient = manager.create(new float[] {-2f, 3f, 0.1f, 1e-30f, -5f, 0f});
            assertThat(FgsmAttack.step(pixels, gradient, 0).toFloatArray()).containsExactly(pixels.toFloatArray());
            float[] moved = FgsmAttack.step(pixels, gradient, 0.1).toFloatArray();
            // 0 - 0.1 -> 0 (clipped), 0.5 + 0.1, 1 + 0.1 -> 1 (clipped), 0.98 + 0.1 -> 1, 0.02 - 0.1 -> 0, no gradient: kept
            assertThat(moved).containsExactly(0f, 0.5f + 0.1f, 1f, 1f, 0f, 0.3f);
            float[] large = FgsmAttack.step(pixels, gradient, 1.0).toFloatArray();
            for (float v : large) {
                assertThat(v).isBetween(0f, 1f);
            }
            assertThatThrownBy(() -> FgsmAttack.step(pixels, gradient, -0.1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void pixelsAreRecoveredExactlyFromNormalisedFeatures() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] values = new float[256];
            for (int i = 0; i < 256; i++) {
                values[i] = i / 255f;
            }
            NDArray raw = manager.create(values);
            NDArray mean = manager.create(new float[] {0.1307f});
            NDArray std = manager.create(new float[] {0.3081f});
            NDArray features = raw.sub(mean).div(std);
            NDArray pixels = FgsmAttack.pixels(features, mean, std);
            assertThat(pixels.toFloatArray()).containsExactly(values);
            assertThat(pixels.sub(mean).div(std).toFloatArray()).containsExactly(features.toFloatArray());
        }
    }
}
