package io.ticketfoundry.api.lifecycle;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * {@code manifest.json}, the first entry of an experiment archive: the experiment, the jobs its
 * tickets and metrics name, its tickets with their lineage and labels, their metrics, and every file
 * under {@code artifacts/<sha256>} with its size and roles. See docs/lifecycle.md.
 */
public record ArchiveManifest(
        String format,
        int formatVersion,
        Instant exportedAt,
        UUID sourceDeployment,
        Experiment experiment,
        List<Job> jobs,
        List<Ticket> tickets,
        List<Metric> metrics,
        List<FileEntry> files) {

    public static final String FORMAT = "ticket-foundry-experiment";
    public static final int FORMAT_VERSION = 1;
    public static final String MANIFEST_ENTRY = "manifest.json";
    public static final String ARTIFACT_PREFIX = "artifacts/";

    /** The experiment: its spec as submitted and resolved, the hash of the resolved spec, its seeds. */
    public record Experiment(UUID id, String name, JsonNode spec, JsonNode resolvedSpec, String specHash,
            int schemaVersion, List<Long> seeds, Instant createdAt) {
    }

    /**
     * A job that made a ticket or measured a metric: its kind, replicate, level, the ticket it
     * started from, its params (evaluate and calibrate jobs) and how it ended.
     */
    public record Job(UUID id, String kind, long seed, int level, UUID parentTicketId, UUID sourceMaskId,
            String control, JsonNode params, String status, int attempts, Instant createdAt, Instant finishedAt) {
    }

    /** A ticket: identity, lineage, counts, layers, provenance, calibration, its three files and its labels. */
    public record Ticket(UUID id, String kind, long seed, int level, Long step, UUID parentTicketId, UUID jobId,
            UUID sourceMaskId, long prunableWeights, long remainingPrunable, long totalParameters, long remainingTotal,
            JsonNode layers, JsonNode provenance, JsonNode calibration, Files files, List<String> aliases,
            List<String> tags, Instant createdAt) {
    }

    /** A ticket's files by SHA-256; each is an entry {@code artifacts/<sha256>} of the archive. */
    public record Files(String mask, String rewind, String weights) {
    }

    /** One measured value of a ticket, with the job that measured it, its conventions and details. */
    public record Metric(UUID ticketId, UUID jobId, String dataset, String split, String name, double value,
            JsonNode conventions, JsonNode details, Instant createdAt) {
    }

    /** A file of the archive: its entry name, SHA-256, size, media type and roles (mask, rewind, weights). */
    public record FileEntry(String path, String sha256, long size, String mediaType, List<String> roles) {
    }
}
