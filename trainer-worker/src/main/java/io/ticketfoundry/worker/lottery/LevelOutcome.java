package io.ticketfoundry.worker.lottery;

import io.ticketfoundry.common.protocol.LayerDensity;
import io.ticketfoundry.common.protocol.MetricReport;
import io.ticketfoundry.common.protocol.TicketReport;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one level produced. {@code rewindPath} is the file written at level 0 and, at later
 * levels, the input rewind point (not rewritten). {@code rewindWritten} tells which. Counts are
 * over the prunable tensors ({@code prunableWeights}, {@code remainingPrunable}, {@code layers})
 * and over all parameters, biases included ({@code totalParameters}, {@code remainingTotal}).
 * {@code snapshots}: the masks a sparse-training level kept during training (empty otherwise).
 */
public record LevelOutcome(
        int level,
        Path maskPath,
        Path rewindPath,
        boolean rewindWritten,
        Path trainedPath,
        long prunableWeights,
        long remainingPrunable,
        long totalParameters,
        long remainingTotal,
        Map<String, LayerDensity> layers,
        List<MetricReport> metrics,
        Map<String, String> provenance,
        long trainingSteps,
        double finalTrainLoss,
        List<Snapshot> snapshots) {

    /**
     * A mask a sparse-training level kept at {@code step}, with the weights at that step and their
     * metrics; the level's rewind point is its rewind point too.
     */
    public record Snapshot(long step, Path maskPath, Path trainedPath, long prunableWeights, long remainingPrunable,
            long totalParameters, long remainingTotal, Map<String, LayerDensity> layers, List<MetricReport> metrics,
            Map<String, String> provenance) {

        public Snapshot {
            layers = Collections.unmodifiableMap(new LinkedHashMap<>(layers));
            metrics = List.copyOf(metrics);
            provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
        }

        public TicketReport toTicketReport(int level, String maskSha256, String rewindSha256, String trainedSha256) {
            return new TicketReport(level, maskSha256, rewindSha256, trainedSha256, prunableWeights, remainingPrunable,
                    totalParameters, remainingTotal, layers, metrics, provenance);
        }
    }

    public LevelOutcome {
        layers = Collections.unmodifiableMap(new LinkedHashMap<>(layers));
        metrics = List.copyOf(metrics);
        provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
        snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
    }

    /** A level that kept no snapshots. */
    public LevelOutcome(int level, Path maskPath, Path rewindPath, boolean rewindWritten, Path trainedPath,
            long prunableWeights, long remainingPrunable, long totalParameters, long remainingTotal,
            Map<String, LayerDensity> layers, List<MetricReport> metrics, Map<String, String> provenance,
            long trainingSteps, double finalTrainLoss) {
        this(level, maskPath, rewindPath, rewindWritten, trainedPath, prunableWeights, remainingPrunable,
                totalParameters, remainingTotal, layers, metrics, provenance, trainingSteps, finalTrainLoss, List.of());
    }

    public double densityPrunable() {
        return prunableWeights == 0 ? 1.0 : (double) remainingPrunable / prunableWeights;
    }

    /** The report for the API once the files are uploaded under the given SHA-256 names. */
    public TicketReport toTicketReport(String maskSha256, String rewindSha256, String trainedSha256) {
        return new TicketReport(level, maskSha256, rewindSha256, trainedSha256, prunableWeights, remainingPrunable,
                totalParameters, remainingTotal, layers, metrics, provenance);
    }
}
