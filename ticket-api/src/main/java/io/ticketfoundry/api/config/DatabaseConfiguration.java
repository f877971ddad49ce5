package io.ticketfoundry.api.config;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * PostgreSQL, always. A configured {@code spring.datasource.url} is used as it is; without one,
 * ticket-api runs a real PostgreSQL of its own whose data lives under {@code tf.data-dir}/postgres,
 * so a restart keeps everything.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

    /** The embedded server when one is needed; closed after the pool that uses it. */
    public static final class PostgresServer implements AutoCloseable {
        private final EmbeddedPostgres embedded;

        PostgresServer(EmbeddedPostgres embedded) {
            this.embedded = embedded;
        }

        public boolean isEmbedded() {
            return embedded != null;
        }

        @Override
        public void close() throws IOException {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    @Bean(destroyMethod = "close")
    PostgresServer postgresServer(DataSourceProperties dataSource, FoundryProperties properties) {
        if (dataSource.getUrl() != null && !dataSource.getUrl().isBlank()) {
            return new PostgresServer(null);
        }
        Path dataDirectory = properties.dataDir().resolve("postgres").toAbsolutePath();
        try {
            Files.createDirectories(dataDirectory.getParent());
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .start();
            log.info("Embedded PostgreSQL on port {} with its data in {}", postgres.getPort(), dataDirectory);
            return new PostgresServer(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDirectory
                    + "; set spring.datasource.url (SPRING_DATASOURCE_URL) to use another server", e);
        }
    }

    /** The pool; {@code spring.datasource.hikari.*} settings are bound onto it. */
    @Bean(destroyMethod = "close")
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(PostgresServer server, DataSourceProperties properties) {
        HikariDataSource dataSource = new HikariDataSource();
        if (server.isEmbedded()) {
            dataSource.setJdbcUrl(server.embedded.getJdbcUrl("postgres", "postgres"));
        } else {
            dataSource.setJdbcUrl(properties.getUrl());
            dataSource.setUsername(properties.getUsername());
            dataSource.setPassword(properties.getPassword());
        }
        dataSource.setPoolName("ticket-api");
        return dataSource;
    }
}
