package io.ticketfoundry.worker.data.corruption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ticketfoundry.common.dataset.DatasetRecipe;
import io.ticketfoundry.worker.data.RawImages;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CorruptionsTest {

    /**
     * Corruptions whose CIFAR-10-C constants are not ordered by strength, measured below:
     * glass-blur (severity 3 blurs with σ 0.4 and one shuffle pass, severity 4 with σ 0.25 and two,
     * severity 5 with 0.4 and two), elastic (the affine jitter shrinks from 0.08 to 0.03 of the size
     * while the displacement field is small, so the change falls with severity) and frost
     * (severities 3 to 5 keep 0.9, 0.85, 0.75 of the image under frost weights 0.4, 0.4, 0.45:
     * where the frost is brighter than the image, less image is closer to the clean one).
     * Snow is not ordered by construction either (severity 5 zooms its flakes less than 4) but
     * measures monotone here.
     */
    static final Set<String> NOT_MONOTONE = Set.of("glass-blur", "elastic", "frost");

    /** Smooth, natural-looking test images: a few random waves and a bright disc per channel. */
    static RawImages smoothImages(int count, int channels, int size, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[count * channels * size * size];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++) {
            labels[n] = n % 10;
            double fx = 0.1 + 0.3 * random.nextDouble();
            double fy = 0.1 + 0.3 * random.nextDouble();
            double cx = size * (0.3 + 0.4 * random.nextDouble());
            double cy = size * (0.3 + 0.4 * random.nextDouble());
            double r = size * (0.15 + 0.15 * random.nextDouble());
            for (int c = 0; c < channels; c++) {
                double phase = random.nextDouble() * 6;
                double base = 60 + 80 * random.nextDouble();
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        double v = base + 40 * Math.sin(fx * x + phase) * Math.cos(fy * y);
                        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r) {
                            v += 90;
                        }
                        pixels[((n * channels + c) * size + y) * size + x] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                    }
                }
            }
        }
        return new RawImages(pixels, labels, channels, size, size);
    }

    static double meanAbsoluteDifference(RawImages a, RawImages b) {
        long sum = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            sum += Math.abs((a.pixels()[i] & 0xff) - (b.pixels()[i] & 0xff));
        }
        return (double) sum / a.pixels().length;
    }

    @Test
    void theRegistryHoldsExactlyTheRecipesCorruptions() {
        assertThat(Corruptions.names()).containsExactlyElementsOf(DatasetRecipe.CORRUPTIONS);
        assertThatThrownBy(() -> Corruptions.named("rain")).hasMessageContaining("unknown corruption");
        assertThatThrownBy(() -> Corruptions.apply(smoothImages(1, 1, 28, 1), "fog", 6, 0))
                .hasMessageContaining("severity");
    }

    @Test
    void everyCorruptionAndSeverityIsDeterministicKeepsShapeAndLabelsOnOneAndThreeChannels() {
        for (int channels : new int[] {1, 3}) {
            int size = channels == 1 ? 28 : 32;
            RawImages clean = smoothImages(6, channels, size, 3);
            for (String name : Corruptions.names()) {
                boolean random = Corruptions.named(name).random();
                for (int severity = 1; severity <= 5; severity++) {
                    String what = name + " " + severity + " on " + channels + "x" + size + "x" + size;
                    RawImages a = Corruptions.apply(clean, name, severity, 7);
                    RawImages b = Corruptions.apply(clean, name, severity, 7);
                    RawImages other = Corruptions.apply(clean, name, severity, 8);
                    assertThat(a.pixels()).as(what + ": same seed, same bytes").isEqualTo(b.pixels());
                    assertThat(a.labels()).as(what).isEqualTo(clean.labels());
                    assertThat(new int[] {a.channels(), a.height(), a.width()}).as(what)
                            .containsExactly(channels, size, size);
                    if (random) {
                        assertThat(other.pixels()).as(what + ": another seed, other bytes").isNotEqualTo(a.pixels());
                    } else {
                        assertThat(other.pixels()).as(what + ": no random draws").isEqualTo(a.pixels());
                    }
                    assertThat(meanAbsoluteDifference(a, clean)).as(what + " changes the image").isGreaterThan(0);
                    // example i does not depend on the others: corrupting it alone gives the same bytes
                    int i = 4;
                    byte[] one = Arrays.copyOfRange(clean.pixels(), i * clean.exampleSize(), (i + 1) * clean.exampleSize());
                    assertThat(Corruptions.applyOne(one, channels, size, size, name, severity, 7, i)).as(what)
                            .isEqualTo(Arrays.copyOfRange(a.pixels(), i * a.exampleSize(), (i + 1) * a.exampleSize()));
                }
            }
        }
    }

    @Test
    void higherSeveritiesChangeTheImageMore() {
        StringBuilder table = new StringBuilder("mean |corrupted - clean| (0..255) by severity\n");
        java.util.Map<String, double[]> mads = new java.util.LinkedHashMap<>();
        for (int channels : new int[] {1, 3}) {
            int size = channels == 1 ? 28 : 32;
            RawImages clean = smoothImages(40, channels, size, 5);
            for (String name : Corruptions.names()) {
                double[] mad = new double[5];
                for (int s = 1; s <= 5; s++) {
                    mad[s - 1] = meanAbsoluteDifference(Corruptions.apply(clean, name, s, 1), clean);
                }
                table.append(String.format("%dch %-15s %6.2f %6.2f %6.2f %6.2f %6.2f%n", channels, name,
                        mad[0], mad[1], mad[2], mad[3], mad[4]));
                mads.put(channels + " " + name, mad);
            }
        }
        System.out.print(table);
        for (java.util.Map.Entry<String, double[]> e : mads.entrySet()) {
            String name = e.getKey().substring(2);
            int channels = e.getKey().charAt(0) - '0';
            double[] mad = e.getValue();
            {
                if (NOT_MONOTONE.contains(name)) {
                    assertThat(mad[4]).as(name + ": severity 5 changes the image").isGreaterThan(0);
                    continue;
                }
                for (int s = 1; s < 5; s++) {
                    assertThat(mad[s]).as(name + " on " + channels + " channels, severity " + (s + 1) + " vs " + s)
                            .isGreaterThanOrEqualTo(mad[s - 1] - 0.05);
                }
                assertThat(mad[4]).as(name + ": severity 5 vs 1").isGreaterThan(mad[0]);
            }
        }
    }

    @Test
    void jpegThroughImageIoIsDeterministicAndLosesMoreAtLowerQuality() {
        RawImages clean = smoothImages(3, 3, 32, 9);
        Image image = Image.fromBytes(clean.pixels(), 0, 3, 32, 32);
        byte[] first = new byte[clean.exampleSize()];
        byte[] second = new byte[clean.exampleSize()];
        Jpeg.roundTrip(image.copy(), 40).toBytes(first, 0);
        Jpeg.roundTrip(image.copy(), 40).toBytes(second, 0);
        assertThat(first).isEqualTo(second);
        byte[] good = new byte[clean.exampleSize()];
        Jpeg.roundTrip(image.copy(), 95).toBytes(good, 0);
        assertThat(good).isNotEqualTo(first);
    }

    @Test
    void filtersMatchTheirReferenceDefinitions() {
        // Border modes as NumPy/SciPy/OpenCV pad
        assertThat(new int[] {Border.REFLECT.index(-1, 4), Border.REFLECT.index(4, 4), Border.REFLECT_101.index(-1, 4),
                Border.REFLECT_101.index(4, 4), Border.NEAREST.index(-3, 4)}).containsExactly(0, 3, 1, 2, 0);
        // zoom by 1 is the identity; Pillow BOX down 32 -> 20 uses 1 or 2 inputs per output
        float[] plane = new float[32 * 32];
        for (int i = 0; i < plane.length; i++) {
            plane[i] = (i * 37 % 101) / 101f;
        }
        assertThat(Filters.clippedZoom(plane, 32, 32, 1.0)).containsExactly(plane);
        for (int[] tap : Filters.boxTaps(32, 20)) {
            assertThat(tap[1] - tap[0]).isBetween(1, 2);
        }
        assertThat(Filters.boxTaps(20, 32)[31]).containsExactly(19, 20);
        // the defocus kernel sums to 1
        for (double[] c : BlurCorruptions.DEFOCUS) {
            double sum = 0;
            for (float[] row : BlurCorruptions.disk(c[0], c[1])) {
                for (float v : row) {
                    sum += v;
                }
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
        // Poisson draws have the right mean on both sides of the method switch
        PixelRandom random = new PixelRandom(1);
        for (double lambda : new double[] {3, 40, 400}) {
            double sum = 0;
            for (int i = 0; i < 20000; i++) {
                sum += random.poisson(lambda);
            }
            assertThat(sum / 20000).isCloseTo(lambda, org.assertj.core.data.Offset.offset(lambda * 0.02 + 0.05));
        }
        float[] p = Filters.plasma(32, 3, new PixelRandom(2));
        assertThat(p).contains(0f, 1f);
    }
}
