package io.ticketfoundry.api.comparison;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.ticketfoundry.api.comparison.ComparisonViews.Comparison;
import io.ticketfoundry.api.plot.ImageFormat;
import io.ticketfoundry.api.plot.ImageSize;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.web.ApiException;
import io.ticketfoundry.api.web.FieldProblem;
import io.ticketfoundry.api.web.ImageResponses;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Experiments side by side per IMP level, as JSON and as the lottery-ticket papers' figure. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Comparisons", description = "Experiments side by side per sparsity level: mean ± std over seeds, and plots")
public class ComparisonController {

    private static final String EXPERIMENTS = "1 to 12 experiment ids, comma-separated; every one readable by the token";
    private static final String METRICS = "comma-separated metric names (accuracy, accuracy-top5, per-class-accuracy, "
            + "ece, nll, brier, sce); default accuracy,ece,nll,brier";
    private static final String DATASET = "the dataset whose metrics are used; default each experiment's own spec dataset";
    private static final String SPLIT = "the split whose metrics are used; default test";
    private static final String KIND = "imp (default), control-reinit, control-layer-permuted, control-global-permuted or "
            + "calibrated";
    private static final String WIDTH = "image width in pixels, 200 to 4000; default 900";
    private static final String HEIGHT = "image height in pixels, 200 to 4000; default 160 + 220 per metric";
    private static final String SELECTION = " A ticket's value of a metric is its row on the dataset and split measured "
            + "by the ticket's own job, else the most recent one. Seeds are aggregated as mean and sample std (n − 1; "
            + "null when n < 2).";
    private static final String FIGURE = " One panel per metric over a shared axis of remaining weights (%, log scale, "
            + "sparser to the right), one line per experiment at the mean with a band of ±1 std.";

    private final ComparisonService comparisons;

    public ComparisonController(ComparisonService comparisons) {
        this.comparisons = comparisons;
    }

    @GetMapping("/comparisons")
    @Operation(summary = "Compare experiments per IMP level", description = "Each level row holds one cell per "
            + "experiment with its tickets' mean remaining fraction and, per metric, mean, std, n and every seed's value."
            + SELECTION)
    public Comparison compare(
            @Parameter(description = EXPERIMENTS, required = true) @RequestParam(required = false) String experiments,
            @Parameter(description = METRICS) @RequestParam(required = false) String metrics,
            @Parameter(description = DATASET) @RequestParam(required = false) String dataset,
            @Parameter(description = SPLIT) @RequestParam(required = false) String split,
            @Parameter(description = KIND) @RequestParam(required = false) String ticketKind) {
        List<FieldProblem> problems = new ArrayList<>();
        ComparisonQuery query = ComparisonQuery.read(experiments, metrics, dataset, split, ticketKind, problems);
        throwIfAny(problems);
        return comparisons.compare(Caller.current(), query);
    }

