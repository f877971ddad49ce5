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
            @Schema(description = "admin, member or viewer: the role in the team of the person the token is for. Without "
                    + "person, a new person named after the token gets it; with person, it adds them to the team or "
                    + "changes their role (left out: they must already be in the team)",
                    allowableValues = {"admin", "member", "viewer"})
            String role,
            @Schema(description = "an existing person (id or name) the token is for", example = "alice")
            String person,
            @Schema(description = "when the token stops working (RFC 3339); default never", example = "2027-01-31T00:00:00Z")
            String expiresAt) {

        public CreateToken(String name, String role) {
            this(name, role, null, null);
        }
    }

    /** A token a person issues for themself. */
    public record CreateOwnToken(
            @Schema(description = "what the token is for, 1 to 100 characters", requiredMode = Schema.RequiredMode.REQUIRED)
            String name,
            @Schema(description = "the team (id or name) it acts in; default the calling token's")
            String team,
            @Schema(description = "when the token stops working (RFC 3339); default never")
            String expiresAt) {
    }

    /** A team's queue quota; null limits mean none. */
    public record Quota(
            @Schema(description = "jobs leased (running) at once, 1 or more; null for no limit") Integer maxRunningJobs,
            @Schema(description = "jobs queued or running at once, 1 or more; a submission over it gets a 429; null for no limit")
            Integer maxActiveJobs,
            @Schema(description = "the team's weight in the fair share of workers, 1 to 1000 (default 1)") Integer shareWeight) {
    }

    /** A person's role in a team. */
    public record Membership(
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
            String pool,
            @Schema(description = "when the token stops working (RFC 3339); default never")
            String expiresAt) {

        public CreateWorkerToken(String name, String pool) {
            this(name, pool, null);
        }
    }
}
