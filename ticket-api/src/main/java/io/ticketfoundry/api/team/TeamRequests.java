package io.ticketfoundry.api.team;

import io.swagger.v3.oas.annotations.media.Schema;

/** Request bodies of the team and token administration endpoints. */
public final class TeamRequests {

    private TeamRequests() {
    }

    public record CreateTeam(
            @Schema(description = "1 to 100 characters, unique", requiredMode = Schema.RequiredMode.REQUIRED, example = "vision-lab")
            String name) {
    }

    public record CreateToken(
            @Schema(description = "what the token is for, 1 to 100 characters", requiredMode = Schema.RequiredMode.REQUIRED,
                    example = "alice laptop")
            String name,
            @Schema(description = "admin, member or viewer", requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"admin", "member", "viewer"})
            String role) {
    }

    public record CreateWorkerToken(
            @Schema(description = "what the token is for, 1 to 100 characters", requiredMode = Schema.RequiredMode.REQUIRED,
                    example = "gpu-node-7")
            String name,
            @Schema(description = "the worker pool whose jobs the token leases (default \"default\"): "
                    + "lower-case letters, digits, '.', '_' or '-', at most 63", example = "default")
            String pool) {
    }
}
