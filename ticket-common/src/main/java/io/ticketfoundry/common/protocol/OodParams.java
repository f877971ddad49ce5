package io.ticketfoundry.common.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The out-of-distribution data of an evaluate job: either a registered dataset's split (or one
 * half of it; same example shape as the ticket's data, any number of classes since labels are
 * not used), or {@code gaussianNoise} images. Exactly one of the two.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OodParams(String dataset, String split, String half, Long seed, GaussianNoise gaussianNoise) {

    /** The dataset selection (defaults filled in by the API), or null for Gaussian noise. */
    public DataSelection selection() {
        return dataset == null ? null : new DataSelection(dataset, split, half, seed);
    }

    /**
     * {@code count} images of the ticket's example shape whose pixels are independent draws of
     * N(mean, std²) in [0, 1] pixel space, clipped to [0, 1], from {@code java.util.Random(seed)}
     * ({@code nextGaussian}, row-major), then normalised as the ticket's training data.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GaussianNoise(Integer count, Long seed, Double mean, Double std) {

        public static final int DEFAULT_COUNT = 1000;
        public static final int MAX_COUNT = 100_000;
        public static final double DEFAULT_MEAN = 0.5;
        public static final double DEFAULT_STD = 0.25;

        public GaussianNoise withDefaults() {
            return new GaussianNoise(count == null ? Integer.valueOf(DEFAULT_COUNT) : count,
                    seed == null ? Long.valueOf(0L) : seed, mean == null ? Double.valueOf(DEFAULT_MEAN) : mean,
                    std == null ? Double.valueOf(DEFAULT_STD) : std);
        }
    }
}
