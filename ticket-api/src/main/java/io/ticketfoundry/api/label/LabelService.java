package io.ticketfoundry.api.label;

import io.ticketfoundry.api.audit.AuditLog;
import io.ticketfoundry.api.sharing.ExperimentAccess;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.web.ApiException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Aliases (a name for one ticket of an experiment, unique in it, movable: {@code best-ece-80pct})
 * and tags (a mark on any number of its tickets: {@code paper-fig-3}), with every change kept. Who
 * may read the experiment reads its labels; members and admins of its team change them.
 */
@Service
public class LabelService {

    static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final JdbcClient jdbc;
    private final ExperimentAccess access;
    private final AuditLog audit;

    public LabelService(JdbcClient jdbc, ExperimentAccess access, AuditLog audit) {
        this.jdbc = jdbc;
        this.access = access;
        this.audit = audit;
    }

    /** Sets the alias to the ticket, or moves it there from the ticket it named. */
    @Transactional
    public LabelViews.Alias setAlias(UUID experimentId, String alias, LabelViews.AliasRequest request, Caller caller) {
        ExperimentAccess.Access found = access.requireWritable(experimentId, caller, "experiment " + experimentId);
        requireLabel(alias, "alias");
        UUID ticket = request == null ? null : request.ticketId();
        if (ticket == null) {
            throw ApiException.invalid("ticketId", "is required: the ticket the alias names");
        }
        requireTicketOf(experimentId, ticket, "ticketId");
        // lock the alias row (if any) so concurrent moves are recorded one after the other
        Optional<UUID> previous = jdbc.sql("""
                SELECT ticket_id FROM ticket_alias WHERE experiment_id = :e AND alias = :alias FOR UPDATE""")
                .param("e", experimentId).param("alias", alias).query(UUID.class).optional();
        if (previous.isPresent() && previous.get().equals(ticket)) {
            return alias(experimentId, alias).orElseThrow();
        }
        jdbc.sql("""
                INSERT INTO ticket_alias (experiment_id, alias, ticket_id, updated_by) VALUES (:e, :alias, :t, :by)
                ON CONFLICT (experiment_id, alias) DO UPDATE
                SET ticket_id = EXCLUDED.ticket_id, updated_by = EXCLUDED.updated_by, updated_at = now()""")
                .param("e", experimentId).param("alias", alias).param("t", ticket).param("by", caller.tokenId()).update();
        String action = previous.isPresent() ? "moved" : "set";
        event(experimentId, "alias", alias, action, ticket, previous.orElse(null), caller);
        audit.record(caller, found.teamId(), "alias." + action, "experiment", experimentId,
                Map.of("alias", alias, "ticketId", ticket.toString(),
                        "previousTicketId", previous.map(UUID::toString).orElse("")));
        return alias(experimentId, alias).orElseThrow();
    }

    @Transactional
    public void removeAlias(UUID experimentId, String alias, Caller caller) {
        ExperimentAccess.Access found = access.requireWritable(experimentId, caller, "experiment " + experimentId);
        Optional<UUID> previous = jdbc.sql("""
                DELETE FROM ticket_alias WHERE experiment_id = :e AND alias = :alias RETURNING ticket_id""")
                .param("e", experimentId).param("alias", alias).query(UUID.class).optional();
        if (previous.isEmpty()) {
            throw ApiException.notFound("alias " + alias + " of experiment " + experimentId);
        }
        event(experimentId, "alias", alias, "removed", null, previous.get(), caller);
        audit.record(caller, found.teamId(), "alias.removed", "experiment", experimentId,
                Map.of("alias", alias, "previousTicketId", previous.get().toString()));
    }

    public List<LabelViews.Alias> aliases(UUID experimentId, Caller caller) {
        access.requireReadable(experimentId, caller, "experiment " + experimentId);
        return jdbc.sql(SELECT_ALIAS + " WHERE a.experiment_id = :e ORDER BY a.alias")
                .param("e", experimentId).query(LabelService::aliasRow).list();
    }

    /** The alias and its history; a removed alias still has its history (current null). */
    public LabelViews.AliasHistory aliasHistory(UUID experimentId, String alias, Caller caller) {
        access.requireReadable(experimentId, caller, "experiment " + experimentId);
        List<LabelViews.Change> history = history(experimentId, "alias", alias);
        Optional<LabelViews.Alias> current = alias(experimentId, alias);
        if (current.isEmpty() && history.isEmpty()) {
            throw ApiException.notFound("alias " + alias + " of experiment " + experimentId);
        }
        return new LabelViews.AliasHistory(current.orElse(null), history);
    }

    /** The ticket an alias names now, for downloads by alias. */
    public UUID resolve(UUID experimentId, String alias, Caller caller) {
        access.requireReadable(experimentId, caller, "experiment " + experimentId);
        return alias(experimentId, alias).map(LabelViews.Alias::ticketId)
                .orElseThrow(() -> ApiException.notFound("alias " + alias + " of experiment " + experimentId));
    }

    @Transactional
    public LabelViews.Tag tag(UUID ticketId, String tag, Caller caller) {
        ExperimentAccess.Access found = access.requireTicketReadable(ticketId, caller);
        caller.requireWriter(found.teamId());
        requireLabel(tag, "tag");
        int added = jdbc.sql("INSERT INTO ticket_tag (ticket_id, tag, created_by) VALUES (:t, :tag, :by) ON CONFLICT DO NOTHING")
                .param("t", ticketId).param("tag", tag).param("by", caller.tokenId()).update();
        if (added == 1) {
            event(found.experimentId(), "tag", tag, "set", ticketId, null, caller);
            audit.record(caller, found.teamId(), "tag.set", "ticket", ticketId, Map.of("tag", tag));
        }
        return tagView(found.experimentId(), tag);
    }

