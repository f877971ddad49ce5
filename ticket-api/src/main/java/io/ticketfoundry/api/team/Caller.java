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
        if (!isUser() || role == TeamRole.VIEWER) {
            throw ApiException.forbidden("the token's role may only read");
        }
    }
}
