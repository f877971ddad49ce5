package io.ticketfoundry.common.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * The ticket one IMP level made. Artifacts are named by the SHA-256 of bytes already uploaded
 * under the same lease (or, for {@code rewindSha256} at levels above 0, the job's input).
 * Densities are reported both over the prunable tensors and over all parameters. A calibrate job's
 * ticket carries {@code calibration}: the method, its fitted values and the data it was fitted on.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TicketReport(
        int level,
        String maskSha256,
        String rewindSha256,
        String trainedSha256,
        long prunableWeights,
        long remainingPrunable,
        long totalParameters,
        long remainingTotal,
        Map<String, LayerDensity> layers,
        List<MetricReport> metrics,
        Map<String, String> provenance,
        Map<String, Object> calibration) {

    /** A ticket of training (no calibration). */
    public TicketReport(int level, String maskSha256, String rewindSha256, String trainedSha256, long prunableWeights,
            long remainingPrunable, long totalParameters, long remainingTotal, Map<String, LayerDensity> layers,
            List<MetricReport> metrics, Map<String, String> provenance) {
        this(level, maskSha256, rewindSha256, trainedSha256, prunableWeights, remainingPrunable, totalParameters,
                remainingTotal, layers, metrics, provenance, null);
    }
}