    @Transactional
    public LabelViews.Tag untag(UUID ticketId, String tag, Caller caller) {
        ExperimentAccess.Access found = access.requireTicketReadable(ticketId, caller);
        caller.requireWriter(found.teamId());
        int removed = jdbc.sql("DELETE FROM ticket_tag WHERE ticket_id = :t AND tag = :tag")
                .param("t", ticketId).param("tag", tag).update();
        if (removed == 0) {
            throw ApiException.notFound("tag " + tag + " of ticket " + ticketId);
        }
        event(found.experimentId(), "tag", tag, "removed", null, ticketId, caller);
        audit.record(caller, found.teamId(), "tag.removed", "ticket", ticketId, Map.of("tag", tag));
        return tagView(found.experimentId(), tag);
    }

    public LabelViews.Tag tagOf(UUID experimentId, String tag, Caller caller) {
        access.requireReadable(experimentId, caller, "experiment " + experimentId);
        LabelViews.Tag view = tagView(experimentId, tag);
        if (view.ticketIds().isEmpty() && view.history().isEmpty()) {
            throw ApiException.notFound("tag " + tag + " in experiment " + experimentId);
        }
        return view;
    }

    /** The experiment's tags, each with the tickets carrying it now. */
    public Map<String, List<UUID>> tags(UUID experimentId, Caller caller) {
        access.requireReadable(experimentId, caller, "experiment " + experimentId);
        Map<String, List<UUID>> out = new java.util.TreeMap<>();
        jdbc.sql("""
                SELECT g.tag, g.ticket_id FROM ticket_tag g JOIN ticket t ON t.id = g.ticket_id
                WHERE t.experiment_id = :e ORDER BY g.tag, g.created_at, g.ticket_id""")
                .param("e", experimentId)
                .query((rs, n) -> Map.entry(rs.getString("tag"), rs.getObject("ticket_id", UUID.class)))
                .list()
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>()).add(e.getValue()));
        return out;
    }

    private LabelViews.Tag tagView(UUID experimentId, String tag) {
        List<UUID> tickets = jdbc.sql("""
                SELECT g.ticket_id FROM ticket_tag g JOIN ticket t ON t.id = g.ticket_id
                WHERE t.experiment_id = :e AND g.tag = :tag ORDER BY g.created_at, g.ticket_id""")
                .param("e", experimentId).param("tag", tag).query(UUID.class).list();
        return new LabelViews.Tag(tag, experimentId, tickets, history(experimentId, "tag", tag));
    }

    private Optional<LabelViews.Alias> alias(UUID experimentId, String alias) {
        return jdbc.sql(SELECT_ALIAS + " WHERE a.experiment_id = :e AND a.alias = :alias")
                .param("e", experimentId).param("alias", alias).query(LabelService::aliasRow).optional();
    }

    private List<LabelViews.Change> history(UUID experimentId, String kind, String label) {
        return jdbc.sql("""
                SELECT action, ticket_id, previous_ticket_id, actor_name, at FROM label_event
                WHERE experiment_id = :e AND label_kind = :kind AND label = :label ORDER BY id""")
                .param("e", experimentId).param("kind", kind).param("label", label)
                .query((rs, n) -> new LabelViews.Change(rs.getString("action"), rs.getObject("ticket_id", UUID.class),
                        rs.getObject("previous_ticket_id", UUID.class), rs.getString("actor_name"),
                        rs.getTimestamp("at").toInstant()))
                .list();
    }

    private void event(UUID experimentId, String kind, String label, String action, UUID ticket, UUID previous,
            Caller caller) {
        jdbc.sql("""
                INSERT INTO label_event (experiment_id, label_kind, label, action, ticket_id, previous_ticket_id,
                                         actor_token_id, actor_name)
                VALUES (:e, :kind, :label, :action, :t, :previous, :token, :actor)""")
                .param("e", experimentId).param("kind", kind).param("label", label).param("action", action)
                .param("t", ticket).param("previous", previous).param("token", caller.tokenId())
                .param("actor", caller.name())
                .update();
    }

    private void requireTicketOf(UUID experimentId, UUID ticket, String field) {
        boolean belongs = jdbc.sql("SELECT count(*) FROM ticket WHERE id = :t AND experiment_id = :e")
                .param("t", ticket).param("e", experimentId).query(Long.class).single() > 0;
        if (!belongs) {
            throw ApiException.invalid(field, "is not a ticket of experiment " + experimentId);
        }
    }

    private static void requireLabel(String label, String field) {
        if (label == null || !LABEL.matcher(label).matches()) {
            throw ApiException.invalid(field, "must be 1 to 100 letters, digits, '.', '_' or '-', starting with a letter "
                    + "or digit");
        }
    }

    private static final String SELECT_ALIAS = """
            SELECT a.alias, a.experiment_id, a.ticket_id, a.updated_at, coalesce(p.name, k.name) AS updated_by
            FROM ticket_alias a LEFT JOIN api_token k ON k.id = a.updated_by LEFT JOIN person p ON p.id = k.person_id
            """;

    private static LabelViews.Alias aliasRow(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new LabelViews.Alias(rs.getString("alias"), rs.getObject("experiment_id", UUID.class),
                rs.getObject("ticket_id", UUID.class), rs.getTimestamp("updated_at").toInstant(),
                rs.getString("updated_by"));
    }
}
