package io.ticketfoundry.api.plot;

import java.util.List;

/**
 * What a reliability diagram shows: the ECE value, its bins in order (empty bins have null accuracy
 * and confidence), how they were made ({@code binning}, {@code edges}, {@code binCount} as recorded
 * with the value; any may be null for older rows) and a caption naming the ticket and data.
 */
public record ReliabilityDiagram(double ece, List<Bin> bins, Integer samples, Integer binCount, String binning,
        String edges, String confidence, String caption) {

    public ReliabilityDiagram {
        bins = List.copyOf(bins);
    }

    /** One bin: its range, how many samples fell in it, their accuracy and mean confidence. */
    public record Bin(double lower, double upper, long count, Double accuracy, Double confidence) {

        public boolean filled() {
            return count > 0 && accuracy != null && confidence != null;
        }
    }
}
