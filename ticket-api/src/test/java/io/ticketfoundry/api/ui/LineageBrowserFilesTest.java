package io.ticketfoundry.api.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.IntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The lineage browser's files are served without a token, with a strict CSP; the API behind them still needs one. */
@IntegrationTest
class LineageBrowserFilesTest {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageAndItsModulesLoadWithoutATokenUnderAContentSecurityPolicy() throws Exception {
        HttpResponse<String> page = get("/ui/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(page.body()).contains("<script type=\"module\" src=\"js/main.js\"></script>");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(UiConfig.CONTENT_SECURITY_POLICY);
        assertThat(UiConfig.CONTENT_SECURITY_POLICY).contains("script-src 'self'").doesNotContain("unsafe");

        for (String module : new String[] {"main", "api", "dom", "experiments", "experiment", "lineage", "ticket",
                "progress", "compare"}) {
            HttpResponse<String> script = get("/ui/js/" + module + ".js");
            assertThat(script.statusCode()).as(module).isEqualTo(200);
            assertThat(script.headers().firstValue("Content-Type")).as(module)
                    .hasValueSatisfying(v -> assertThat(v).contains("javascript"));
        }
        assertThat(get("/ui/app.css").statusCode()).isEqualTo(200);
        assertThat(get("/ui/index.html").body()).isEqualTo(page.body());
    }

    @Test
    void theRootAndBareUiPathLeadToThePage() throws Exception {
        for (String path : new String[] {"/", "/ui"}) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(302);
            assertThat(response.headers().firstValue("Location")).as(path)
                    .hasValueSatisfying(v -> assertThat(v).endsWith("/ui/"));
        }
    }

    @Test
    void chartJsComesFromItsWebjarAtAVersionFreePath() throws Exception {
        HttpResponse<String> chart = get("/webjars/chart.js/dist/chart.umd.js");
        assertThat(chart.statusCode()).isEqualTo(200);
        assertThat(chart.body()).contains("Chart.js v4");
    }

    @Test
    void theApiBehindThePageStillNeedsAToken() throws Exception {
        assertThat(get("/api/v1/experiments").statusCode()).isEqualTo(401);
        // the firewall refuses a path that climbs out of /ui/ before any permit applies
        assertThat(get("/ui/../api/v1/experiments").statusCode()).isEqualTo(400);
    }
}
