package io.ticketfoundry.api.transfer;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.ticketfoundry.api.experiment.ExperimentView;
import io.ticketfoundry.api.team.Caller;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Transfers of tickets to other datasets. */
@RestController
@Tag(name = "Transfers", description = "Retrain a ticket's mask and rewind weights on another dataset")
public class TransferController {

    private final TransferService transfers;

    public TransferController(TransferService transfers) {
        this.transfers = transfers;
    }

    @PostMapping("/api/v1/tickets/{id}/transfers")
    @Operation(summary = "Transfer an IMP ticket (or its whole lineage) to another dataset",
            description = "Body: {\"dataset\": target id (required), \"training\": overrides of the source's training, "
                    + "\"lineage\": true for every IMP ticket of the source's seed, \"randomTickets\": true for a random "
                    + "ticket of the same per-layer densities beside each, \"name\"}. Creates a transfer experiment "
                    + "(201) or finds the same one (200); \"targetTickets\": true also submits the source's spec on the target "
                    + "(an ordinary experiment, found if it exists) as the baseline found on the target itself; its tickets (kind transfer / transfer-random) have the source "
                    + "ticket as parent. The output layer is re-initialised and dense when the class counts differ.")
    public ResponseEntity<TransferView> transfer(@PathVariable UUID id, @RequestBody(required = false) JsonNode body) {
        TransferService.Transfer made = transfers.transfer(id, body, Caller.current());
        ExperimentView view = made.transfer().experiment();
        TransferView answer = new TransferView(view, made.target() == null ? null : made.target().experiment());
        if (made.transfer().created()) {
            return ResponseEntity.created(URI.create("/api/v1/experiments/" + view.id())).body(answer);
        }
        return ResponseEntity.status(HttpStatus.OK).body(answer);
    }

    @PostMapping("/api/v1/masks/{id}/transfers")
    @Operation(summary = "Retrain an uploaded mask on a dataset (its own or another)",
            description = "Body: {\"dataset\": id (required), \"preset\" and \"spec\": the training settings as for any "
                    + "experiment (the model is the mask's; no pruning, sparse training or controls), \"seeds\" "
                    + "(default [0]), \"randomTickets\": true for a random ticket of the same per-layer densities beside "
                    + "each, \"name\"}. Each seed trains one ticket (kind transfer, level 0, sourceMaskId = the mask) from "
                    + "the weights uploaded with the mask or, without any, from the spec's initializer under the seed; "
                    + "the output layer is re-initialised and dense when the dataset's class count differs from the "
                    + "mask's. Creates a transfer experiment (201) or finds the same one (200).")
    public ResponseEntity<ExperimentView> transferMask(@PathVariable UUID id,
            @RequestBody(required = false) JsonNode body) {
        var made = transfers.transferMask(id, body, Caller.current());
        if (made.created()) {
            return ResponseEntity.created(URI.create("/api/v1/experiments/" + made.experiment().id()))
                    .body(made.experiment());
        }
        return ResponseEntity.ok(made.experiment());
    }

    /** The transfer experiment and, when asked with {@code targetTickets}, the experiment finding tickets on the target. */
    public record TransferView(ExperimentView experiment, ExperimentView targetExperiment) {
    }
}
