package io.ticketfoundry.api.team;

import io.ticketfoundry.common.Digests;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Issues and resolves bearer tokens. Only a token's SHA-256 is stored; the plain token is shown once. */
@Service
public class TokenService {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TOKEN_PREFIX = "tf_";

    private final JdbcClient jdbc;
    private final People people;

    public TokenService(JdbcClient jdbc, People people) {
        this.jdbc = jdbc;
        this.people = people;
    }

    public record IssuedToken(UUID id, String token, String prefix) {
    }

    public static String newTokenValue() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return TOKEN_PREFIX + HexFormat.of().formatHex(bytes);
    }

    public IssuedToken issue(String name, TokenKind kind, UUID teamId, TeamRole role, String workerPool) {
        return issue(name, kind, teamId, role, workerPool, null);
    }

    public IssuedToken store(String token, String name, TokenKind kind, UUID teamId, TeamRole role, String workerPool) {
        return store(token, name, kind, teamId, role, workerPool, null);
    }

    /**
     * Issues a new token on behalf of {@code createdBy} (the issuing token, recorded). A user token
     * issued this way is for a new person named after it, a member of {@code teamId} with {@code role}.
     */
    public IssuedToken issue(String name, TokenKind kind, UUID teamId, TeamRole role, String workerPool, UUID createdBy) {
        return store(newTokenValue(), name, kind, teamId, role, workerPool, createdBy);
    }

    private IssuedToken store(String token, String name, TokenKind kind, UUID teamId, TeamRole role, String workerPool,
            UUID createdBy) {
        UUID person = null;
        if (kind == TokenKind.USER) {
            person = people.create(name, token.substring(0, Math.min(token.length(), 10)));
            people.join(person, teamId, role);
        }
        return insert(token, name, kind, person, teamId, workerPool, null, createdBy);
    }

    /**
     * A new token of an existing person, acting in {@code teamId} (one of the person's teams) until
     * {@code expiresAt}. A {@code teamScoped} token reaches that team only, whatever other teams the
     * person is in: what a team admin issues for someone else.
     */
    public IssuedToken issueForPerson(UUID personId, UUID teamId, String name, Instant expiresAt, UUID createdBy,
            boolean teamScoped) {
        IssuedToken issued = insert(newTokenValue(), name, TokenKind.USER, personId, teamId, null, expiresAt, createdBy);
        if (teamScoped) {
            jdbc.sql("UPDATE api_token SET team_scoped = true WHERE id = :id").param("id", issued.id()).update();
        }
        return issued;
    }

    /** A worker or platform-admin token of the given kind, valid until {@code expiresAt} (null: no expiry). */
    public IssuedToken issueMachine(String name, TokenKind kind, String workerPool, Instant expiresAt, UUID createdBy) {
        if (kind == TokenKind.USER) {
            throw new IllegalArgumentException("user tokens belong to a person");
        }
        return insert(newTokenValue(), name, kind, null, null, workerPool, expiresAt, createdBy);
    }

    private IssuedToken insert(String token, String name, TokenKind kind, UUID personId, UUID teamId, String workerPool,
            Instant expiresAt, UUID createdBy) {
        UUID id = UUID.randomUUID();
        String prefix = token.substring(0, Math.min(token.length(), 10));
        jdbc.sql("""
                INSERT INTO api_token (id, token_hash, prefix, name, kind, person_id, team_id, worker_pool, expires_at,
                                       created_by)
                VALUES (:id, :hash, :prefix, :name, :kind, :person, :team, :pool, :expires, :createdBy)""")
                .param("id", id)
                .param("hash", hash(token))
                .param("prefix", prefix)
                .param("name", name)
                .param("kind", kind.dbValue())
                .param("person", personId)
                .param("team", teamId)
                .param("pool", workerPool)
                .param("expires", expiresAt == null ? null : java.sql.Timestamp.from(expiresAt))
                .param("createdBy", createdBy)
                .update();
        return new IssuedToken(id, token, prefix);
    }

    /** Raised when a request names, in {@code X-Team}, a team the token's person is not in. */
    public static final class UnknownTeamException extends RuntimeException {
        public UnknownTeamException(String message) {
            super(message);
        }
    }

    public Optional<Caller> resolve(String token) {
        return resolve(token, null);
    }

    /**
     * The caller a live token (not revoked, not expired) stands for. {@code requestedTeam} (a team id
     * or name, from {@code X-Team}) makes a user token act in another of its person's teams.
     */
    public Optional<Caller> resolve(String token, String requestedTeam) {
        record Row(UUID id, TokenKind kind, String name, UUID person, String personName, UUID team, String pool,
                boolean teamScoped) {
        }
        Optional<Row> row = jdbc.sql("""
                SELECT t.id, t.kind, t.name, t.person_id, p.name AS person_name, t.team_id, t.worker_pool, t.team_scoped
                FROM api_token t LEFT JOIN person p ON p.id = t.person_id
                WHERE t.token_hash = :hash AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())""")
                .param("hash", hash(token))
                .query((rs, n) -> new Row(rs.getObject("id", UUID.class), TokenKind.fromDb(rs.getString("kind")),
                        rs.getString("name"), rs.getObject("person_id", UUID.class), rs.getString("person_name"),
                        rs.getObject("team_id", UUID.class), rs.getString("worker_pool"), rs.getBoolean("team_scoped")))
                .optional();
        if (row.isEmpty()) {
            return Optional.empty();
        }
        Row r = row.get();
        if (r.kind() != TokenKind.USER) {
            return Optional.of(Caller.machine(r.id(), r.kind(), r.name(), r.pool()));
        }
        Map<UUID, TeamRole> memberships = people.memberships(r.person());
        if (r.teamScoped()) {
            // a token a team admin issued for an existing person reaches that team only
            TeamRole in = memberships.get(r.team());
            memberships = in == null ? Map.of() : Map.of(r.team(), in);
        }
        // a token whose team the person has left acts in no team (reads of the person's other teams go on)
        UUID acting = memberships.containsKey(r.team()) ? r.team() : null;
        if (requestedTeam != null && !requestedTeam.isBlank()) {
            Map<UUID, TeamRole> reachable = memberships;
            acting = people.teamOf(r.person(), requestedTeam.strip()).filter(reachable::containsKey)
                    .orElseThrow(() -> new UnknownTeamException("X-Team names " + requestedTeam.strip()
                            + ", which is not one of the teams this token reaches"));
        }
        return Optional.of(new Caller(r.id(), TokenKind.USER, r.person(), r.personName(), acting,
                acting == null ? null : memberships.get(acting), memberships, null, r.teamScoped()));
    }

    public boolean existsByToken(String token) {
        return jdbc.sql("SELECT count(*) FROM api_token WHERE token_hash = :hash")
                .param("hash", hash(token)).query(Long.class).single() > 0;
    }

    /** Revokes the active tokens of one kind with one name; returns how many. */
    public int revokeByName(TokenKind kind, String name) {
        return jdbc.sql("UPDATE api_token SET revoked_at = now() WHERE kind = :kind AND name = :name AND revoked_at IS NULL")
                .param("kind", kind.dbValue()).param("name", name).update();
    }

    public boolean platformAdminExists() {
        return jdbc.sql("SELECT count(*) FROM api_token WHERE kind = 'platform-admin' AND revoked_at IS NULL")
                .query(Long.class).single() > 0;
    }

    static String hash(String token) {
        return Digests.sha256Hex(token);
    }
}
