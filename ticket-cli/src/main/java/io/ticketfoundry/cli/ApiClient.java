package io.ticketfoundry.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A user's calls to ticket-api with a bearer token; answers as JSON trees. */
final class ApiClient {

    private final URI baseUri;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    ApiClient(URI baseUri, String token) {
        this.baseUri = baseUri;
        this.token = token;
    }

    URI baseUri() {
        return baseUri;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return parse(send(request(path).GET().build()), 200);
    }

    JsonNode post(String path, Object body, int... accepted) throws IOException, InterruptedException {
        String text = body instanceof String s ? s : json.writeValueAsString(body);
        HttpRequest request = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text)).build();
        return parse(send(request), accepted.length == 0 ? new int[] {200, 201} : accepted);
    }

    /** The experiment ids of a sweep, in grid order. */
    java.util.List<String> sweepExperiments(String sweepId) throws IOException, InterruptedException {
        java.util.List<String> ids = new java.util.ArrayList<>();
        get("api/v1/sweeps/" + sweepId).path("experiments").forEach(entry -> ids.add(entry.path("experimentId").asString()));
        return ids;
    }

    /** Saves the body of a GET (an image, a file) to {@code target}; fails on any status but 200. */
    void download(String path, java.nio.file.Path target) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(baseUri.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new ApiError(response.statusCode(), new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        java.nio.file.Files.write(target, response.body());
    }

    /** Status code of a GET without a token, for probes. */
    int probe(String path) {
        try {
            return http.send(HttpRequest.newBuilder(baseUri.resolve(path)).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Status code of an authenticated GET. */
    int probeWithToken(String path) {
        try {
            return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    JsonMapper json() {
        return json;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(baseUri.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode parse(HttpResponse<String> response, int... accepted) {
        for (int status : accepted) {
            if (response.statusCode() == status) {
                return response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
            }
        }
        throw new ApiError(response.statusCode(), response.body());
    }

    static final class ApiError extends RuntimeException {
        final int status;

        ApiError(int status, String body) {
            super("ticket-api answered " + status + ": " + body);
            this.status = status;
        }
    }
}
