package io.ticketfoundry.worker.data.corruption;

import io.ticketfoundry.common.dataset.DatasetRecipe;
import io.ticketfoundry.worker.Seeds;
import io.ticketfoundry.worker.data.RawImages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The corruption registry and generator. {@link #apply} corrupts every example of a split:
 * bytes to floats in [0, 1], the corruption, then {@code round(clip(v) × 255)} back to bytes;
 * labels and shape are kept. Example {@code i} draws from its own {@link PixelRandom} seeded with
 * {@code Seeds.derive(seed, "corruption:" + name, i)}: the result depends on (seed, corruption,
 * severity, i, the clean image) only, never on batch order or threads, and the five severities of
 * one example share their draws (the same noise, scaled), so severities are comparable image by
 * image. Works for 1 and 3 channels and any size.
 */
public final class Corruptions {

    private static final Map<String, Corruption> REGISTRY = new LinkedHashMap<>();

    static {
        List<Corruption> all = new ArrayList<>();
        all.addAll(NoiseCorruptions.all());
        all.addAll(BlurCorruptions.all());
        all.addAll(WeatherCorruptions.all());
        all.addAll(DigitalCorruptions.all());
        for (Corruption c : all) {
            REGISTRY.put(c.name(), c);
        }
        if (!REGISTRY.keySet().equals(new java.util.HashSet<>(DatasetRecipe.CORRUPTIONS))) {
            throw new IllegalStateException("the worker's corruptions " + REGISTRY.keySet()
                    + " differ from the recipe's " + DatasetRecipe.CORRUPTIONS);
        }
    }

    private Corruptions() {
    }

    public static List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }

    public static Corruption named(String name) {
        Corruption c = REGISTRY.get(name);
        if (c == null) {
            throw new IllegalArgumentException("unknown corruption \"" + name + "\"; known: " + REGISTRY.keySet());
        }
        return c;
    }

    /** The per-example seed of example {@code index}. */
    public static long exampleSeed(long seed, String name, int index) {
        return Seeds.derive(seed, "corruption:" + name, index);
    }

    /** Every example of {@code images} corrupted (in parallel; the result does not depend on it). */
    public static RawImages apply(RawImages images, String name, int severity, long seed) {
        Corruption corruption = named(name);
        if (images.channels() != 1 && images.channels() != 3) {
            throw new IllegalArgumentException("corruptions need 1 or 3 channels, got " + images.channels());
        }
        int size = images.exampleSize();
        byte[] out = new byte[images.pixels().length];
        IntStream.range(0, images.count()).parallel().forEach(i -> {
            Image image = Image.fromBytes(images.pixels(), i * size, images.channels(), images.height(), images.width());
            Image corrupted = corruption.apply(image, severity, new PixelRandom(exampleSeed(seed, name, i)));
            corrupted.toBytes(out, i * size);
        });
        return new RawImages(out, images.labels().clone(), images.channels(), images.height(), images.width());
    }

    /** One image (C × H × W bytes) corrupted as example {@code index} would be. */
    public static byte[] applyOne(byte[] pixels, int channels, int height, int width, String name, int severity,
            long seed, int index) {
        Image image = Image.fromBytes(pixels, 0, channels, height, width);
        Image corrupted = named(name).apply(image, severity, new PixelRandom(exampleSeed(seed, name, index)));
        byte[] out = new byte[pixels.length];
        corrupted.toBytes(out, 0);
        return out;
    }
}
