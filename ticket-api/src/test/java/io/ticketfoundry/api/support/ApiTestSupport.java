package io.ticketfoundry.api.support;

/** Constants shared by the integration tests. */
public final class ApiTestSupport {

    public static final String ADMIN_TOKEN = "tf_test_platform_admin_token_0123456789abcdef";

    private ApiTestSupport() {
    }
}
