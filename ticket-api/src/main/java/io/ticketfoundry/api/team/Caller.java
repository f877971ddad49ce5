package io.ticketfoundry.api.team;

import io.ticketfoundry.api.web.ApiException;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is calling, resolved from the bearer token. A user token belongs to one team with one role;
 * a worker token belongs to a worker pool; the platform admin manages teams and worker tokens.
 */
public record Caller(UUID tokenId, TokenKind kind, UUID teamId, TeamRole role, String workerPool) {

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

    /** A user of {@code teamId}; anything else gets a 404, so a foreign resource's existence does not leak. */
    public void requireReadable(UUID resourceTeamId, String what) {
        if (!isUser() || !teamId.equals(resourceTeamId)) {
            throw ApiException.notFound(what);
        }
    }

    /** Members and admins may submit and cancel; viewers only read. */
    public void requireWriter() {
        if (!isUser()) {
            throw ApiException.forbidden("only a team's member or admin tokens may do this");
        }
        if (role == TeamRole.VIEWER) {
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
     * The platform admin, or an admin of {@code teamId}. A user of another team gets a 404 (the
     * team's existence does not leak); other tokens of the team and worker tokens get a 403.
     */
    public void requireTeamAdmin(UUID teamId) {
        if (isPlatformAdmin()) {
            return;
        }
        if (isUser() && !this.teamId.equals(teamId)) {
            throw ApiException.notFound("team " + teamId);
        }
        if (!isUser() || role != TeamRole.ADMIN) {
            throw ApiException.forbidden("only the platform admin or an admin of the team may do this");
        }
    }
}
