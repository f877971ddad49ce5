package io.ticketfoundry.worker.data;

/**
 * A split and the file-name prefix of its IDX files. Only derived datasets made by a
 * {@code validation-split} recipe have a {@code VALIDATION} split (held out of the base's training set).
 */
public enum Split {
    TRAIN("train", "train"),
    TEST("test", "t10k"),
    VALIDATION("validation", "validation");

    private final String label;
    private final String filePrefix;

    Split(String label, String filePrefix) {
        this.label = label;
        this.filePrefix = filePrefix;
    }

    /** How the split is named in metric reports. */
    public String label() {
        return label;
    }

    public String filePrefix() {
        return filePrefix;
    }

    /** The split labelled {@code label} ({@code train}, {@code test}, {@code validation}). */
    public static Split of(String label) {
        for (Split split : values()) {
            if (split.label.equals(label)) {
                return split;
            }
        }
        throw new IllegalArgumentException("unknown split \"" + label + "\"; expected train, test or validation");
    }
}
