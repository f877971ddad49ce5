package io.ticketfoundry.worker.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the binary versions of CIFAR-10 and CIFAR-100: fixed-size records with no header. A
 * CIFAR-10 record is 1 label byte then 3072 pixel bytes (1024 red, 1024 green, 1024 blue, each
 * 32 rows of 32); a CIFAR-100 record has 2 label bytes (coarse, then fine) before the same
 * pixels. The fine label is used for CIFAR-100.
 */
public final class CifarReader {

    public static final int CHANNELS = 3;
    public static final int SIZE = 32;
    public static final int PIXELS = CHANNELS * SIZE * SIZE;

    /** A record layout: label bytes before the pixels, which of them is the label, and how many classes. */
    public enum Layout {
        CIFAR10(1, 0, 10),
        CIFAR100(2, 1, 100);

        final int labelBytes;
        final int labelIndex;
        final int numClasses;

        Layout(int labelBytes, int labelIndex, int numClasses) {
            this.labelBytes = labelBytes;
            this.labelIndex = labelIndex;
            this.numClasses = numClasses;
        }

        public int recordSize() {
            return labelBytes + PIXELS;
        }

        public int numClasses() {
            return numClasses;
        }
    }

    private CifarReader() {
    }

    /** The files in order, as one split. */
    public static RawImages read(List<Path> files, Layout layout) throws IOException {
        List<RawImages> parts = new ArrayList<>();
        for (Path file : files) {
            parts.add(read(file, layout));
        }
        return RawImages.concat(parts);
    }

    public static RawImages read(Path file, Layout layout) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "CIFAR file not found");
        }
        long size = Files.size(file);
        int record = layout.recordSize();
        if (size == 0 || size % record != 0) {
            throw new DatasetFormatException(file + ": " + size + " bytes is not a whole number of " + layout
                    + " records of " + record + " bytes (" + layout.labelBytes + " label byte(s) + " + PIXELS + " pixels)");
        }
        if (size / record > Integer.MAX_VALUE / PIXELS) {
            throw new DatasetFormatException(file + ": too many records for one array");
        }
        int count = (int) (size / record);
        byte[] pixels = new byte[count * PIXELS];
        int[] labels = new int[count];
        byte[] buffer = new byte[record];
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            for (int i = 0; i < count; i++) {
                if (in.readNBytes(buffer, 0, record) != record) {
                    throw new DatasetFormatException(file + ": truncated at record " + i);
                }
                int label = buffer[layout.labelIndex] & 0xff;
                if (label >= layout.numClasses) {
                    throw new DatasetFormatException(file + ": label " + label + " of record " + i + " is not below "
                            + layout.numClasses);
                }
                if (layout == Layout.CIFAR100 && (buffer[0] & 0xff) >= 20) {
                    throw new DatasetFormatException(file + ": coarse label " + (buffer[0] & 0xff) + " of record " + i
                            + " is not below 20");
                }
                labels[i] = label;
                System.arraycopy(buffer, layout.labelBytes, pixels, i * PIXELS, PIXELS);
            }
        }
        return new RawImages(pixels, labels, CHANNELS, SIZE, SIZE);
    }
}
