package io.ticketfoundry.api.audit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.web.ApiException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The audit log: a team's to its admins, the platform's (every team's and none) to the platform admin. */
@RestController
@Tag(name = "Audit", description = "Who submitted, shared, revoked, deleted")
public class AuditController {

    private static final int MAX_LIMIT = 500;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    public AuditController(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @GetMapping("/api/v1/teams/{teamId}/audit")
    @Operation(summary = "A team's audit log, newest first",
            description = "Admins of the team and the platform admin. `before` (an event id) pages back; limit 1-500.")
    public List<AuditEvent> team(@PathVariable UUID teamId, @RequestParam(required = false) Long before,
            @RequestParam(defaultValue = "100") int limit) {
        Caller.current().requireTeamAdmin(teamId);
        return query("team_id = :team", teamId, before, limit);
    }

    @GetMapping("/api/v1/audit")
    @Operation(summary = "The platform's whole audit log, newest first", description = "Platform admin only.")
    public List<AuditEvent> all(@RequestParam(required = false) Long before, @RequestParam(defaultValue = "100") int limit) {
        Caller.current().requirePlatformAdmin();
        return query("TRUE", null, before, limit);
    }

    private List<AuditEvent> query(String where, UUID team, Long before, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return jdbc.sql("SELECT id, at, actor_token_id, actor_name, team_id, action, target_kind, target_id, "
                        + "details::text AS details FROM audit_event WHERE " + where
                        + " AND (CAST(:before AS bigint) IS NULL OR id < :before) ORDER BY id DESC LIMIT :limit")
                .param("team", team)
                .param("before", before)
                .param("limit", limit)
                .query((rs, n) -> new AuditEvent(rs.getLong("id"), rs.getTimestamp("at").toInstant(),
                        rs.getObject("actor_token_id", UUID.class), rs.getString("actor_name"),
                        rs.getObject("team_id", UUID.class), rs.getString("action"), rs.getString("target_kind"),
                        rs.getString("target_id"), json.readValue(rs.getString("details"), MAP)))
                .list();
    }
}
