package io.ticketfoundry.worker.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** Loads a split of an IDX image dataset into engine memory, normalised. */
public final class DatasetLoader {

    private final DatasetLocator locator;

    public DatasetLoader(Path datasetRoot) {
        this.locator = new DatasetLocator(datasetRoot);
    }

    public InMemoryDataset load(NDManager parent, String datasetName, Split split) throws IOException {
        DatasetInfo info = DatasetInfo.named(datasetName);
        Path imagePath = locator.images(info, split);
        Path labelPath = locator.labels(info, split);
        IdxFile images = IdxReader.readImages(imagePath);
        IdxFile labels = IdxReader.readLabels(labelPath);
        int[] dims = images.dimensions();
        if (dims[1] != info.rows() || dims[2] != info.columns()) {
            throw new IdxFormatException(imagePath + ": images are " + dims[1] + "x" + dims[2] + ", "
                    + info.name() + " expects " + info.rows() + "x" + info.columns());
        }
        if (images.count() != labels.count()) {
            throw new IdxFormatException(imagePath + " has " + images.count() + " images but " + labelPath
                    + " has " + labels.count() + " labels");
        }
        int n = labels.count();
        int[] labelValues = new int[n];
        long[] labelLongs = new long[n];
        byte[] labelBytes = labels.data();
        for (int i = 0; i < n; i++) {
            labelValues[i] = labelBytes[i] & 0xff;
            if (labelValues[i] >= info.numClasses()) {
                throw new IdxFormatException(labelPath + ": label " + labelValues[i] + " at index " + i
                        + " is not below " + info.numClasses());
            }
            labelLongs[i] = labelValues[i];
        }
        NDManager manager = parent.newSubManager();
        try {
            NDArray features;
            try (NDManager scratch = manager.newSubManager()) {
                ByteBuffer pixels = scratch.allocateDirect(images.data().length);
                pixels.put(images.data()).flip();
                NDArray raw = scratch.create(pixels, new Shape(n, 1, info.rows(), info.columns()), DataType.UINT8);
                features = raw.toType(DataType.FLOAT32, false)
                        .divi(255f).subi(info.mean()).divi(info.std());
                features.attach(manager);
            }
            NDArray labelArray = manager.create(labelLongs);
            return new InMemoryDataset(info.name(), split, manager, features, labelArray, labelValues,
                    info.numClasses());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }
}
