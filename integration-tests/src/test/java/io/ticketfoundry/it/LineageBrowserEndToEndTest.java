package io.ticketfoundry.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.support.QueueFixtures;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.SyntheticIdx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The lineage browser in a real headless Chromium against the API and a worker: the token form,
 * the experiments list and its filter, a lineage graph with controls, a ticket's metrics, layer
 * densities, reliability diagram and mask download, a transfer's source in another experiment, a
 * running job's live progress and the comparison of two experiments.
 */
class LineageBrowserEndToEndTest {

    @RegisterExtension
    static final HeadlessChromium CHROMIUM = new HeadlessChromium();

    @RegisterExtension
    static final Deployment DEPLOYMENT = new Deployment("e2e-ui");

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Map<String, Object> TRAINING =
            Map.of("optimizer", "sgd", "learningRate", 0.05, "batchSize", 50, "epochs", 2);

    private static FoundryApi api;
    private static String member;
    private static JsonNode lottery;
    private static JsonNode halves;
    private static JsonNode transfer;
    private static List<JsonNode> lotteryTickets;

    private static ChromeDriver browser;
    private static WebDriverWait wait;
    private static Path downloads;

    @BeforeAll
    static void trainTheExperimentsTheBrowserShows() throws Exception {
        api = DEPLOYMENT.api();
        SyntheticIdx.write(DEPLOYMENT.datasets(), DatasetInfo.FASHION_MNIST, 600, 200, 11, false);
        SyntheticIdx.write(DEPLOYMENT.datasets(), DatasetInfo.MNIST, 600, 200, 12, false);
        member = api.member("e2e-ui", "ada");

        lottery = api.call("POST", "api/v1/experiments", member, Map.of("name", "browser lottery", "spec", Map.of(
                "dataset", "fashion-mnist", "training", TRAINING, "controls", List.of("reinit"),
                "pruning", Map.of("fraction", 0.2, "levels", 2))), 201);
        halves = api.call("POST", "api/v1/experiments", member, Map.of("name", "browser halves", "spec", Map.of(
                "dataset", "fashion-mnist", "training", TRAINING, "pruning", Map.of("fraction", 0.5, "levels", 1))), 201);
        api.awaitJobsSucceeded(lottery.path("id").asString(), member, 5, Duration.ofMinutes(3), () -> "");
        api.awaitJobsSucceeded(halves.path("id").asString(), member, 2, Duration.ofMinutes(3), () -> "");
        lotteryTickets = api.tickets(lottery.path("id").asString(), member);

        transfer = api.call("POST", "api/v1/tickets/" + imp(1).path("id").asString() + "/transfers", member,
                Map.of("dataset", "mnist", "randomTickets", true, "name", "browser transfer to mnist"), 201)
                .path("experiment");
        api.awaitJobsSucceeded(transfer.path("id").asString(), member, 2, Duration.ofMinutes(3), () -> "");

        Files.createDirectories(SCREENSHOTS);
        downloads = DEPLOYMENT.scratch("downloads");
        browser = CHROMIUM.open(downloads, 1440, 1100);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        pasteTheToken();
    }

