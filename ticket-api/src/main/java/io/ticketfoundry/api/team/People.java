package io.ticketfoundry.api.team;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** People and their memberships in teams. */
@Repository
public class People {

    private final JdbcClient jdbc;

    public People(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A new person named {@code name}, or, when the name is taken, {@code name (suffix)}: the
     * person a token issued for a role is made for.
     */
    public UUID create(String name, String suffix) {
        UUID id = UUID.randomUUID();
        int inserted = jdbc.sql("INSERT INTO person (id, name) VALUES (:id, :name) ON CONFLICT (name) DO NOTHING")
                .param("id", id).param("name", name).update();
        if (inserted == 0) {
            jdbc.sql("INSERT INTO person (id, name) VALUES (:id, :name)")
                    .param("id", id).param("name", name + " (" + suffix + ")").update();
        }
        return id;
    }

    /** A new person with exactly this name; empty when the name is taken. */
    public Optional<UUID> createNamed(String name) {
        UUID id = UUID.randomUUID();
        int inserted = jdbc.sql("INSERT INTO person (id, name) VALUES (:id, :name) ON CONFLICT (name) DO NOTHING")
                .param("id", id).param("name", name).update();
        return inserted == 1 ? Optional.of(id) : Optional.empty();
    }

    public Optional<UUID> findByName(String name) {
        return jdbc.sql("SELECT id FROM person WHERE name = :name").param("name", name).query(UUID.class).optional();
    }

    public Optional<String> name(UUID person) {
        return jdbc.sql("SELECT name FROM person WHERE id = :id").param("id", person).query(String.class).optional();
    }

    /** Adds the person to the team with {@code role}, or changes the role they have there. */
    public void join(UUID person, UUID team, TeamRole role) {
        jdbc.sql("""
                INSERT INTO membership (person_id, team_id, role) VALUES (:person, :team, :role)
                ON CONFLICT (person_id, team_id) DO UPDATE SET role = EXCLUDED.role""")
                .param("person", person).param("team", team).param("role", role.dbValue()).update();
    }

    /** Removes the person from the team; whether they were in it. */
    public boolean leave(UUID person, UUID team) {
        return jdbc.sql("DELETE FROM membership WHERE person_id = :person AND team_id = :team")
                .param("person", person).param("team", team).update() == 1;
    }

    public Map<UUID, TeamRole> memberships(UUID person) {
        Map<UUID, TeamRole> out = new LinkedHashMap<>();
        jdbc.sql("SELECT team_id, role FROM membership WHERE person_id = :person ORDER BY created_at")
                .param("person", person)
                .query((rs, n) -> Map.entry(rs.getObject("team_id", UUID.class), TeamRole.fromDb(rs.getString("role"))))
                .list()
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** One of the person's teams, named by id or by name. */
    public Optional<UUID> teamOf(UUID person, String idOrName) {
        return jdbc.sql("""
                SELECT m.team_id FROM membership m JOIN team t ON t.id = m.team_id
                WHERE m.person_id = :person AND (t.id::text = :key OR t.name = :key)""")
                .param("person", person).param("key", idOrName).query(UUID.class).optional();
    }
}
