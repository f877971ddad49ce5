package io.ticketfoundry.api.team;

import io.ticketfoundry.api.job.JobQueue;
import io.ticketfoundry.api.web.ApiException;
import io.ticketfoundry.api.web.FieldProblem;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Teams and their tokens. The platform admin creates teams and worker tokens; the platform admin
 * or a team's admin issues, lists and revokes that team's tokens. A token's value is shown once,
 * when it is issued; listings show its prefix only.
 */
@Service
public class TeamService {

    public static final int MAX_NAME_LENGTH = 100;
    private static final Pattern POOL = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private final JdbcClient jdbc;
    private final TokenService tokens;

    public TeamService(JdbcClient jdbc, TokenService tokens) {
        this.jdbc = jdbc;
        this.tokens = tokens;
    }

    @Transactional
    public TeamViews.Team createTeam(Caller caller, TeamRequests.CreateTeam request) {
        caller.requirePlatformAdmin();
        String name = requireName(request == null ? null : request.name(), "name");
        return jdbc.sql("""
                        INSERT INTO team (id, name) VALUES (:id, :name)
                        ON CONFLICT (name) DO NOTHING
                        RETURNING id, name, created_at""")
                .param("id", UUID.randomUUID())
                .param("name", name)
                .query(TeamService::team)
                .optional()
                .orElseThrow(() -> ApiException.conflict("a team named '" + name + "' already exists"));
    }

    /** The platform admin sees every team; a user sees their own. */
    public List<TeamViews.Team> listTeams(Caller caller) {
        if (caller.isPlatformAdmin()) {
            return jdbc.sql("SELECT id, name, created_at FROM team ORDER BY name").query(TeamService::team).list();
        }
        if (caller.isUser()) {
            return jdbc.sql("SELECT id, name, created_at FROM team WHERE id = :id")
                    .param("id", caller.teamId()).query(TeamService::team).list();
        }
        throw ApiException.forbidden("worker tokens do not belong to a team");
    }

