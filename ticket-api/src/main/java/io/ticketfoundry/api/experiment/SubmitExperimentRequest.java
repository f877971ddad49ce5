package io.ticketfoundry.api.experiment;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/experiments}. Every field is read as a JSON tree so that types are checked
 * strictly (no 5 for a name, no "5" for a number, no 5.5 for a seed) and every problem is named by path.
 */
public record SubmitExperimentRequest(
        @Schema(description = "1 to 200 characters", type = "string", requiredMode = Schema.RequiredMode.REQUIRED,
                example = "lenet mnist baseline")
        JsonNode name,
        @Schema(description = "the experiment spec; every field optional (see GET /api/v1/experiments/defaults)",
                type = "object", example = "{\"training\": {\"learningRate\": 0.05}, \"pruning\": {\"levels\": 5}}")
        JsonNode spec,
        @ArraySchema(arraySchema = @Schema(description = "replicate seeds, 1 to 32 distinct; default [0]"),
                schema = @Schema(type = "integer", format = "int64"))
        JsonNode seeds,
        @Schema(description = "a preset name (GET /api/v1/presets); spec is then deep-merged over the preset's spec",
                type = "string", example = "open-lth-lenet-300-100")
        JsonNode preset) {

    public SubmitExperimentRequest(JsonNode name, JsonNode spec, JsonNode seeds) {
        this(name, spec, seeds, null);
    }
}
