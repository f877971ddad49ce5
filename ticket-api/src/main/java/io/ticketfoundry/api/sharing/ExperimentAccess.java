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
 * the request, so a revoked share takes effect at once.
 */
@Component
public class ExperimentAccess {

    /** An experiment as an access check found it: its team and whether the caller is in that team. */
    public record Access(UUID experimentId, UUID teamId, boolean member) {
    }

    private static final UUID NOBODY = new UUID(0, 0);

    private final JdbcClient jdbc;

    public ExperimentAccess(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The SQL condition "the caller may read experiment {@code alias}" with parameter
     * {@code :readerTeams} (bind {@link #readerTeams(Caller)}).
     */
    public static String readable(String alias) {
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

    /** The experiment if the caller may read it; a 404 naming {@code what} otherwise. */
    public Access requireReadable(UUID experimentId, Caller caller, String what) {
        if (!caller.isUser()) {
            throw ApiException.notFound(what);
        }
        return jdbc.sql("SELECT e.id, e.team_id FROM experiment e WHERE e.id = :id AND " + readable("e"))
                .param("id", experimentId)
                .params(parameters(caller))
                .query((rs, n) -> {
                    UUID team = rs.getObject("team_id", UUID.class);
                    return new Access(experimentId, team, caller.teams().contains(team));
                })
                .optional()
                .orElseThrow(() -> ApiException.notFound(what));
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
