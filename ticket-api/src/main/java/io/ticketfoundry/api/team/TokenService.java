package io.ticketfoundry.api.team;

import io.ticketfoundry.common.Digests;
import java.security.SecureRandom;
import java.util.HexFormat;
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

    public TokenService(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public record IssuedToken(UUID id, String token, String prefix) {
    }

    public static String newTokenValue() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return TOKEN_PREFIX + HexFormat.of().formatHex(bytes);
    }

    public IssuedToken issue(String name, TokenKind kind, UUID teamId, TeamRole role, String workerPool) {
        return store(newTokenValue(), name, kind, teamId, role, workerPool);
    }

    public IssuedToken store(String token, String name, TokenKind kind, UUID teamId, TeamRole role, String workerPool) {
        return store(token, name, kind, teamId, role, workerPool, null);
    }

    /** Issues a new token on behalf of {@code createdBy} (the issuing token, recorded). */
    public IssuedToken issue(String name, TokenKind kind, UUID teamId, TeamRole role, String workerPool, UUID createdBy) {
        return store(newTokenValue(), name, kind, teamId, role, workerPool, createdBy);
    }

    private IssuedToken store(String token, String name, TokenKind kind, UUID teamId, TeamRole role, String workerPool,
            UUID createdBy) {
        UUID id = UUID.randomUUID();
        String prefix = token.substring(0, Math.min(token.length(), 10));
        jdbc.sql("""
                INSERT INTO api_token (id, token_hash, prefix, name, kind, team_id, role, worker_pool, created_by)
                VALUES (:id, :hash, :prefix, :name, :kind, :team, :role, :pool, :createdBy)""")
                .param("id", id)
                .param("hash", hash(token))
                .param("prefix", prefix)
                .param("name", name)
                .param("kind", kind.dbValue())
                .param("team", teamId)
                .param("role", role == null ? null : role.dbValue())
                .param("pool", workerPool)
                .param("createdBy", createdBy)
                .update();
        return new IssuedToken(id, token, prefix);
    }

    public Optional<Caller> resolve(String token) {
        return jdbc.sql("""
                SELECT id, kind, team_id, role, worker_pool FROM api_token
                WHERE token_hash = :hash AND revoked_at IS NULL""")
                .param("hash", hash(token))
                .query((rs, n) -> new Caller(
                        rs.getObject("id", UUID.class),
                        TokenKind.fromDb(rs.getString("kind")),
                        rs.getObject("team_id", UUID.class),
                        TeamRole.fromDb(rs.getString("role")),
                        rs.getString("worker_pool")))
                .optional();
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
