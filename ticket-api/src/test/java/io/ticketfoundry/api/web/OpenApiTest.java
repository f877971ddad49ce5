package io.ticketfoundry.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.ApiClient;
import io.ticketfoundry.api.support.ApiClient.Response;
import io.ticketfoundry.api.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class OpenApiTest {

    @LocalServerPort
    int port;

    @Test
    void theDocumentDeclaresTheBearerSchemeOnceAndAppliesItEverywhere() {
        Response response = new ApiClient(port).get(null, "/v3/api-docs");
        assertThat(response.status()).isEqualTo(200);
        JsonNode doc = response.body();
        assertThat(doc.path("info").path("title").asString()).isEqualTo("Ticket Foundry API");
        assertThat(doc.path("info").path("version").asString()).isEqualTo("0.1.0-SNAPSHOT");
        JsonNode scheme = doc.path("components").path("securitySchemes").path("bearerAuth");
        assertThat(scheme.path("type").asString()).isEqualTo("http");
        assertThat(scheme.path("scheme").asString()).isEqualTo("bearer");
        assertThat(doc.path("security").toString()).isEqualTo("[{\"bearerAuth\":[]}]");
        assertThat(doc.path("paths").propertyNames()).contains("/api/v1/experiments", "/api/v1/experiments/{id}",
                "/api/v1/experiments/defaults", "/api/v1/teams", "/api/v1/teams/{teamId}/tokens", "/api/v1/tokens/{id}",
                "/api/v1/worker-tokens", "/api/v1/me");
    }
}
