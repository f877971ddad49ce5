package io.ticketfoundry.api.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.IntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The generated OpenAPI document describes the queue, worker and ticket endpoints. */
@IntegrationTest
class QueueApiDocsTest {

    @LocalServerPort
    int port;
    @Autowired
    JsonMapper json;

    @Test
    void theOpenApiDocumentListsTheEndpoints() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v3/api-docs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode paths = json.readTree(response.body()).get("paths");
        assertThat(paths.propertyNames()).contains(
                "/api/v1/worker/leases",
                "/api/v1/worker/jobs/{id}/heartbeat",
                "/api/v1/worker/jobs/{id}/artifacts/{sha256}",
                "/api/v1/worker/jobs/{id}/complete",
                "/api/v1/worker/jobs/{id}/fail",
                "/api/v1/jobs",
                "/api/v1/jobs/{id}",
                "/api/v1/jobs/{id}/cancel",
                "/api/v1/tickets/{id}",
                "/api/v1/tickets/{id}/mask",
                "/api/v1/tickets/{id}/rewind",
                "/api/v1/tickets/{id}/weights",
                "/api/v1/experiments/{experimentId}/tickets",
                "/api/v1/experiments/{experimentId}/lineage");
        JsonNode upload = paths.get("/api/v1/worker/jobs/{id}/artifacts/{sha256}").get("put");
        assertThat(upload.get("requestBody").get("content").has("application/octet-stream")).isTrue();
    }
}
