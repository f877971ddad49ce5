package io.ticketfoundry.api.team;

import io.ticketfoundry.api.web.ApiException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is calling, resolved from the bearer token. A user token is a person's: the person belongs to
 * teams ({@code memberships}, with a role in each, read at every request so a change takes effect at
 * once) and acts in one of them ({@code teamId}, with {@code role}): the token's own team, or the one
 * the request names in {@code X-Team}. A worker token belongs to a worker pool; the platform admin
 * manages teams and worker tokens.
 */
public record Caller(UUID tokenId, TokenKind kind, UUID personId, String name, UUID teamId, TeamRole role,
        Map<UUID, TeamRole> memberships, String workerPool, boolean teamScoped) {

    public Caller {
        // a map that answers lookups of null (no acting team) instead of throwing
        memberships = memberships == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(memberships));
    }

    /** A worker or platform-admin token: no person, no team. */
    public static Caller machine(UUID tokenId, TokenKind kind, String name, String workerPool) {
        return new Caller(tokenId, kind, null, name, null, null, Map.of(), workerPool, false);
    }

    public static Caller current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof Caller caller) {
            return caller;
        }
        throw ApiException.unauthorized();
    }

    public boolean isUser() {
        return kind == TokenKind.USER;
    }

    /**
     * Whether the token reaches only its own team although the person may be in others: issued by
     * a team admin for an existing person ({@code memberships} then holds that team alone).
     */
    public boolean teamScoped() {
        return isUser() && teamScoped;
    }

    /** The teams the person belongs to (empty for other tokens). */
    public Set<UUID> teams() {
        return memberships.keySet();
    }

    /** The person's role in {@code team}, or null when not a member. */
    public TeamRole roleIn(UUID team) {
        return memberships.get(team);
    }

    /**
     * A member (any role) of {@code resourceTeamId}; anyone else gets a 404, so a foreign resource's
     * existence does not leak. Resources shared beyond their team are checked by the experiment's
     * access rules instead.
     */
    public void requireReadable(UUID resourceTeamId, String what) {
        if (!isUser() || !memberships.containsKey(resourceTeamId)) {
            throw ApiException.notFound(what);
        }
    }

    /** Members and admins of the acting team may create and change things; viewers only read. */
    public void requireWriter() {
        if (!isUser()) {
            throw ApiException.forbidden("only a team's member or admin tokens may do this");
        }
        requireWriter(teamId);
    }

    /**
     * A member or admin of {@code team}, the team owning what is changed. Call after checking the
     * caller may read it: a viewer, or a reader through a share, gets a 403.
     */
    public void requireWriter(UUID team) {
        TeamRole in = isUser() && team != null ? memberships.get(team) : null;
        if (in == null) {
            throw ApiException.forbidden("the token's person is not a member of team " + (team == null ? "(none: the "
                    + "person left the token's team)" : team)
                    + (isUser() ? "; what it shares is read-only" : ""));
        }
        if (in == TeamRole.VIEWER) {
            throw ApiException.forbidden("the token's role may only read");
        }
    }

    public boolean isPlatformAdmin() {
        return kind == TokenKind.PLATFORM_ADMIN;
    }

    /** The platform admin only; everyone else gets a 403. */
    public void requirePlatformAdmin() {
        if (!isPlatformAdmin()) {
            throw ApiException.forbidden("only the platform admin may do this");
        }
    }

    /**
     * The platform admin, or an admin of {@code teamId}. A user who is not in the team gets a 404
     * (the team's existence does not leak); other members and worker tokens get a 403.
     */
    public void requireTeamAdmin(UUID teamId) {
        if (isPlatformAdmin()) {
            return;
        }
        if (isUser() && !memberships.containsKey(teamId)) {
            throw ApiException.notFound("team " + teamId);
        }
        if (!isUser() || memberships.get(teamId) != TeamRole.ADMIN) {
            throw ApiException.forbidden("only the platform admin or an admin of the team may do this");
        }
    }
}
