package io.ticketfoundry.it;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * A small MNIST-format dataset in the real IDX files: ten classes, each a fixed random 28×28
 * prototype plus noise, so a network learns it in one or two epochs. The training files are
 * gzipped and the test files raw, as both occur in the wild.
 */
final class SyntheticIdx {

    private static final int SIDE = 28;
    private static final int CLASSES = 10;

    private SyntheticIdx() {
    }

    static void write(Path datasetDir, int trainCount, int testCount, long seed) throws IOException {
        Files.createDirectories(datasetDir);
        Random random = new Random(seed);
        byte[][] prototypes = new byte[CLASSES][SIDE * SIDE];
        for (byte[] prototype : prototypes) {
            for (int i = 0; i < prototype.length; i++) {
                prototype[i] = (byte) (random.nextDouble() < 0.3 ? 200 + random.nextInt(56) : random.nextInt(40));
            }
        }
        writeSplit(datasetDir, "train", trainCount, prototypes, random, true);
        writeSplit(datasetDir, "t10k", testCount, prototypes, random, false);
    }

    private static void writeSplit(Path dir, String prefix, int count, byte[][] prototypes, Random random, boolean gzip)
            throws IOException {
        byte[] images = new byte[count * SIDE * SIDE];
        byte[] labels = new byte[count];
        for (int n = 0; n < count; n++) {
            int label = n % CLASSES;
            labels[n] = (byte) label;
            for (int i = 0; i < SIDE * SIDE; i++) {
                int value = (prototypes[label][i] & 0xff) + (int) (random.nextGaussian() * 40);
                images[n * SIDE * SIDE + i] = (byte) Math.max(0, Math.min(255, value));
            }
        }
        String suffix = gzip ? ".gz" : "";
        try (DataOutputStream out = open(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), gzip)) {
            out.writeInt(0x00000803);
            out.writeInt(count);
            out.writeInt(SIDE);
            out.writeInt(SIDE);
            out.write(images);
        }
        try (DataOutputStream out = open(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), gzip)) {
            out.writeInt(0x00000801);
            out.writeInt(count);
            out.write(labels);
        }
    }

    private static DataOutputStream open(Path file, boolean gzip) throws IOException {
        OutputStream out = Files.newOutputStream(file);
        return new DataOutputStream(gzip ? new GZIPOutputStream(out) : out);
    }
}
