package io.ticketfoundry.worker.data;

import java.util.Arrays;

/** The contents of an unsigned-byte IDX file: its dimensions and the row-major bytes. */
public record IdxFile(int[] dimensions, byte[] data) {

    public IdxFile {
        dimensions = dimensions.clone();
    }

    @Override
    public int[] dimensions() {
        return dimensions.clone();
    }

    public int count() {
        return dimensions[0];
    }

    /** Elements per item, e.g. rows × columns for images, 1 for labels. */
    public int itemSize() {
        int size = 1;
        for (int i = 1; i < dimensions.length; i++) {
            size *= dimensions[i];
        }
        return size;
    }

    @Override
    public String toString() {
        return "IdxFile" + Arrays.toString(dimensions);
    }
}
