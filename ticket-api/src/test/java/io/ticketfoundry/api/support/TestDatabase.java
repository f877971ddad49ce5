package io.ticketfoundry.api.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One real PostgreSQL database per test JVM, dropped when the JVM exits: a fresh database on the
 * server named by {@code TEST_PG_ADMIN_URL} when it is set, else a Testcontainers PostgreSQL where a
 * Docker engine exists, else a fresh database on a local server at 127.0.0.1:5432 (user postgres,
 * trust auth). Without any of these the tests fail: they never fall back to something that is
 * not PostgreSQL.
 */
public final class TestDatabase {

    public static final String ADMIN_URL_VARIABLE = "TEST_PG_ADMIN_URL";
    private static final String LOCAL_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    private static TestDatabase instance;

    private final String jdbcUrl;
    private final String username;
    private final String password;

    private TestDatabase(String jdbcUrl, String username, String password) {
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
    }

    public static synchronized TestDatabase get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    private static TestDatabase start() {
        String adminUrl = System.getenv(ADMIN_URL_VARIABLE);
        if (adminUrl != null && !adminUrl.isBlank()) {
            return freshDatabaseOn(adminUrl);
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
            container.start();
            return new TestDatabase(container.getJdbcUrl(), container.getUsername(), container.getPassword());
        }
        if (reachable(LOCAL_ADMIN_URL)) {
            return freshDatabaseOn(LOCAL_ADMIN_URL);
        }
        throw new IllegalStateException("No PostgreSQL for the tests: set " + ADMIN_URL_VARIABLE
                + " (e.g. " + LOCAL_ADMIN_URL + "), run a Docker engine, or start a local server on 127.0.0.1:5432");
    }

    private static TestDatabase freshDatabaseOn(String adminUrl) {
        String name = "tf_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        execute(adminUrl, "CREATE DATABASE " + name + " TEMPLATE template0");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> execute(adminUrl, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")));
        int query = adminUrl.indexOf('?');
        String base = query < 0 ? adminUrl : adminUrl.substring(0, query);
        String params = query < 0 ? "" : adminUrl.substring(query);
        String url = base.substring(0, base.lastIndexOf('/') + 1) + name + params;
        return new TestDatabase(url, null, null);
    }

    private static boolean reachable(String url) {
        DriverManager.setLoginTimeout(3);
        try (Connection ignored = DriverManager.getConnection(url)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not run '" + sql + "' on " + url, e);
        }
    }
}
