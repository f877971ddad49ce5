package io.ticketfoundry.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every migration runs on the PostgreSQL that ticket-api embeds when no database is configured
 * (the Quick start's): an older major version than the servers the other tests use, so syntax
 * newer than it would break a fresh start only there.
 */
class EmbeddedDatabaseMigrationTest {

    @Test
    void everyMigrationAppliesToTheEmbeddedServer(@TempDir Path data) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(data).start()) {
            MigrateResult result = Flyway.configure().dataSource(postgres.getPostgresDatabase())
                    .locations("classpath:db/migration").load().migrate();
            assertThat(result.success).isTrue();
            assertThat(result.migrationsExecuted).isGreaterThanOrEqualTo(10);
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                    ResultSet version = connection.createStatement().executeQuery("SHOW server_version_num")) {
                version.next();
                System.out.println("embedded PostgreSQL " + version.getString(1) + ": " + result.migrationsExecuted
                        + " migrations applied");
            }
        }
    }
}
