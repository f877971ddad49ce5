package io.ticketfoundry.worker.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes small CIFAR-10 / CIFAR-100 datasets in the real binary layout for tests and benchmarks,
 * under the standard folder names: each class has a random 3×32×32 prototype and every record is
 * its prototype plus noise. Record {@code i} of a split has class {@code i % classes} (CIFAR-100:
 * coarse label {@code fine % 20}).
 */
public final class SyntheticCifar {

    private SyntheticCifar() {
    }

    /** {@code <root>/cifar-10-batches-bin/data_batch_1..5.bin} ({@code trainPerBatch} records each) and {@code test_batch.bin}. */
    public static Path writeCifar10(Path root, int trainPerBatch, int testCount, long seed) throws IOException {
        Path dir = Files.createDirectories(root.resolve("cifar-10-batches-bin"));
        Random random = new Random(seed);
        byte[][] prototypes = prototypes(10, random);
        for (int batch = 1; batch <= 5; batch++) {
            write(dir.resolve("data_batch_" + batch + ".bin"), CifarReader.Layout.CIFAR10, trainPerBatch,
                    (batch - 1) * trainPerBatch, prototypes, random);
        }
        write(dir.resolve("test_batch.bin"), CifarReader.Layout.CIFAR10, testCount, 0, prototypes, random);
        return root;
    }

    /** {@code <root>/cifar-100-binary/train.bin} and {@code test.bin}. */
    public static Path writeCifar100(Path root, int trainCount, int testCount, long seed) throws IOException {
        Path dir = Files.createDirectories(root.resolve("cifar-100-binary"));
        Random random = new Random(seed);
        byte[][] prototypes = prototypes(100, random);
        write(dir.resolve("train.bin"), CifarReader.Layout.CIFAR100, trainCount, 0, prototypes, random);
        write(dir.resolve("test.bin"), CifarReader.Layout.CIFAR100, testCount, 0, prototypes, random);
        return root;
    }

    /** One file of {@code count} records whose labels are {@code (first + i) % classes}. */
    public static void write(Path file, CifarReader.Layout layout, int count, int first, byte[][] prototypes, Random random)
            throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (int i = 0; i < count; i++) {
                int label = (first + i) % prototypes.length;
                if (layout == CifarReader.Layout.CIFAR100) {
                    out.write(label % 20);
                }
                out.write(label);
                byte[] pixels = new byte[CifarReader.PIXELS];
                for (int p = 0; p < pixels.length; p++) {
                    int value = (prototypes[label][p] & 0xff) + (int) (random.nextGaussian() * 40);
                    pixels[p] = (byte) Math.max(0, Math.min(255, value));
                }
                out.write(pixels);
            }
        }
    }

    private static byte[][] prototypes(int classes, Random random) {
        byte[][] prototypes = new byte[classes][CifarReader.PIXELS];
        for (byte[] prototype : prototypes) {
            random.nextBytes(prototype);
        }
        return prototypes;
    }
}
