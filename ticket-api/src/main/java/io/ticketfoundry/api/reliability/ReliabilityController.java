package io.ticketfoundry.api.reliability;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.ticketfoundry.api.metric.MetricScope;
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

/** A ticket's reliability diagram as PNG or SVG. */
@RestController
@RequestMapping("/api/v1/tickets/{id}/plots")
@Tag(name = "Plots", description = "Figures drawn from a ticket's recorded metrics")
public class ReliabilityController {

    static final int WIDTH = 800;
    static final int HEIGHT = 760;

    private static final String DESCRIPTION = "Bars of each bin's accuracy over the bin's confidence range, the gap to "
            + "its mean confidence shaded and the mean confidence marked, the diagonal, and the samples per bin below; "
            + "the title gives the ECE, the bin count and edge rule recorded with it. The ECE row is the ticket's on the "
            + "dataset and split, measured by the ticket's own job if it was, else the most recent. 404 when the ticket "
            + "has no ECE there.";
    private static final String DATASET = "default: the experiment's spec dataset";
    private static final String SPLIT = "default: test";
    private static final String WIDTH_DOC = "image width in pixels, 200 to 4000; default 800";
    private static final String HEIGHT_DOC = "image height in pixels, 200 to 4000; default 760";

    private final ReliabilityService reliability;

    public ReliabilityController(ReliabilityService reliability) {
        this.reliability = reliability;
    }

    @GetMapping("/reliability.png")
    @Operation(summary = "The ticket's reliability diagram as PNG", description = DESCRIPTION)
    @ApiResponse(responseCode = "200", description = "the diagram",
            content = @Content(mediaType = "image/png", schema = @Schema(type = "string", format = "binary")))
    public ResponseEntity<byte[]> reliabilityPng(@PathVariable UUID id,
            @Parameter(description = DATASET) @RequestParam(required = false) String dataset,
            @Parameter(description = SPLIT) @RequestParam(required = false) String split,
            @Parameter(description = WIDTH_DOC) @RequestParam(required = false) Integer width,
            @Parameter(description = HEIGHT_DOC) @RequestParam(required = false) Integer height) {
        return plot(ImageFormat.PNG, id, dataset, split, width, height);
    }

    @GetMapping("/reliability.svg")
    @Operation(summary = "The ticket's reliability diagram as SVG", description = DESCRIPTION)
    @ApiResponse(responseCode = "200", description = "the diagram",
            content = @Content(mediaType = "image/svg+xml", schema = @Schema(type = "string")))
    public ResponseEntity<byte[]> reliabilitySvg(@PathVariable UUID id,
            @Parameter(description = DATASET) @RequestParam(required = false) String dataset,
            @Parameter(description = SPLIT) @RequestParam(required = false) String split,
            @Parameter(description = WIDTH_DOC) @RequestParam(required = false) Integer width,
            @Parameter(description = HEIGHT_DOC) @RequestParam(required = false) Integer height) {
        return plot(ImageFormat.SVG, id, dataset, split, width, height);
    }

    private ResponseEntity<byte[]> plot(ImageFormat format, UUID id, String dataset, String split, Integer width,
            Integer height) {
        List<FieldProblem> problems = new ArrayList<>();
        MetricScope scope = MetricScope.read(dataset, split, problems);
        ImageSize size = ImageResponses.readSize(width, height, WIDTH, HEIGHT, problems);
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        byte[] image = reliability.plot(Caller.current(), id, scope, format, size);
        return ImageResponses.image(format, image, id + "-reliability");
    }
}
