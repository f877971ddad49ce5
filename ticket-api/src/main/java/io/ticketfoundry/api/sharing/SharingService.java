package io.ticketfoundry.api.sharing;

import io.ticketfoundry.api.audit.AuditLog;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.web.ApiException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Sharing an experiment read-only beyond its team: with named teams, or with every person
 * (public). Members and admins of the owning team share and revoke; every change is audited and
 * takes effect with the next request.
 */
@Service
public class SharingService {

    /** Who may read an experiment besides its team. */
    public record Sharing(UUID experimentId, UUID teamId, String visibility, List<SharedWith> teams) {
    }

    /** A team an experiment is shared with, since when. */
    public record SharedWith(UUID teamId, String teamName, Instant since) {
    }

    public static final String PRIVATE = "private";
    public static final String PUBLIC = "public";

    private final JdbcClient jdbc;
    private final ExperimentAccess access;
    private final AuditLog audit;

    public SharingService(JdbcClient jdbc, ExperimentAccess access, AuditLog audit) {
        this.jdbc = jdbc;
        this.access = access;
        this.audit = audit;
    }

    /** The sharing of an experiment, to members of its team (readers of a share get a 403). */
    public Sharing get(UUID experimentId, Caller caller) {
        ExperimentAccess.Access found = access.requireReadable(experimentId, caller, "experiment " + experimentId);
        if (!found.member()) {
            throw ApiException.forbidden("only the experiment's team sees with whom it is shared");
        }
        return read(found);
    }

    @Transactional
    public Sharing shareWith(UUID experimentId, String team, Caller caller) {
        ExperimentAccess.Access found = access.requireWritable(experimentId, caller, "experiment " + experimentId);
        UUID target = team(team);
        if (target.equals(found.teamId())) {
            throw ApiException.invalid("team", "is the experiment's own team");
        }
        int added = jdbc.sql("""
                INSERT INTO experiment_share (experiment_id, team_id, created_by) VALUES (:e, :t, :by)
                ON CONFLICT DO NOTHING""")
                .param("e", experimentId).param("t", target).param("by", caller.tokenId()).update();
        if (added == 1) {
            audit.record(caller, found.teamId(), "experiment.shared", "experiment", experimentId,
                    Map.of("withTeam", target.toString()));
        }
        return read(found);
    }

    @Transactional
    public Sharing revoke(UUID experimentId, String team, Caller caller) {
        ExperimentAccess.Access found = access.requireWritable(experimentId, caller, "experiment " + experimentId);
        UUID target = team(team);
        int removed = jdbc.sql("DELETE FROM experiment_share WHERE experiment_id = :e AND team_id = :t")
                .param("e", experimentId).param("t", target).update();
        if (removed == 1) {
            audit.record(caller, found.teamId(), "experiment.share-revoked", "experiment", experimentId,
                    Map.of("withTeam", target.toString()));
        }
        return read(found);
    }

    @Transactional
    public Sharing setVisibility(UUID experimentId, String visibility, Caller caller) {
        ExperimentAccess.Access found = access.requireWritable(experimentId, caller, "experiment " + experimentId);
        if (!PRIVATE.equals(visibility) && !PUBLIC.equals(visibility)) {
            throw ApiException.invalid("visibility", "must be private or public");
        }
        int changed = jdbc.sql("UPDATE experiment SET visibility = :v WHERE id = :id AND visibility <> :v")
                .param("v", visibility).param("id", experimentId).update();
        if (changed == 1) {
            audit.record(caller, found.teamId(), PUBLIC.equals(visibility) ? "experiment.made-public"
                    : "experiment.made-private", "experiment", experimentId, Map.of());
        }
        return read(found);
    }

    private UUID team(String key) {
        if (key == null || key.isBlank()) {
            throw ApiException.invalid("team", "is required: a team's id or name");
        }
        return jdbc.sql("SELECT id FROM team WHERE id::text = :key OR name = :key").param("key", key.strip())
                .query(UUID.class).optional()
                .orElseThrow(() -> ApiException.invalid("team", "names no team"));
    }

    private Sharing read(ExperimentAccess.Access found) {
        String visibility = jdbc.sql("SELECT visibility FROM experiment WHERE id = :id").param("id", found.experimentId())
                .query(String.class).single();
        List<SharedWith> teams = jdbc.sql("""
                SELECT t.id, t.name, s.created_at FROM experiment_share s JOIN team t ON t.id = s.team_id
                WHERE s.experiment_id = :e ORDER BY t.name""")
                .param("e", found.experimentId())
                .query((rs, n) -> new SharedWith(rs.getObject("id", UUID.class), rs.getString("name"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
        return new Sharing(found.experimentId(), found.teamId(), visibility, teams);
    }
}
