package io.ticketfoundry.api.support;

import io.ticketfoundry.api.job.JobQueue;
import io.ticketfoundry.api.team.TokenService;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The running service, its database, token service and job queue, and {@link QueueFixtures} over
 * them, made afresh before each test (before a subclass's own {@code @BeforeEach}).
 */
@IntegrationTest
public abstract class QueueTestBase {

    @LocalServerPort
    protected int port;
    @Autowired
    protected JdbcClient jdbc;
    @Autowired
    protected TokenService tokens;
    @Autowired
    protected JsonMapper json;
    @Autowired
    protected JobQueue queue;

    protected QueueFixtures fx;

    @BeforeEach
    void createQueueFixtures() {
        fx = new QueueFixtures(jdbc, tokens, json, port);
    }
}