    @GetMapping("/comparisons/plot.png")
    @Operation(summary = "Comparison figure as PNG", description = "The comparison of GET /comparisons drawn." + FIGURE
            + SELECTION)
    @ApiResponse(responseCode = "200", description = "the figure",
            content = @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")))
    public ResponseEntity<byte[]> comparisonPng(
            @Parameter(description = EXPERIMENTS, required = true) @RequestParam(required = false) String experiments,
            @Parameter(description = METRICS) @RequestParam(required = false) String metrics,
            @Parameter(description = DATASET) @RequestParam(required = false) String dataset,
            @Parameter(description = SPLIT) @RequestParam(required = false) String split,
            @Parameter(description = KIND) @RequestParam(required = false) String ticketKind,
            @Parameter(description = WIDTH) @RequestParam(required = false) Integer width,
            @Parameter(description = HEIGHT) @RequestParam(required = false) Integer height) {
        return comparisonPlot(ImageFormat.PNG, experiments, metrics, dataset, split, ticketKind, width, height);
    }

    @GetMapping("/comparisons/plot.svg")
    @Operation(summary = "Comparison figure as SVG", description = "The comparison of GET /comparisons drawn." + FIGURE
            + SELECTION)
    @ApiResponse(responseCode = "200", description = "the figure",
            content = @Content(mediaType = "image/svg+xml", schema = @Schema(type = "string")))
    public ResponseEntity<byte[]> comparisonSvg(
            @Parameter(description = EXPERIMENTS, required = true) @RequestParam(required = false) String experiments,
            @Parameter(description = METRICS) @RequestParam(required = false) String metrics,
            @Parameter(description = DATASET) @RequestParam(required = false) String dataset,
            @Parameter(description = SPLIT) @RequestParam(required = false) String split,
            @Parameter(description = KIND) @RequestParam(required = false) String ticketKind,
            @Parameter(description = WIDTH) @RequestParam(required = false) Integer width,
            @Parameter(description = HEIGHT) @RequestParam(required = false) Integer height) {
        return comparisonPlot(ImageFormat.SVG, experiments, metrics, dataset, split, ticketKind, width, height);
    }

    @GetMapping("/experiments/{id}/plots/metrics.png")
    @Operation(summary = "One experiment's metrics against remaining weights, as PNG",
            description = "The comparison figure of this experiment alone." + FIGURE + SELECTION)
    @ApiResponse(responseCode = "200", description = "the figure",
            content = @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")))
    public ResponseEntity<byte[]> experimentMetricsPng(@PathVariable UUID id,
            @Parameter(description = METRICS) @RequestParam(required = false) String metrics,
            @Parameter(description = DATASET) @RequestParam(required = false) String dataset,
            @Parameter(description = SPLIT) @RequestParam(required = false) String split,
            @Parameter(description = KIND) @RequestParam(required = false) String ticketKind,
            @Parameter(description = WIDTH) @RequestParam(required = false) Integer width,
            @Parameter(description = HEIGHT) @RequestParam(required = false) Integer height) {
        return experimentPlot(ImageFormat.PNG, id, metrics, dataset, split, ticketKind, width, height);
    }

    @GetMapping("/experiments/{id}/plots/metrics.svg")
    @Operation(summary = "One experiment's metrics against remaining weights, as SVG",
            description = "The comparison figure of this experiment alone." + FIGURE + SELECTION)
    @ApiResponse(responseCode = "200", description = "the figure",
            content = @Content(mediaType = "image/svg+xml", schema = @Schema(type = "string")))
    public ResponseEntity<byte[]> experimentMetricsSvg(@PathVariable UUID id,
            @Parameter(description = METRICS) @RequestParam(required = false) String metrics,
            @Parameter(description = DATASET) @RequestParam(required = false) String dataset,
            @Parameter(description = SPLIT) @RequestParam(required = false) String split,
            @Parameter(description = KIND) @RequestParam(required = false) String ticketKind,
            @Parameter(description = WIDTH) @RequestParam(required = false) Integer width,
            @Parameter(description = HEIGHT) @RequestParam(required = false) Integer height) {
        return experimentPlot(ImageFormat.SVG, id, metrics, dataset, split, ticketKind, width, height);
    }

    private ResponseEntity<byte[]> comparisonPlot(ImageFormat format, String experiments, String metrics, String dataset,
            String split, String ticketKind, Integer width, Integer height) {
        List<FieldProblem> problems = new ArrayList<>();
        ComparisonQuery query = ComparisonQuery.read(experiments, metrics, dataset, split, ticketKind, problems);
        ImageSize size = size(query, width, height, problems);
        throwIfAny(problems);
        return ImageResponses.image(format, comparisons.plot(Caller.current(), query, format, size), "comparison");
    }

    private ResponseEntity<byte[]> experimentPlot(ImageFormat format, UUID id, String metrics, String dataset,
            String split, String ticketKind, Integer width, Integer height) {
        List<FieldProblem> problems = new ArrayList<>();
        ComparisonQuery query = ComparisonQuery.readFor(id, metrics, dataset, split, ticketKind, problems);
        ImageSize size = size(query, width, height, problems);
        throwIfAny(problems);
        return ImageResponses.image(format, comparisons.plot(Caller.current(), query, format, size), id + "-metrics");
    }

    private static ImageSize size(ComparisonQuery query, Integer width, Integer height, List<FieldProblem> problems) {
        int panels = query != null ? query.metrics().size() : ComparisonQuery.DEFAULT_METRICS.size();
        return ImageResponses.readSize(width, height, ComparisonFigure.WIDTH, ComparisonFigure.defaultHeight(panels), problems);
    }

    private static void throwIfAny(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
    }
}
