package io.ticketfoundry.api.experiment;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/experiments}. The spec and the seeds are read as JSON trees so that their
 * types are checked strictly (no "5" for 5, no 5.5 for a seed) and every problem named by path.
 */
public record SubmitExperimentRequest(
        @Schema(description = "1 to 200 characters", requiredMode = Schema.RequiredMode.REQUIRED, example = "lenet mnist baseline")
        String name,
        @Schema(description = "the experiment spec; every field optional (see GET /api/v1/experiments/defaults)",
                type = "object", example = "{\"training\": {\"learningRate\": 0.05}, \"pruning\": {\"levels\": 5}}")
        JsonNode spec,
        @ArraySchema(arraySchema = @Schema(description = "replicate seeds, 1 to 32 distinct; default [0]"),
                schema = @Schema(type = "integer", format = "int64"))
        JsonNode seeds) {
}
