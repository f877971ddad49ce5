package io.ticketfoundry.api.sweep;

import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/** {@code POST /api/v1/sweeps}: read as JSON trees so that every problem is named by its path. */
public record SweepRequest(
        @Schema(description = "1 to 200 characters; each experiment is named \"<name> <field>=<value> ...\"",
                type = "string", requiredMode = Schema.RequiredMode.REQUIRED, example = "lenet lr x scope")
        JsonNode name,
        @Schema(description = "optional preset name; spec is merged over it", type = "string")
        JsonNode preset,
        @Schema(description = "the base spec (or overrides of the preset)", type = "object")
        JsonNode spec,
        @Schema(description = "spec field paths to lists of values, e.g. {\"training.learningRate\": [0.1, 0.05]}",
                type = "object", requiredMode = Schema.RequiredMode.REQUIRED,
                example = "{\"training.learningRate\": [0.1, 0.05], \"pruning.scope\": [\"global\", \"layerwise\"]}")
        JsonNode grid,
        @Schema(description = "replicate seeds of every experiment, 1 to 32 distinct; default [0]", type = "array")
        JsonNode seeds) {
}
