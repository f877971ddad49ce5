package io.ticketfoundry.api.experiment;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * An experiment as the API shows it: the spec as submitted, the spec it runs (every default
 * filled), its identity hash, its replicate seeds, and its status with job counts by status.
 */
public record ExperimentView(
        UUID id,
        UUID teamId,
        String name,
        String specHash,
        int schemaVersion,
        JsonNode spec,
        JsonNode resolvedSpec,
        List<Long> seeds,
        String status,
        Map<String, Long> jobs,
        Instant createdAt) {
}
