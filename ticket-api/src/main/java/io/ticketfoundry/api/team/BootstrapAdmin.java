package io.ticketfoundry.api.team;

import io.ticketfoundry.api.job.JobQueue;
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

    static final String BOOTSTRAP_NAME = "bootstrap";
    static final int MIN_CONFIGURED_TOKEN_LENGTH = 32;

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
            requireStrong(workerToken, "tf.bootstrap-worker-token");
            tokens.revokeByName(TokenKind.WORKER, "bootstrap-worker");
            tokens.store(workerToken, "bootstrap-worker", TokenKind.WORKER, null, null, JobQueue.DEFAULT_POOL);
            log.info("Worker token for pool '{}' taken from tf.bootstrap-worker-token", JobQueue.DEFAULT_POOL);
        }
    }

    private void bootstrapPlatformAdmin() {
        String configured = properties.bootstrapToken();
        if (configured != null && !configured.isBlank()) {
            requireStrong(configured, "tf.bootstrap-token");
            if (!tokens.existsByToken(configured)) {
                // a changed configured token replaces the earlier one instead of adding a second admin
                int revoked = tokens.revokeByName(TokenKind.PLATFORM_ADMIN, BOOTSTRAP_NAME);
                tokens.store(configured, BOOTSTRAP_NAME, TokenKind.PLATFORM_ADMIN, null, null, null);
                log.info("Platform admin token taken from tf.bootstrap-token ({} earlier bootstrap token(s) revoked)", revoked);
            }
            return;
        }
        if (!tokens.platformAdminExists()) {
            TokenService.IssuedToken issued = tokens.issue(BOOTSTRAP_NAME, TokenKind.PLATFORM_ADMIN, null, null, null);
            String banner = "Platform admin token (shown once, store it now): " + issued.token();
            System.out.println(banner);
            log.warn("A platform admin token was generated and printed to standard output once");
        }
    }

    private static void requireStrong(String token, String property) {
        if (token.length() < MIN_CONFIGURED_TOKEN_LENGTH) {
            throw new IllegalStateException(property + " must be at least " + MIN_CONFIGURED_TOKEN_LENGTH
                    + " characters long (e.g. tf_ followed by `openssl rand -hex 32`)");
        }
    }
}
