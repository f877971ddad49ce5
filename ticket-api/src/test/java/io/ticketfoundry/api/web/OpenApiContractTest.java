package io.ticketfoundry.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.IntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * openapi/ticket-api.yaml is the API contract users and client generators read. It must be what
 * the running service serves. After an intended API change, regenerate it with
 * {@code OPENAPI_WRITE=true ./mvnw -pl ticket-api -am verify -Dtest=OpenApiContractTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@IntegrationTest
class OpenApiContractTest {

    private static final Path CONTRACT = Path.of("..", "openapi", "ticket-api.yaml");

    @LocalServerPort
    int port;

    @Test
    void theCheckedInContractIsWhatTheServiceServes() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v3/api-docs.yaml")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        String served = normalise(response.body());

        if ("true".equals(System.getenv("OPENAPI_WRITE"))) {
            Files.createDirectories(CONTRACT.getParent());
            Files.writeString(CONTRACT, served);
        }
        assertThat(CONTRACT).as("openapi/ticket-api.yaml exists").exists();
        assertThat(served)
                .as("openapi/ticket-api.yaml differs from what the service serves; regenerate it (see this test's javadoc)")
                .isEqualTo(Files.readString(CONTRACT));
    }

    /** Drops the server list (it names the random test port) and prints keys in a stable order. */
    private static String normalise(String yaml) {
        Map<String, Object> document = new Yaml().load(yaml);
        document.remove("servers");
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setWidth(120);
        return new Yaml(options).dump(sortedCopy(document));
    }

    private static Object sortedCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((key, item) -> sorted.put(String.valueOf(key), sortedCopy(item)));
            return sorted;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(OpenApiContractTest::sortedCopy).toList();
        }
        return value;
    }
}
