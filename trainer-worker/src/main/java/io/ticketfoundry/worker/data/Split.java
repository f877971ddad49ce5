package io.ticketfoundry.worker.data;

/** A split and the file-name prefix of its IDX files. */
public enum Split {
    TRAIN("train", "train"),
    TEST("test", "t10k");

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
}
