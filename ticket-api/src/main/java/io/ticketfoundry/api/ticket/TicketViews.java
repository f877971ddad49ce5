package io.ticketfoundry.api.ticket;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

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

    /** One measured value; {@code jobId} is the job that measured it (the ticket's own, or an evaluate or calibrate job). */
    public record MetricView(String dataset, String split, String name, double value,
            Map<String, Object> conventions, Map<String, Object> details, UUID jobId) {
    }

    /** A downloadable artifact: its SHA-256 (also the download's ETag), size and where to get it. */
    public record ArtifactLink(String sha256, Long size, String url) {
    }

    public record TicketArtifacts(ArtifactLink mask, ArtifactLink rewind, ArtifactLink weights) {
    }

    /**
     * One ticket ({@code kind} imp, control-reinit, control-layer-permuted, control-global-permuted,
     * calibrated or snapshot; a control's {@code parentTicketId} is the IMP ticket it controls for, a calibrated
     * ticket's the ticket it calibrates). {@code sparsity} = 1 − prunable.remaining / prunable.total;
     * {@code allParameters} counts every parameter including those never pruned (biases, ignored
     * layers). {@code calibration} (calibrated tickets only): method, fitted temperature, fit data
     * and held-out NLL before and after. A sparse-training run's ticket is of kind imp at level 0;
     * the masks it kept during training are tickets of kind snapshot with their training {@code step}
     * (null for every other kind), each the parent of the next and the last the parent of the run's ticket.
     * A transfer of an uploaded mask has no parent ticket; {@code sourceMaskId} names the mask (null otherwise).
     * {@code aliases} (names unique in the experiment) and {@code tags} are the labels the ticket carries now.
     * A {@code tombstone} is what remains of a ticket of a deleted experiment that other experiments'
     * lineage names: identity, counts, metrics and provenance, no files ({@code artifacts} null, the
     * downloads answer 410) and no labels; {@code deletedExperiment} then gives its experiment's name
     * and spec.
     */
    public record Ticket(UUID id, UUID experimentId, UUID jobId, long seed, int level, UUID parentTicketId,
            double sparsity, WeightCount prunable, WeightCount allParameters, Map<String, WeightCount> layers,
            List<MetricView> metrics, Map<String, String> provenance, TicketArtifacts artifacts, Instant createdAt,
            String kind, Map<String, Object> calibration, Long step, UUID sourceMaskId, List<String> aliases,
            List<String> tags, boolean tombstone, DeletedExperiment deletedExperiment) {
    }

    /** A deleted experiment as its tombstones show it: its name, its spec as submitted and resolved, and when it went. */
    public record DeletedExperiment(UUID id, UUID teamId, String name, String specHash, JsonNode spec,
            JsonNode resolvedSpec, Instant deletedAt) {
    }

    /** A ticket in a listing; the metrics are the test-split values when reported; {@code step} as in {@link Ticket}. */
    public record TicketSummary(UUID id, long seed, int level, UUID parentTicketId, double sparsity,
            WeightCount prunable, WeightCount allParameters, Double accuracy, Double ece, Double nll, Double brier,
            Instant createdAt, String kind, Long step) {
    }

    public record TicketList(UUID experimentId, List<TicketSummary> items) {
    }

    public record LineageNode(UUID id, int level, long seed, double sparsity, UUID parentTicketId,
            Double accuracy, Double ece, String kind, Long step, UUID sourceMaskId) {
    }

    /**
     * {@code prune}: parent level to the level pruned from it; {@code control}: IMP ticket to a control
     * of it; {@code calibrate}: a ticket to a calibrated version of it; {@code evolve}: a sparse-training
     * snapshot to the mask of the same run at a later step (the next snapshot, or the run's ticket).
     */
    public record LineageEdge(UUID from, UUID to, String kind) {
    }

    public record Lineage(UUID experimentId, List<LineageNode> nodes, List<LineageEdge> edges) {
    }
}