    @Transactional
    public TeamViews.IssuedToken issueTeamToken(Caller caller, UUID teamId, TeamRequests.CreateToken request) {
        caller.requireTeamAdmin(teamId);
        requireTeam(teamId);
        List<FieldProblem> problems = new ArrayList<>();
        String name = checkName(request == null ? null : request.name(), "name", problems);
        TeamRole role = null;
        String roleValue = request == null ? null : request.role();
        if (roleValue == null || roleValue.isBlank()) {
            problems.add(new FieldProblem("role", "is required (admin, member or viewer)"));
        } else {
            for (TeamRole candidate : TeamRole.values()) {
                if (candidate.dbValue().equals(roleValue)) {
                    role = candidate;
                }
            }
            if (role == null) {
                problems.add(new FieldProblem("role", "must be one of admin, member, viewer"));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        TokenService.IssuedToken issued = tokens.issue(name, TokenKind.USER, teamId, role, null, caller.tokenId());
        return new TeamViews.IssuedToken(issued.id(), name, TokenKind.USER.dbValue(), teamId, role.dbValue(), null,
                issued.prefix(), issued.token());
    }

    public List<TeamViews.Token> listTeamTokens(Caller caller, UUID teamId) {
        caller.requireTeamAdmin(teamId);
        requireTeam(teamId);
        return jdbc.sql(SELECT_TOKEN + " WHERE team_id = :team ORDER BY created_at, id")
                .param("team", teamId)
                .query(TeamService::token)
                .list();
    }

    @Transactional
    public TeamViews.IssuedToken issueWorkerToken(Caller caller, TeamRequests.CreateWorkerToken request) {
        caller.requirePlatformAdmin();
        List<FieldProblem> problems = new ArrayList<>();
        String name = checkName(request == null ? null : request.name(), "name", problems);
        String pool = request == null || request.pool() == null ? JobQueue.DEFAULT_POOL : request.pool();
        if (!POOL.matcher(pool).matches()) {
            problems.add(new FieldProblem("pool", "must be lower-case letters, digits, '.', '_' or '-' (at most 63, "
                    + "starting with a letter or digit)"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        TokenService.IssuedToken issued = tokens.issue(name, TokenKind.WORKER, null, null, pool, caller.tokenId());
        return new TeamViews.IssuedToken(issued.id(), name, TokenKind.WORKER.dbValue(), null, null, pool,
                issued.prefix(), issued.token());
    }

    public List<TeamViews.Token> listWorkerTokens(Caller caller) {
        caller.requirePlatformAdmin();
        return jdbc.sql(SELECT_TOKEN + " WHERE kind = 'worker' ORDER BY created_at, id").query(TeamService::token).list();
    }

    /**
     * Revokes a token (idempotent). The platform admin may revoke any token but the last active
     * platform admin token; a team's admin may revoke that team's tokens.
     */
    @Transactional
    public void revoke(Caller caller, UUID tokenId) {
        TeamViews.Token target = jdbc.sql(SELECT_TOKEN + " WHERE id = :id FOR UPDATE")
                .param("id", tokenId)
                .query(TeamService::token)
                .optional()
                .orElseThrow(() -> ApiException.notFound("token " + tokenId));
        if (caller.isPlatformAdmin()) {
            if (TokenKind.PLATFORM_ADMIN.dbValue().equals(target.kind()) && target.revokedAt() == null) {
                // Serialise concurrent revocations of platform admin tokens before counting them.
                jdbc.sql("SELECT id FROM api_token WHERE kind = 'platform-admin' AND revoked_at IS NULL FOR UPDATE")
                        .query(UUID.class).list();
                long active = jdbc.sql("SELECT count(*) FROM api_token WHERE kind = 'platform-admin' AND revoked_at IS NULL")
                        .query(Long.class).single();
                if (active <= 1) {
                    throw ApiException.conflict("this is the last active platform admin token");
                }
            }
        } else if (!caller.isUser()) {
            throw ApiException.forbidden("only the platform admin or an admin of the token's team may revoke it");
        } else if (!caller.teamId().equals(target.teamId())) {
            throw ApiException.notFound("token " + tokenId);
        } else {
            caller.requireTeamAdmin(target.teamId());
        }
        jdbc.sql("UPDATE api_token SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL")
                .param("id", tokenId)
                .update();
    }

    public TeamViews.Me me(Caller caller) {
        return jdbc.sql("""
                        SELECT t.id, t.name, t.kind, t.team_id, team.name AS team_name, t.role, t.worker_pool
                        FROM api_token t LEFT JOIN team ON team.id = t.team_id
                        WHERE t.id = :id""")
                .param("id", caller.tokenId())
                .query((rs, n) -> new TeamViews.Me(rs.getObject("id", UUID.class), rs.getString("name"),
                        rs.getString("kind"), rs.getObject("team_id", UUID.class), rs.getString("team_name"),
                        rs.getString("role"), rs.getString("worker_pool")))
                .single();
    }

    private void requireTeam(UUID teamId) {
        Optional<UUID> found = jdbc.sql("SELECT id FROM team WHERE id = :id").param("id", teamId).query(UUID.class).optional();
        if (found.isEmpty()) {
            throw ApiException.notFound("team " + teamId);
        }
    }

    private static String requireName(String value, String field) {
        List<FieldProblem> problems = new ArrayList<>();
        String name = checkName(value, field, problems);
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        return name;
    }

    private static String checkName(String value, String field, List<FieldProblem> problems) {
        String name = value == null ? null : value.strip();
        if (name == null || name.isEmpty()) {
            problems.add(new FieldProblem(field, "is required"));
        } else if (name.length() > MAX_NAME_LENGTH) {
            problems.add(new FieldProblem(field, "must be at most " + MAX_NAME_LENGTH + " characters"));
        }
        return name;
    }

    private static final String SELECT_TOKEN = """
            SELECT id, name, kind, team_id, role, worker_pool, prefix, created_at, revoked_at FROM api_token""";

    private static TeamViews.Team team(ResultSet rs, int n) throws SQLException {
        return new TeamViews.Team(rs.getObject("id", UUID.class), rs.getString("name"), instant(rs, "created_at"));
    }

    private static TeamViews.Token token(ResultSet rs, int n) throws SQLException {
        return new TeamViews.Token(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("kind"),
                rs.getObject("team_id", UUID.class), rs.getString("role"), rs.getString("worker_pool"),
                rs.getString("prefix"), instant(rs, "created_at"), instant(rs, "revoked_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
