package io.ticketfoundry.cli;

import java.net.URI;
import picocli.CommandLine.Option;

/** Where the API is and whose token to use; defaults from TF_API_URL and TF_TOKEN. */
final class ConnectionOptions {

    @Option(names = "--api-url", defaultValue = "${env:TF_API_URL:-http://localhost:8080/}",
            description = "ticket-api base URL (env TF_API_URL, default ${DEFAULT-VALUE})")
    String apiUrl;

    @Option(names = "--token", defaultValue = "${env:TF_TOKEN}", description = "a team token (env TF_TOKEN)")
    String token;

    ApiClient client() {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("no token: pass --token or set TF_TOKEN");
        }
        return new ApiClient(URI.create(apiUrl.endsWith("/") ? apiUrl : apiUrl + "/"), token);
    }
}
