package io.ticketfoundry.common.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Data a job scores or fits on: a split of a registered dataset, or one class-balanced half of
 * that split ({@code half} {@code a} or {@code b}: every class split in two by a seeded ranking,
 * {@code a} taking ⌊n_c/2⌋ examples of class c and {@code b} the rest, the same procedure as the
 * {@code halves} recipe). Halves let a calibration fit on one part of a test split and report on
 * the other when the dataset has no validation split.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataSelection(String dataset, String split, String half, Long seed) {

    public static final String TRAIN = "train";
    public static final String TEST = "test";
    public static final String VALIDATION = "validation";
    public static final List<String> SPLITS = List.of(TRAIN, TEST, VALIDATION);
    public static final String HALF_A = "a";
    public static final String HALF_B = "b";
    public static final List<String> HALVES = List.of(HALF_A, HALF_B);

    public static DataSelection whole(String dataset, String split) {
        return new DataSelection(dataset, split, null, null);
    }

    public static DataSelection half(String dataset, String split, String half) {
        return new DataSelection(dataset, split, half, 0L);
    }

    /** The split defaults to {@code test}, a half's seed to 0 (a seed given without a half is kept, to be refused). */
    public DataSelection withDefaults(String defaultDataset) {
        return new DataSelection(dataset == null ? defaultDataset : dataset, split == null ? TEST : split, half,
                half != null && seed == null ? Long.valueOf(0L) : seed);
    }

    /** The other half of the same split (same seed). */
    public DataSelection otherHalf() {
        if (half == null) {
            throw new IllegalStateException("a whole split has no other half");
        }
        return new DataSelection(dataset, split, HALF_A.equals(half) ? HALF_B : HALF_A, seed);
    }

    /**
     * How metrics name this data's split: {@code test}, or {@code test:half-a} (with
     * {@code :seed-S} appended when the halves' seed is not 0).
     */
    public String splitLabel() {
        if (half == null) {
            return split;
        }
        return split + ":half-" + half + (seed == null || seed == 0 ? "" : ":seed-" + seed);
    }
}
