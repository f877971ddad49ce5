package io.ticketfoundry.api.sharing;

import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.web.ApiException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Who may read an experiment and everything in it (jobs, tickets, metrics, files, lineage, plots):
 * members of its team (any role), members of the teams it is shared with, and, when it is public,
 * every person. Only members and admins of its own team change it. Anyone else gets a 404, so a
 * private experiment's existence does not leak. Every check reads the sharing state at the time of
 * the request, so a revoked share takes effect at once. A deleted experiment that remains as a
 * tombstone is in no listing; those who could read it get a 410 for it and everything in it, except
 * where a tombstone is what they ask for ({@link #requireReadableOrDeleted}).
 */
@Component
public class ExperimentAccess {

    /** An experiment as an access check found it: its team and whether the caller is in that team. */
    public record Access(UUID experimentId, UUID teamId, boolean member) {
    }

    /** An experiment the caller may read, and when it was deleted (null while it is not). */
    public record Readable(Access access, java.time.Instant deletedAt) {
        public boolean deleted() {
            return deletedAt != null;
        }
    }

    private static final UUID NOBODY = new UUID(0, 0);

    private final JdbcClient jdbc;

    public ExperimentAccess(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The SQL condition "the caller may read experiment {@code alias} and it is not deleted" with
     * parameters {@code :readerTeams} and {@code :readerIsUser} (bind {@link #parameters(Caller)}).
     */
    public static String readable(String alias) {
        return "(" + alias + ".deleted_at IS NULL AND " + readableEvenIfDeleted(alias) + ")";
    }

    /** As {@link #readable(String)}, deleted (tombstone) experiments included. */
    public static String readableEvenIfDeleted(String alias) {
        return "(" + alias + ".team_id IN (:readerTeams) OR " + alias + ".visibility = 'public' AND :readerIsUser "
                + "OR EXISTS (SELECT 1 FROM experiment_share s WHERE s.experiment_id = " + alias + ".id "
                + "AND s.team_id IN (:readerTeams)))";
    }

    /** The parameters {@link #readable(String)} needs. */
    public static Map<String, Object> parameters(Caller caller) {
        return Map.of("readerTeams", readerTeams(caller), "readerIsUser", caller.isUser());
    }

    /** The caller's teams, never empty (SQL {@code IN ()} is not valid): no team matches the placeholder. */
    public static List<UUID> readerTeams(Caller caller) {
        return caller.isUser() && !caller.teams().isEmpty() ? List.copyOf(caller.teams()) : List.of(NOBODY);
    }

    /**
     * The experiment if the caller may read it; a 404 naming {@code what} otherwise, and a 410 when
     * the experiment was deleted.
     */
    public Access requireReadable(UUID experimentId, Caller caller, String what) {
        Readable found = requireReadableOrDeleted(experimentId, caller, what);
        if (found.deleted()) {
            throw gone(experimentId, found.deletedAt(), what);
        }
        return found.access();
    }

    /** As {@link #requireReadable}, answering a deleted experiment's tombstone instead of a 410. */
    public Readable requireReadableOrDeleted(UUID experimentId, Caller caller, String what) {
        if (!caller.isUser()) {
            throw ApiException.notFound(what);
        }
        return jdbc.sql("SELECT e.id, e.team_id, e.deleted_at FROM experiment e WHERE e.id = :id AND "
                        + readableEvenIfDeleted("e"))
                .param("id", experimentId)
                .params(parameters(caller))
                .query((rs, n) -> {
                    UUID team = rs.getObject("team_id", UUID.class);
                    java.sql.Timestamp deleted = rs.getTimestamp("deleted_at");
                    return new Readable(new Access(experimentId, team, caller.teams().contains(team)),
                            deleted == null ? null : deleted.toInstant());
                })
                .optional()
                .orElseThrow(() -> ApiException.notFound(what));
    }

    /** The 410 for anything in deleted experiment {@code experimentId}. */
    public static ApiException gone(UUID experimentId, java.time.Instant deletedAt, String what) {
        String experiment = "experiment " + experimentId;
        return ApiException.gone((what.equals(experiment) ? "" : what + " belongs to ") + experiment
                + ", which was deleted at " + deletedAt + "; only the tombstones of tickets other experiments "
                + "descend from remain (GET /api/v1/tickets/{id})");
    }

    /** As {@link #requireReadable}, and a member or admin of the experiment's team (403 for viewers and readers of a share). */
    public Access requireWritable(UUID experimentId, Caller caller, String what) {
        Access access = requireReadable(experimentId, caller, what);
        caller.requireWriter(access.teamId());
        return access;
    }

    /** The experiment a ticket belongs to, if the caller may read it (404 for the ticket otherwise). */
    public Access requireTicketReadable(UUID ticketId, Caller caller) {
        UUID experiment = jdbc.sql("SELECT experiment_id FROM ticket WHERE id = :id").param("id", ticketId)
                .query(UUID.class).optional().orElseThrow(() -> ApiException.notFound("ticket " + ticketId));
        return requireReadable(experiment, caller, "ticket " + ticketId);
    }
}
