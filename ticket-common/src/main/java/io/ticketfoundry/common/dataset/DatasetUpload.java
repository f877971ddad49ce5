package io.ticketfoundry.common.dataset;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A user-uploaded dataset: its format, classes, example shape (C, H, W) and the SHA-256 of each
 * of its files, by role. IDX uploads have {@code trainImages, trainLabels, testImages, testLabels};
 * CIFAR uploads ({@code cifar10}: 1 label byte, {@code cifar100}: coarse and fine label bytes, then
 * 3072 bytes CHW per record) have {@code train, test}. Its id is {@code upload-} followed by the
 * SHA-256 of its canonical JSON, so the same files make the same id.
 */
public record DatasetUpload(String format, int numClasses, List<Integer> inputShape, Map<String, String> files) {

    public static final String ID_PREFIX = "upload-";
    public static final String IDX = "idx";
    public static final String CIFAR10 = "cifar10";
    public static final String CIFAR100 = "cifar100";
    public static final List<String> FORMATS = List.of(IDX, CIFAR10, CIFAR100);

    public DatasetUpload {
        inputShape = List.copyOf(inputShape);
        files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
    }

    /** The file roles a format needs, in upload order. */
    public static List<String> roles(String format) {
        return IDX.equals(format) ? List.of("trainImages", "trainLabels", "testImages", "testLabels")
                : List.of("train", "test");
    }

    public String canonicalJson() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("format", format);
        map.put("numClasses", numClasses);
        map.put("inputShape", String.join("x", inputShape.stream().map(String::valueOf).toList()));
        map.put("files", new TreeMap<>(files));
        return Canonical.json(map);
    }

    public String id() {
        return ID_PREFIX + Canonical.sha256Hex(canonicalJson());
    }

    public static boolean isUploadId(String id) {
        return id != null && id.startsWith(ID_PREFIX) && id.length() == ID_PREFIX.length() + 64;
    }
}
