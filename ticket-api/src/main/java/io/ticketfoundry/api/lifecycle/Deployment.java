package io.ticketfoundry.api.lifecycle;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** This deployment's identity (made once by migration V10), written into archives as their source. */
@Component
public class Deployment {

    private final JdbcClient jdbc;
    private volatile UUID id;

    public Deployment(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public UUID id() {
        UUID known = id;
        if (known == null) {
            known = jdbc.sql("SELECT id FROM deployment").query(UUID.class).single();
            id = known;
        }
        return known;
    }
}
