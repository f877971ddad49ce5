package io.ticketfoundry.api.team;

import io.ticketfoundry.api.audit.AuditLog;
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
    private final People people;
    private final AuditLog audit;

    public TeamService(JdbcClient jdbc, TokenService tokens, People people, AuditLog audit) {
        this.jdbc = jdbc;
        this.tokens = tokens;
        this.people = people;
        this.audit = audit;
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
                .map(team -> {
                    audit.record(caller, team.id(), "team.created", "team", team.id(), java.util.Map.of("name", name));
                    return team;
                })
                .orElseThrow(() -> ApiException.conflict("a team named '" + name + "' already exists"));
    }

    /** The platform admin sees every team; a user the teams their person belongs to. */
    public List<TeamViews.Team> listTeams(Caller caller) {
        if (caller.isPlatformAdmin()) {
            return jdbc.sql("SELECT id, name, created_at FROM team ORDER BY name").query(TeamService::team).list();
        }
        if (caller.isUser()) {
            return jdbc.sql("SELECT id, name, created_at FROM team WHERE id IN (:ids) ORDER BY name")
                    .param("ids", caller.teams().isEmpty() ? List.of(new UUID(0, 0)) : List.copyOf(caller.teams()))
                    .query(TeamService::team).list();
        }
        throw ApiException.forbidden("worker tokens do not belong to a team");
    }

    /**
     * Issues a token acting in {@code teamId}: for a new person named after the token with
     * {@code role}, or for an existing {@code person}, whom {@code role} (when given) adds to the team
     * or moves to that role.
     */
    @Transactional
    public TeamViews.IssuedToken issueTeamToken(Caller caller, UUID teamId, TeamRequests.CreateToken request) {
        caller.requireTeamAdmin(teamId);
        requireTeam(teamId);
        List<FieldProblem> problems = new ArrayList<>();
        String name = checkName(request == null ? null : request.name(), "name", problems);
        String personKey = request == null || request.person() == null || request.person().isBlank() ? null
                : request.person().strip();
        TeamRole role = readRole(request == null ? null : request.role(), personKey == null, problems);
        Instant expires = readExpiry(request == null ? null : request.expiresAt(), problems);
        UUID person = null;
        if (personKey != null) {
            person = findPerson(personKey).orElse(null);
            if (person == null) {
                problems.add(new FieldProblem("person", "names no person"));
            } else if (role == null && people.memberships(person).get(teamId) == null) {
                problems.add(new FieldProblem("role", "is required: the person is not in the team yet"));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        TokenService.IssuedToken issued;
        if (person == null) {
            issued = tokens.issue(name, TokenKind.USER, teamId, role, null, caller.tokenId());
            person = jdbc.sql("SELECT person_id FROM api_token WHERE id = :id").param("id", issued.id())
                    .query(UUID.class).single();
            if (expires != null) {
                jdbc.sql("UPDATE api_token SET expires_at = :at WHERE id = :id")
                        .param("at", java.sql.Timestamp.from(expires)).param("id", issued.id()).update();
            }
        } else {
            if (role != null) {
                people.join(person, teamId, role);
            }
            issued = tokens.issueForPerson(person, teamId, name, expires, caller.tokenId(), true);
        }
        TeamRole held = people.memberships(person).get(teamId);
        audit.record(caller, teamId, "token.issued", "token", issued.id(),
                java.util.Map.of("name", name, "person", people.name(person).orElse(""), "role", held.dbValue()));
        return new TeamViews.IssuedToken(issued.id(), name, TokenKind.USER.dbValue(), teamId, held.dbValue(), null,
                issued.prefix(), issued.token(), person, people.name(person).orElse(null), expires);
    }

    /** A token the calling person issues for themself, acting in one of their teams. */
    @Transactional
    public TeamViews.IssuedToken issueOwnToken(Caller caller, TeamRequests.CreateOwnToken request) {
        if (!caller.isUser()) {
            throw ApiException.forbidden("only a person's tokens may issue tokens for that person");
        }
        if (caller.teamScoped()) {
            throw ApiException.forbidden("a token issued by a team admin cannot issue tokens; use one of your own");
        }
        List<FieldProblem> problems = new ArrayList<>();
        String name = checkName(request == null ? null : request.name(), "name", problems);
        Instant expires = readExpiry(request == null ? null : request.expiresAt(), problems);
        UUID team = caller.teamId();
        if (request != null && request.team() != null && !request.team().isBlank()) {
            team = people.teamOf(caller.personId(), request.team().strip()).orElse(null);
            if (team == null) {
                problems.add(new FieldProblem("team", "is not one of the person's teams"));
            }
        }
        if (team == null && problems.stream().noneMatch(p -> p.field().equals("team"))) {
            problems.add(new FieldProblem("team", "is required: the calling token's own team is no longer the person's"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        TokenService.IssuedToken issued = tokens.issueForPerson(caller.personId(), team, name, expires, caller.tokenId(),
                false);
        audit.record(caller, team, "token.issued", "token", issued.id(), java.util.Map.of("name", name, "own", true));
        TeamRole role = caller.roleIn(team);
        return new TeamViews.IssuedToken(issued.id(), name, TokenKind.USER.dbValue(), team,
                role == null ? null : role.dbValue(), null, issued.prefix(), issued.token(), caller.personId(),
                caller.name(), expires);
    }

    /** The calling person's tokens (prefixes only), in every team. */
    public List<TeamViews.Token> listOwnTokens(Caller caller) {
        if (!caller.isUser()) {
            throw ApiException.forbidden("only a person's tokens have a person");
        }
        return jdbc.sql(SELECT_TOKEN + " WHERE t.person_id = :person ORDER BY t.created_at, t.id")
                .param("person", caller.personId()).query(TeamService::token).list();
    }

    public List<TeamViews.Member> listMembers(Caller caller, UUID teamId) {
        if (!caller.isPlatformAdmin()) {
            caller.requireReadable(teamId, "team " + teamId);
        }
        requireTeam(teamId);
        return jdbc.sql("""
                SELECT p.id, p.name, m.role, m.created_at FROM membership m JOIN person p ON p.id = m.person_id
                WHERE m.team_id = :team ORDER BY p.name""")
                .param("team", teamId)
                .query((rs, n) -> new TeamViews.Member(rs.getObject("id", UUID.class), rs.getString("name"),
                        rs.getString("role"), instant(rs, "created_at")))
                .list();
    }

    /**
     * Puts {@code personKey} (an id or a name; an unknown name is a new person) in the team with the
     * role, or changes their role. The team keeps at least one admin.
     */
    @Transactional
    public TeamViews.Member putMember(Caller caller, UUID teamId, String personKey, TeamRequests.Membership request) {
        caller.requireTeamAdmin(teamId);
        requireTeam(teamId);
        List<FieldProblem> problems = new ArrayList<>();
        TeamRole role = readRole(request == null ? null : request.role(), true, problems);
        String key = personKey == null ? "" : personKey.strip();
        if (key.isEmpty() || key.length() > MAX_NAME_LENGTH) {
            problems.add(new FieldProblem("person", "must have 1 to " + MAX_NAME_LENGTH + " characters"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        lockTeam(teamId);
        UUID person = findPerson(key).orElseGet(() -> people.createNamed(key).orElseThrow());
        TeamRole before = people.memberships(person).get(teamId);
        if (before == TeamRole.ADMIN && role != TeamRole.ADMIN) {
            requireAnotherAdmin(teamId, person);
        }
        people.join(person, teamId, role);
        audit.record(caller, teamId, before == null ? "member.added" : "member.role-changed", "person", person,
                java.util.Map.of("person", people.name(person).orElse(key), "role", role.dbValue(),
                        "previousRole", before == null ? "" : before.dbValue()));
        return listMembers(caller, teamId).stream()
                .filter(m -> m.personId().equals(person)).findFirst().orElseThrow();
    }

    /** Takes the person out of the team: their tokens stop reaching it at once. The team keeps an admin. */
    @Transactional
    public void removeMember(Caller caller, UUID teamId, String personKey) {
        caller.requireTeamAdmin(teamId);
        requireTeam(teamId);
        lockTeam(teamId);
        UUID person = findPerson(personKey.strip()).orElseThrow(() -> ApiException.notFound("person " + personKey));
        TeamRole before = people.memberships(person).get(teamId);
        if (before == null) {
            throw ApiException.notFound("person " + personKey + " in team " + teamId);
        }
        if (before == TeamRole.ADMIN) {
            requireAnotherAdmin(teamId, person);
        }
        people.leave(person, teamId);
        audit.record(caller, teamId, "member.removed", "person", person,
                java.util.Map.of("person", people.name(person).orElse(personKey)));
    }

    public TeamViews.Quota quota(Caller caller, UUID teamId) {
        if (!caller.isPlatformAdmin()) {
            caller.requireReadable(teamId, "team " + teamId);
        }
        return jdbc.sql("SELECT id, max_running_jobs, max_active_jobs, share_weight FROM team WHERE id = :id")
                .param("id", teamId)
                .query((rs, n) -> new TeamViews.Quota(rs.getObject("id", UUID.class),
                        (Integer) rs.getObject("max_running_jobs"), (Integer) rs.getObject("max_active_jobs"),
                        rs.getInt("share_weight")))
                .optional()
                .orElseThrow(() -> ApiException.notFound("team " + teamId));
    }

    /** Sets a team's queue quota (platform admin only); audited. */
    @Transactional
    public TeamViews.Quota setQuota(Caller caller, UUID teamId, TeamRequests.Quota request) {
        caller.requirePlatformAdmin();
        requireTeam(teamId);
        List<FieldProblem> problems = new ArrayList<>();
        Integer running = request == null ? null : request.maxRunningJobs();
        Integer active = request == null ? null : request.maxActiveJobs();
        int weight = request == null || request.shareWeight() == null ? 1 : request.shareWeight();
        if (running != null && running < 1) {
            problems.add(new FieldProblem("maxRunningJobs", "must be 1 or more (or null for no limit)"));
        }
        if (active != null && active < 1) {
            problems.add(new FieldProblem("maxActiveJobs", "must be 1 or more (or null for no limit)"));
        }
        if (weight < 1 || weight > 1000) {
            problems.add(new FieldProblem("shareWeight", "must be between 1 and 1000"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        jdbc.sql("UPDATE team SET max_running_jobs = :running, max_active_jobs = :active, share_weight = :weight "
                        + "WHERE id = :id")
                .param("running", running).param("active", active).param("weight", weight).param("id", teamId).update();
        java.util.Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("maxRunningJobs", running);
        details.put("maxActiveJobs", active);
        details.put("shareWeight", weight);
        audit.record(caller, teamId, "team.quota-set", "team", teamId, details);
        return quota(caller, teamId);
    }

    private void lockTeam(UUID teamId) {
        jdbc.sql("SELECT id FROM team WHERE id = :id FOR UPDATE").param("id", teamId).query(UUID.class).single();
    }

    private void requireAnotherAdmin(UUID teamId, UUID person) {
        long others = jdbc.sql("""
                SELECT count(*) FROM membership WHERE team_id = :team AND role = 'admin' AND person_id <> :person""")
                .param("team", teamId).param("person", person).query(Long.class).single();
        if (others == 0) {
            throw ApiException.conflict("the team would have no admin left");
        }
    }

    private Optional<UUID> findPerson(String key) {
        try {
            UUID id = UUID.fromString(key);
            Optional<UUID> byId = jdbc.sql("SELECT id FROM person WHERE id = :id").param("id", id).query(UUID.class)
                    .optional();
            if (byId.isPresent()) {
                return byId;
            }
        } catch (IllegalArgumentException notAnId) {
            // a name
        }
        return people.findByName(key);
    }

    private static TeamRole readRole(String value, boolean required, List<FieldProblem> problems) {
        if (value == null || value.isBlank()) {
            if (required) {
                problems.add(new FieldProblem("role", "is required (admin, member or viewer)"));
            }
            return null;
        }
        for (TeamRole candidate : TeamRole.values()) {
            if (candidate.dbValue().equals(value)) {
                return candidate;
            }
        }
        problems.add(new FieldProblem("role", "must be one of admin, member, viewer"));
        return null;
    }

    private static Instant readExpiry(String value, List<FieldProblem> problems) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Instant at = OffsetDateTime.parse(value.strip()).toInstant();
            if (!at.isAfter(Instant.now())) {
                problems.add(new FieldProblem("expiresAt", "must be in the future"));
            }
            return at;
        } catch (java.time.format.DateTimeParseException e) {
            problems.add(new FieldProblem("expiresAt", "must be an RFC 3339 date-time, e.g. 2027-01-31T00:00:00Z"));
            return null;
        }
    }

    public List<TeamViews.Token> listTeamTokens(Caller caller, UUID teamId) {
        caller.requireTeamAdmin(teamId);
        requireTeam(teamId);
        return jdbc.sql(SELECT_TOKEN + " WHERE t.team_id = :team ORDER BY t.created_at, t.id")
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
        Instant expires = readExpiry(request == null ? null : request.expiresAt(), problems);
        if (!POOL.matcher(pool).matches()) {
            problems.add(new FieldProblem("pool", "must be lower-case letters, digits, '.', '_' or '-' (at most 63, "
                    + "starting with a letter or digit)"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        TokenService.IssuedToken issued = tokens.issueMachine(name, TokenKind.WORKER, pool, expires, caller.tokenId());
        audit.record(caller, null, "token.issued", "token", issued.id(), java.util.Map.of("name", name, "pool", pool));
        return new TeamViews.IssuedToken(issued.id(), name, TokenKind.WORKER.dbValue(), null, null, pool,
                issued.prefix(), issued.token(), null, null, expires);
    }

    public List<TeamViews.Token> listWorkerTokens(Caller caller) {
        caller.requirePlatformAdmin();
        return jdbc.sql(SELECT_TOKEN + " WHERE t.kind = 'worker' ORDER BY t.created_at, t.id").query(TeamService::token).list();
    }

    /**
     * Revokes a token (idempotent). The platform admin may revoke any token but the last active
     * platform admin token; a team's admin may revoke the tokens acting in that team; a person their own.
     */
    @Transactional
    public void revoke(Caller caller, UUID tokenId) {
        TeamViews.Token target = jdbc.sql(SELECT_TOKEN + " WHERE t.id = :id FOR UPDATE OF t")
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
        } else if (caller.personId().equals(target.personId())) {
            // a person may always revoke their own tokens
        } else if (target.teamId() == null || caller.roleIn(target.teamId()) == null) {
            throw ApiException.notFound("token " + tokenId);
        } else {
            caller.requireTeamAdmin(target.teamId());
        }
        int revoked = jdbc.sql("UPDATE api_token SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL")
                .param("id", tokenId)
                .update();
        if (revoked == 1) {
            audit.record(caller, target.teamId(), "token.revoked", "token", tokenId,
                    java.util.Map.of("name", target.name(), "prefix", target.prefix()));
        }
    }

    public TeamViews.Me me(Caller caller) {
        List<TeamViews.MemberOf> memberships = caller.teams().isEmpty() ? List.of() : jdbc.sql("""
                        SELECT t.id, t.name, m.role FROM membership m JOIN team t ON t.id = m.team_id
                        WHERE m.person_id = :person AND m.team_id IN (:teams) ORDER BY t.name""")
                .param("person", caller.personId())
                .param("teams", List.copyOf(caller.teams()))
                .query((rs, n) -> new TeamViews.MemberOf(rs.getObject("id", UUID.class), rs.getString("name"),
                        rs.getString("role")))
                .list();
        return jdbc.sql("""
                        SELECT t.id, t.name, t.kind, team.name AS team_name, t.worker_pool, t.expires_at
                        FROM api_token t LEFT JOIN team ON team.id = :acting
                        WHERE t.id = :id""")
                .param("id", caller.tokenId())
                .param("acting", caller.teamId())
                .query((rs, n) -> new TeamViews.Me(rs.getObject("id", UUID.class), rs.getString("name"),
                        rs.getString("kind"), caller.teamId(), rs.getString("team_name"),
                        caller.role() == null ? null : caller.role().dbValue(), rs.getString("worker_pool"),
                        caller.personId(), caller.isUser() ? caller.name() : null,
                        caller.isUser() ? memberships : null, instant(rs, "expires_at")))
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

    /** Tokens with their person and the role that person holds in the token's team today. */
    private static final String SELECT_TOKEN = """
            SELECT t.id, t.name, t.kind, t.team_id, m.role, t.worker_pool, t.prefix, t.created_at, t.revoked_at,
                   t.person_id, p.name AS person_name, t.expires_at
            FROM api_token t LEFT JOIN person p ON p.id = t.person_id
                 LEFT JOIN membership m ON m.person_id = t.person_id AND m.team_id = t.team_id""";

    private static TeamViews.Team team(ResultSet rs, int n) throws SQLException {
        return new TeamViews.Team(rs.getObject("id", UUID.class), rs.getString("name"), instant(rs, "created_at"));
    }

    private static TeamViews.Token token(ResultSet rs, int n) throws SQLException {
        return new TeamViews.Token(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("kind"),
                rs.getObject("team_id", UUID.class), rs.getString("role"), rs.getString("worker_pool"),
                rs.getString("prefix"), instant(rs, "created_at"), instant(rs, "revoked_at"),
                rs.getObject("person_id", UUID.class), rs.getString("person_name"), instant(rs, "expires_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
