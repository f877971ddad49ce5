package io.ticketfoundry.api.ticket;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The ticket API's response bodies. */
public final class TicketViews {

    private TicketViews() {
    }

    /** Weights kept out of weights counted; {@code density} = remaining / total. */
    public record WeightCount(long total, long remaining, double density) {
        static WeightCount of(long total, long remaining) {
            return new WeightCount(total, remaining, total == 0 ? 0.0 : (double) remaining / total);
        }
    }

    public record MetricView(String dataset, String split, String name, double value,
            Map<String, Object> conventions, Map<String, Object> details) {
    }

    /** A downloadable artifact: its SHA-256 (also the download's ETag), size and where to get it. */
    public record ArtifactLink(String sha256, Long size, String url) {
    }

    public record TicketArtifacts(ArtifactLink mask, ArtifactLink rewind, ArtifactLink weights) {
    }

    /**
     * One ticket ({@code kind} imp, control-reinit, control-layer-permuted or control-global-permuted;
     * a control's {@code parentTicketId} is the IMP ticket it controls for). {@code sparsity} = 1 −
     * prunable.remaining / prunable.total; {@code allParameters} counts every parameter including
     * those never pruned (biases, ignored layers).
     */
    public record Ticket(UUID id, UUID experimentId, UUID jobId, long seed, int level, UUID parentTicketId,
            double sparsity, WeightCount prunable, WeightCount allParameters, Map<String, WeightCount> layers,
            List<MetricView> metrics, Map<String, String> provenance, TicketArtifacts artifacts, Instant createdAt,
            String kind) {
    }

    /** A ticket in a listing; the metrics are the test-split values when reported. */
    public record TicketSummary(UUID id, long seed, int level, UUID parentTicketId, double sparsity,
            WeightCount prunable, WeightCount allParameters, Double accuracy, Double ece, Double nll, Double brier,
            Instant createdAt, String kind) {
    }

    public record TicketList(UUID experimentId, List<TicketSummary> items) {
    }

    public record LineageNode(UUID id, int level, long seed, double sparsity, UUID parentTicketId,
            Double accuracy, Double ece, String kind) {
    }

    /** {@code prune}: parent level to the level pruned from it; {@code control}: IMP ticket to a control of it. */
    public record LineageEdge(UUID from, UUID to, String kind) {
    }

    public record Lineage(UUID experimentId, List<LineageNode> nodes, List<LineageEdge> edges) {
    }
}
