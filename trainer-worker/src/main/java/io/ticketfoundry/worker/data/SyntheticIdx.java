package io.ticketfoundry.worker.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes a small labelled image dataset in the real IDX layout for tests and benchmarks: each of
 * the classes has a random 28×28 prototype, and every sample is its class prototype plus pixel
 * noise, so the classes are learnable but not trivially identical.
 */
public final class SyntheticIdx {

    private SyntheticIdx() {
    }

    public static Path write(Path root, DatasetInfo dataset, int trainCount, int testCount, long seed, boolean gzip)
            throws IOException {
        Path dir = Files.createDirectories(root.resolve(dataset.name()));
        Random random = new Random(seed);
        int features = dataset.features();
        byte[][] prototypes = new byte[dataset.numClasses()][features];
        for (byte[] prototype : prototypes) {
            for (int i = 0; i < features; i++) {
                prototype[i] = (byte) (random.nextBoolean() ? 200 + random.nextInt(56) : random.nextInt(40));
            }
        }
        String suffix = gzip ? ".gz" : "";
        writeSplit(dir, Split.TRAIN, trainCount, prototypes, dataset, random, suffix);
        writeSplit(dir, Split.TEST, testCount, prototypes, dataset, random, suffix);
        return root;
    }

    private static void writeSplit(Path dir, Split split, int count, byte[][] prototypes, DatasetInfo dataset,
            Random random, String suffix) throws IOException {
        int features = dataset.features();
        byte[] images = new byte[count * features];
        byte[] labels = new byte[count];
        for (int s = 0; s < count; s++) {
            int label = s % prototypes.length;
            labels[s] = (byte) label;
            for (int i = 0; i < features; i++) {
                int value = (prototypes[label][i] & 0xff) + (int) (random.nextGaussian() * 60);
                images[s * features + i] = (byte) Math.max(0, Math.min(255, value));
            }
        }
        IdxWriter.write(dir.resolve(split.filePrefix() + "-images-idx3-ubyte" + suffix),
                new int[] {count, dataset.rows(), dataset.columns()}, images);
        IdxWriter.write(dir.resolve(split.filePrefix() + "-labels-idx1-ubyte" + suffix), new int[] {count}, labels);
    }
}
