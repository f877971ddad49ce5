package io.ticketfoundry.api.evaluation;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.ticketfoundry.api.job.JobViews;
import io.ticketfoundry.api.team.Caller;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Jobs on an existing ticket: score it on other data, calibrate it post hoc. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Evaluation", description = "Evaluate tickets on any registered dataset and calibrate them post hoc")
public class TicketJobController {

    private final TicketJobService service;

    public TicketJobController(TicketJobService service) {
        this.service = service;
    }

    @PostMapping("/tickets/{id}/evaluations")
    @Operation(summary = "Queue an evaluate job: every metric of the ticket on a dataset split or one half of it",
            description = "Body: {\"data\": {\"dataset\", \"split\", \"half\", \"seed\"}, \"evaluation\": {\"eceBins\", "
                    + "\"eceEdges\", \"binning\"}}, all optional (default: the experiment's dataset, test split, its "
                    + "evaluation settings). The metrics are attached to the ticket with the dataset and split named. "
                    + "Optional robustness parts: \"ood\" ({dataset, split, half, seed} or {gaussianNoise: {count, "
                    + "seed, mean, std}}; ood-auroc), \"fgsm\" ({epsilons: [...]}; fgsm-accuracy per ε), "
                    + "\"corruptions\" ([{dataset, split, corruption, severity}]; metrics per set and mce) with "
                    + "\"referenceTicketId\" (default: the experiment's dense level-0 ticket of the same seed); "
                    + "see docs/metrics.md. "
                    + "202 with the new job; 200 with the existing one when the same request was made before.")
    public ResponseEntity<JobViews.Job> evaluate(@PathVariable UUID id, @RequestBody(required = false) JsonNode body) {
        return answer(service.evaluate(id, body, Caller.current()));
    }

    @PostMapping("/tickets/{id}/calibrations")
    @Operation(summary = "Queue a calibrate job: temperature scaling fitted on held-out data, as a new ticket",
            description = "Body: {\"method\": \"temperature\", \"fit\": {data}, \"evaluate\": {data}, \"evaluation\": {...}}, "
                    + "all optional. Default data: the validation split to fit and the test split to report when the "
                    + "dataset has one, otherwise half a of the test split to fit and half b to report. The calibrated "
                    + "ticket (kind calibrated, parent = this ticket) holds the temperature folded into the output "
                    + "layer; metrics before are attached to this ticket, after to the new one, on the same data.")
    public ResponseEntity<JobViews.Job> calibrate(@PathVariable UUID id, @RequestBody(required = false) JsonNode body) {
        return answer(service.calibrate(id, body, Caller.current()));
    }

    @PostMapping("/experiments/{id}/evaluations")
    @Operation(summary = "Queue an evaluate job for every IMP ticket of the experiment (the body as for one ticket)",
            description = "All queued in one transaction, or none when the body is invalid. 202 when any job was "
                    + "created, 200 when every ticket already had the same request.")
    public ResponseEntity<TicketJobService.BatchSubmitted> evaluateAll(@PathVariable UUID id,
            @RequestBody(required = false) JsonNode body) {
        return answer(service.evaluateExperiment(id, body, Caller.current()));
    }

    @PostMapping("/experiments/{id}/calibrations")
    @Operation(summary = "Queue a calibrate job for every IMP ticket of the experiment (the body as for one ticket)",
            description = "All queued in one transaction, or none when the body is invalid. 202 when any job was "
                    + "created, 200 when every ticket already had the same request. Compare the results with "
                    + "GET /api/v1/comparisons?ticketKind=calibrated&split=test:half-b (the default evaluation data).")
    public ResponseEntity<TicketJobService.BatchSubmitted> calibrateAll(@PathVariable UUID id,
            @RequestBody(required = false) JsonNode body) {
        return answer(service.calibrateExperiment(id, body, Caller.current()));
    }

    private static ResponseEntity<TicketJobService.BatchSubmitted> answer(TicketJobService.BatchSubmitted batch) {
        return ResponseEntity.status(batch.created() > 0 ? HttpStatus.ACCEPTED : HttpStatus.OK).body(batch);
    }

    private static ResponseEntity<JobViews.Job> answer(TicketJobService.Submitted submitted) {
        URI location = URI.create("/api/v1/jobs/" + submitted.job().id());
        return ResponseEntity.status(submitted.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                .location(location).body(submitted.job());
    }
}
