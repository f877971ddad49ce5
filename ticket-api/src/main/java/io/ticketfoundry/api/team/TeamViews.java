package io.ticketfoundry.api.team;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Response bodies of the team and token administration endpoints. */
public final class TeamViews {

    private TeamViews() {
    }

    public record Team(UUID id, String name, Instant createdAt) {
    }

    /** A token as listed: never its value or hash, only the prefix that identifies it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Token(UUID id, String name, String kind, UUID teamId, String role, String pool, String prefix,
            Instant createdAt, Instant revokedAt, UUID personId, String person, Instant expiresAt) {
    }

    /** A token just issued: the only time its value is shown. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IssuedToken(UUID id, String name, String kind, UUID teamId, String role, String pool, String prefix,
            String token, UUID personId, String person, Instant expiresAt) {
    }

    /** Who a token is. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Me(UUID tokenId, String name, String kind, UUID teamId, String teamName, String role, String pool,
            UUID personId, String person, List<MemberOf> memberships, Instant expiresAt) {
    }

    /**
     * A team's share of the workers: at most {@code maxRunningJobs} leased at once and
     * {@code maxActiveJobs} queued or running (null: no limit); {@code shareWeight} scales its fair share.
     */
    public record Quota(UUID teamId, Integer maxRunningJobs, Integer maxActiveJobs, int shareWeight) {
    }

    /** A team the person belongs to, with their role. */
    public record MemberOf(UUID teamId, String teamName, String role) {
    }

    /** A member of a team. */
    public record Member(UUID personId, String person, String role, Instant since) {
    }
}
