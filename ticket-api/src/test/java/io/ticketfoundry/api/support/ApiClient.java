package io.ticketfoundry.api.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for the integration tests: JSON in, status and JSON out. */
public final class ApiClient {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    public ApiClient(int port) {
        this.base = "http://localhost:" + port;
    }

    /** A response: status, headers and the body parsed as JSON (an empty object when there is none). */
    public record Response(int status, HttpResponse<String> raw, JsonNode body) {
        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }

        /** The {@code field} of every entry of a problem's {@code errors}. */
        public java.util.List<String> errorFields() {
            java.util.List<String> out = new java.util.ArrayList<>();
            body.path("errors").forEach(error -> out.add(error.path("field").asString()));
            return out;
        }

        @Override
        public String toString() {
            return status + " " + raw.body();
        }
    }

    public Response get(String token, String path) {
        return send(token, "GET", path, null);
    }

    public Response post(String token, String path, String json) {
        return send(token, "POST", path, json);
    }

    public Response delete(String token, String path) {
        return send(token, "DELETE", path, null);
    }

    public Response send(String token, String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            JsonNode parsed = body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
            return new Response(response.statusCode(), response, parsed);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- fixtures through the API ------------------------------------------------------------

    /** A new team (unique name) created by the platform admin; returns its id. */
    public UUID createTeam(String namePrefix) {
        Response response = post(ApiTestSupport.ADMIN_TOKEN, "/api/v1/teams",
                "{\"name\":\"" + namePrefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "\"}");
        if (response.status() != 201) {
            throw new IllegalStateException("could not create a team: " + response);
        }
        return UUID.fromString(response.body().path("id").asString());
    }

    /** A token of {@code teamId} with {@code role}, issued by the platform admin; returns its value. */
    public String teamToken(UUID teamId, String role) {
        Response response = post(ApiTestSupport.ADMIN_TOKEN, "/api/v1/teams/" + teamId + "/tokens",
                "{\"name\":\"" + role + " token\",\"role\":\"" + role + "\"}");
        if (response.status() != 201) {
            throw new IllegalStateException("could not issue a token: " + response);
        }
        return response.body().path("token").asString();
    }

    public String workerToken(String pool) {
        Response response = post(ApiTestSupport.ADMIN_TOKEN, "/api/v1/worker-tokens",
                "{\"name\":\"worker\",\"pool\":\"" + pool + "\"}");
        if (response.status() != 201) {
            throw new IllegalStateException("could not issue a worker token: " + response);
        }
        return response.body().path("token").asString();
    }
}
