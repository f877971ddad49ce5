package io.ticketfoundry.api.audit;

import io.ticketfoundry.api.team.Caller;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records who did what, in the caller's transaction, so an event exists exactly when the change it
 * describes was committed. Events outlive their actor, team and target (no foreign keys).
 */
@Component
public class AuditLog {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    public AuditLog(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * One event: {@code action} (e.g. {@code experiment.submitted}) by {@code caller} on
     * {@code targetKind}/{@code targetId}, in {@code teamId}'s log (null: the platform's).
     */
    public void record(Caller caller, UUID teamId, String action, String targetKind, Object targetId,
            Map<String, ?> details) {
        jdbc.sql("""
                INSERT INTO audit_event (actor_token_id, actor_name, team_id, action, target_kind, target_id, details)
                VALUES (:token, :actor, :team, :action, :kind, :target, CAST(:details AS jsonb))""")
                .param("token", caller == null ? null : caller.tokenId())
                .param("actor", caller == null ? "system" : actorName(caller))
                .param("team", teamId)
                .param("action", action)
                .param("kind", targetKind)
                .param("target", String.valueOf(targetId))
                .param("details", json.writeValueAsString(details == null ? Map.of() : details))
                .update();
    }

    private static String actorName(Caller caller) {
        return caller.name() != null ? caller.name() : caller.kind().dbValue();
    }
}