    /** The page asks for a token first; it stays in the tab's sessionStorage, never in a URL. */
    private static void pasteTheToken() {
        browser.get(api.base().resolve("ui/").toString());
        WebElement token = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        token.sendKeys(member);
        browser.findElement(By.cssSelector(".token-form button[type=submit]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#experiments tr[data-experiment-id]")));
        assertThat(browser.getCurrentUrl()).doesNotContain(member);
        assertThat(js("return sessionStorage.getItem('tf.token')")).isEqualTo(member);
    }

    @AfterAll
    static void closeTheBrowserAndCancelWhatRuns() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        // the worker stops with the deployment; a cancelled long run lets it stop at once
        if (api != null && member != null) {
            for (JsonNode job : api.call("GET", "api/v1/jobs?status=leased", member, null, 200).path("items")) {
                api.call("POST", "api/v1/jobs/" + job.path("id").asString() + "/cancel", member, null, 200);
            }
        }
    }

    @AfterEach
    void noScriptErrors() {
        List<String> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
        assertThat(severe).as("console errors (script errors, CSP violations, failed requests)").isEmpty();
    }

    /** Loads the page afresh at {@code route} (a hash such as {@code #/experiments/…}). */
    private static void open(String route) {
        browser.get("about:blank");
        browser.get(api.base().resolve("ui/" + route).toString());
    }

    @Test
    void theLineageGraphShowsTicketsControlsAndEdgesAndATicketsMetricsDensitiesDiagramAndMask() throws Exception {
        String experimentId = lottery.path("id").asString();
        open("#/");
        WebElement filter = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("experiment-filter")));
        wait.until(driver -> !experimentRows().isEmpty());
        filter.sendKeys("lottery");
        wait.until(driver -> experimentRows().size() == 1);
        filter.clear();
        filter.sendKeys(Keys.SPACE, Keys.BACK_SPACE);
        int all = api.call("GET", "api/v1/experiments", member, null, 200).path("total").asInt();
        wait.until(driver -> experimentRows().size() == all);
        browser.findElement(By.linkText("browser lottery")).click();

        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("svg.lineage g.node")));
        JsonNode lineage = api.call("GET", "api/v1/experiments/" + experimentId + "/lineage", member, null, 200);
        assertThat(lineage.path("nodes")).hasSize(5);
        assertThat(graphNodes()).isEqualTo(apiNodes(lineage))
                .extracting(node -> node.split(" ")[1])
                .containsExactlyInAnyOrder("imp", "imp", "imp", "control-reinit", "control-reinit");
        assertThat(graphEdges()).isEqualTo(apiEdges(lineage))
                .extracting(edge -> edge.split(" ")[2]).containsExactlyInAnyOrder("prune", "prune", "control", "control");

        // the keyboard reaches a ticket as well as the mouse
        JsonNode control = lotteryTickets.stream().filter(t -> t.path("kind").asString().equals("control-reinit")
                && t.path("level").asInt() == 2).findFirst().orElseThrow();
        node(control.path("id").asString()).sendKeys(Keys.ENTER);
        awaitPanel(control);

        JsonNode ticket = imp(1);
        String ticketId = ticket.path("id").asString();
        node(ticketId).click();
        awaitPanel(ticket);
        assertThat(browser.getCurrentUrl()).endsWith("#/experiments/" + experimentId + "/tickets/" + ticketId);
        assertThat(node(ticketId).getAttribute("class")).contains("selected");

        for (JsonNode metric : ticket.path("metrics")) {
            WebElement row = browser.findElement(By.cssSelector("#ticket-metrics tr[data-metric='"
                    + metric.path("name").asString() + "']"));
            assertThat(row.findElement(By.cssSelector("td.value")).getText()).as(metric.path("name").asString())
                    .isEqualTo(String.format(Locale.ROOT, "%.4f", metric.path("value").asDouble()));
        }
        assertThat(browser.findElements(By.cssSelector("#ticket-metrics tbody tr"))).hasSize(ticket.path("metrics").size());
        assertThat(ticket.path("layers").properties()).hasSize(3);
        ticket.path("layers").properties().forEach(layer -> {
            WebElement row = browser.findElement(By.cssSelector("#layer-densities tr[data-layer='" + layer.getKey() + "']"));
            assertThat(row.findElement(By.cssSelector("td.kept")).getText()).as(layer.getKey()).isEqualTo(
                    String.format(Locale.US, "%,d / %,d", layer.getValue().path("remaining").asLong(),
                            layer.getValue().path("total").asLong()));
            assertThat(row.findElement(By.cssSelector("td.density")).getText()).isEqualTo(
                    String.format(Locale.ROOT, "%.2f%%", 100 * layer.getValue().path("density").asDouble()));
        });
        WebElement diagram = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("reliability-image")));
        wait.until(driver -> Boolean.TRUE.equals(js("return arguments[0].complete && arguments[0].naturalWidth > 0", diagram)));
        assertThat(((Number) js("return arguments[0].naturalWidth", diagram)).intValue()).isEqualTo(800);
        assertThat(diagram.getAttribute("src")).startsWith("blob:");

        browser.findElement(By.cssSelector("button.download[data-file='mask']")).click();
        Path mask = awaitDownload(ticketId + "-mask.safetensors");
        byte[] fromApi = api.download("api/v1/tickets/" + ticketId + "/mask", member, null).body();
        assertThat(QueueFixtures.sha256(Files.readAllBytes(mask)))
                .isEqualTo(ticket.path("artifacts").path("mask").path("sha256").asString())
                .isEqualTo(QueueFixtures.sha256(fromApi));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("download-status"), "Saved"));

        js("window.scrollTo(0, 0); document.getElementById('ticket-panel').scrollTop = 0");
        screenshot("lineage-browser.png");
    }

    @Test
    void aTransferShowsItsSourceInTheOtherExperimentAndLinksToIt() throws Exception {
        String source = imp(1).path("id").asString();
        open("#/experiments/" + transfer.path("id").asString());
        WebElement external = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("svg.lineage a.node.external[data-ticket-id='" + source + "']")));
        assertThat(external.getText()).contains("browser lottery").contains("L1");
        assertThat(external.getDomAttribute("href"))
                .isEqualTo("#/experiments/" + lottery.path("id").asString() + "/tickets/" + source);
        assertThat(browser.findElements(By.cssSelector("svg.lineage g.node")))
                .extracting(node -> node.getAttribute("data-kind")).containsExactlyInAnyOrder("transfer", "transfer-random");
        assertThat(browser.findElements(By.cssSelector("svg.lineage path.edge-transfer")))
                .extracting(edge -> edge.getAttribute("data-from")).containsExactly(source, source);
        assertThat(browser.findElement(By.id("experiment-title")).getText()).contains("browser transfer to mnist");

        WebElement transferred = browser.findElement(By.cssSelector("svg.lineage g.node[data-kind='transfer']"));
        transferred.click();
        WebElement parent = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#ticket-panel a.source-link")));
        assertThat(parent.getText()).contains("browser lottery");
        screenshot("transfer.png");

        external.click();
        wait.until(ExpectedConditions.urlContains("#/experiments/" + lottery.path("id").asString() + "/tickets/" + source));
        awaitPanel(imp(1));
        assertThat(node(source).getAttribute("class")).contains("selected");
    }

    @Test
    void aRunningJobsProgressUpdatesLiveUntilItIsCancelled() throws Exception {
        JsonNode run = api.call("POST", "api/v1/experiments", member, Map.of("name", "browser long run", "spec", Map.of(
                "dataset", "fashion-mnist", "training", Map.of("epochs", 5000, "batchSize", 100),
                "pruning", Map.of("levels", 1))), 201);
        String runId = run.path("id").asString();
        open("#/experiments/" + runId);
        By epochText = By.cssSelector("#jobs-active tr[data-status='leased'] .progress-text");
        Pattern epoch = Pattern.compile("epoch (\\d+)/5000");
        wait.until(driver -> driver.findElements(epochText).stream().anyMatch(e -> epoch.matcher(e.getText()).find()));
        WebElement row = browser.findElement(By.cssSelector("#jobs-active tr[data-status='leased']"));
        assertThat(row.findElement(By.cssSelector("td.phase")).getText()).isEqualTo("train");
        int first = epochOf(browser.findElement(epochText).getText(), epoch);
        // the page polls: a later epoch appears without a reload
        wait.until(driver -> epochOf(driver.findElement(epochText).getText(), epoch) > first);
        assertThat(((Number) js("return document.querySelector('#jobs-active progress').max")).intValue()).isEqualTo(5000);
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#experiment-title .badge"), "running"));
        screenshot("job-progress.png");

        String jobId = api.jobs(runId, member).get(0).path("id").asString();
        api.call("POST", "api/v1/jobs/" + jobId + "/cancel", member, null, 200);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("job-summary"), "1 cancelled"));
        assertThat(browser.findElements(By.cssSelector("#jobs-active tbody tr"))).isEmpty();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#experiment-title .badge"), "cancelled"));
    }

    @Test
    void twoExperimentsAreComparedAsCurvesAndATable() throws Exception {
        String ids = lottery.path("id").asString() + "," + halves.path("id").asString();
        open("#/");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-experiment-id] input[type=checkbox]")));
        browser.findElement(By.cssSelector("tr[data-experiment-id='" + lottery.path("id").asString()
                + "'] input[type=checkbox]")).click();
        browser.findElement(By.cssSelector("tr[data-experiment-id='" + halves.path("id").asString()
                + "'] input[type=checkbox]")).click();
        browser.findElement(By.xpath("//button[starts-with(normalize-space(), 'Compare selected')]")).click();
        wait.until(ExpectedConditions.urlContains("#/compare?experiments=" + ids));

        WebElement table = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("comparison-table")));
        JsonNode comparison = api.call("GET", "api/v1/comparisons?experiments=" + ids + "&metrics=accuracy,ece", member,
                null, 200);
        assertThat(table.findElements(By.cssSelector("tbody tr"))).hasSize(comparison.path("levels").size()).hasSize(3);
        // the halves stop at level 1: their level-2 cell is empty
        for (JsonNode level : comparison.path("levels")) {
            List<WebElement> accuracy = table.findElements(By.cssSelector("tr[data-level='" + level.path("level").asInt()
                    + "'] td[data-metric='accuracy']"));
            assertThat(accuracy).hasSize(2);
            for (int i = 0; i < 2; i++) {
                JsonNode value = level.path("experiments").get(i).path("metrics").path("accuracy");
                assertThat(accuracy.get(i).getText()).isEqualTo(value.path("n").asInt() == 0 ? "–"
                        : String.format(Locale.ROOT, "%.4f (n %d)", value.path("mean").asDouble(), value.path("n").asInt()));
            }
        }
        for (String metric : List.of("accuracy", "ece")) {
            wait.until(driver -> js("return window.Chart && Chart.getChart('chart-" + metric + "') ? "
                    + "Chart.getChart('chart-" + metric + "').data.datasets.length : 0").equals(2L));
            assertThat(js("return Chart.getChart('chart-" + metric + "').data.datasets.map(d => d.data.length)"))
                    .isEqualTo(List.of(3L, 2L));
        }
        screenshot("comparison.png");
    }

    private static JsonNode imp(int level) {
        return lotteryTickets.stream().filter(t -> t.path("kind").asString().equals("imp") && t.path("level").asInt() == level)
                .findFirst().orElseThrow();
    }

    private static List<WebElement> experimentRows() {
        return browser.findElements(By.cssSelector("#experiments tbody tr[data-experiment-id]"));
    }

    private static WebElement node(String ticketId) {
        return browser.findElement(By.cssSelector("svg.lineage .node[data-ticket-id='" + ticketId + "']"));
    }

    private static void awaitPanel(JsonNode ticket) {
        wait.until(ExpectedConditions.attributeToBe(By.id("ticket-panel"), "data-ticket-id", ticket.path("id").asString()));
        assertThat(browser.findElement(By.id("ticket-title")).getText())
                .contains("L" + ticket.path("level").asInt()).contains("seed " + ticket.path("seed").asLong());
    }

    private static Set<String> graphNodes() {
        Set<String> nodes = new HashSet<>();
        for (WebElement node : browser.findElements(By.cssSelector("svg.lineage g.node:not(.external)"))) {
            nodes.add(node.getAttribute("data-ticket-id") + " " + node.getAttribute("data-kind") + " "
                    + node.getAttribute("data-level"));
        }
        return nodes;
    }

    private static Set<String> apiNodes(JsonNode lineage) {
        Set<String> nodes = new HashSet<>();
        lineage.path("nodes").forEach(node -> nodes.add(node.path("id").asString() + " " + node.path("kind").asString()
                + " " + node.path("level").asInt()));
        return nodes;
    }

    private static Set<String> graphEdges() {
        Set<String> edges = new HashSet<>();
        for (WebElement edge : browser.findElements(By.cssSelector("svg.lineage path.edge"))) {
            edges.add(edge.getAttribute("data-from") + " " + edge.getAttribute("data-to") + " "
                    + edge.getAttribute("data-kind"));
        }
        return edges;
    }

    private static Set<String> apiEdges(JsonNode lineage) {
        Set<String> edges = new HashSet<>();
        lineage.path("edges").forEach(edge -> edges.add(edge.path("from").asString() + " " + edge.path("to").asString()
                + " " + edge.path("kind").asString()));
        return edges;
    }

    private static int epochOf(String text, Pattern epoch) {
        Matcher matcher = epoch.matcher(text);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    /** Waits for the browser to finish writing {@code name} into the download folder. */
    private static Path awaitDownload(String name) {
        Path file = downloads.resolve(name);
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(driver -> {
            try (Stream<Path> files = Files.list(downloads)) {
                return Files.isRegularFile(file) && files.noneMatch(p -> p.toString().endsWith(".crdownload"));
            } catch (java.io.IOException e) {
                return false;
            }
        });
        return file;
    }

    private static Object js(String script, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(script, arguments);
    }

    private static void screenshot(String name) throws Exception {
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
