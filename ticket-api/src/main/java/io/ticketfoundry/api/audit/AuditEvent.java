package io.ticketfoundry.api.audit;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One recorded action: who (token and name), in which team, what, on what. */
public record AuditEvent(long id, Instant at, UUID actorTokenId, String actor, UUID teamId, String action,
        String targetKind, String targetId, Map<String, Object> details) {
}
