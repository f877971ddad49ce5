package io.ticketfoundry.api.team;

import io.ticketfoundry.api.config.FoundryProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * The platform admin's token: taken from {@code tf.bootstrap-token} when set, otherwise generated
 * at the first start and printed once (only its hash is kept). Deployments that start workers
 * together with the API (docker-compose, the example run) may also configure one worker token
 * for the default pool in {@code tf.bootstrap-worker-token}.
 */
@Component
public class BootstrapAdmin implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdmin.class);

    public static final String DEFAULT_POOL = "default";

    private final TokenService tokens;
    private final FoundryProperties properties;

    public BootstrapAdmin(TokenService tokens, FoundryProperties properties) {
        this.tokens = tokens;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        bootstrapPlatformAdmin();
        String workerToken = properties.bootstrapWorkerToken();
        if (workerToken != null && !workerToken.isBlank() && !tokens.existsByToken(workerToken)) {
            tokens.store(workerToken, "bootstrap-worker", TokenKind.WORKER, null, null, DEFAULT_POOL);
            log.info("Worker token for pool '{}' taken from tf.bootstrap-worker-token", DEFAULT_POOL);
        }
    }

    private void bootstrapPlatformAdmin() {
        String configured = properties.bootstrapToken();
        if (configured != null && !configured.isBlank()) {
            if (!tokens.existsByToken(configured)) {
                tokens.store(configured, "bootstrap", TokenKind.PLATFORM_ADMIN, null, null, null);
                log.info("Platform admin token taken from tf.bootstrap-token");
            }
            return;
        }
        if (!tokens.platformAdminExists()) {
            TokenService.IssuedToken issued = tokens.issue("bootstrap", TokenKind.PLATFORM_ADMIN, null, null, null);
            String banner = "Platform admin token (shown once, store it now): " + issued.token();
            System.out.println(banner);
            log.warn("A platform admin token was generated and printed to standard output once");
        }
    }
}
