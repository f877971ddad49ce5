package io.ticketfoundry.api.ticket;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.ticket.TicketService.TicketFile;
import java.util.UUID;
import org.springframework.core.io.Resource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Tickets, their lineage and their files; readable by every role of the experiment's team. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Tickets", description = "Tickets, lineage and downloads of masks and checkpoints")
public class TicketController {

    private final TicketService tickets;

    public TicketController(TicketService tickets) {
        this.tickets = tickets;
    }

    @GetMapping("/experiments/{experimentId}/tickets")
    @Operation(summary = "List an experiment's tickets, optionally of one replicate seed")
    public TicketViews.TicketList list(@PathVariable UUID experimentId, @RequestParam(required = false) Long seed) {
        return tickets.list(experimentId, seed, Caller.current());
    }

    @GetMapping("/experiments/{experimentId}/lineage")
    @Operation(summary = "An experiment's ticket lineage as a graph: tickets as nodes, pruning steps as edges")
    public TicketViews.Lineage lineage(@PathVariable UUID experimentId) {
        return tickets.lineage(experimentId, Caller.current());
    }

    @GetMapping("/tickets/{id}")
    @Operation(summary = "One ticket: sparsity, densities, metrics, provenance and artifact links")
    public TicketViews.Ticket get(@PathVariable UUID id) {
        return tickets.get(id, Caller.current());
    }

    @GetMapping("/tickets/{id}/mask")
    @Operation(summary = "Download the ticket's mask (safetensors, U8); ETag and Range supported")
    public ResponseEntity<Resource> mask(@PathVariable UUID id) {
        return tickets.download(id, TicketFile.MASK, Caller.current());
    }

    @GetMapping("/tickets/{id}/rewind")
    @Operation(summary = "Download the ticket's rewind-point weights (safetensors, F32); ETag and Range supported")
    public ResponseEntity<Resource> rewind(@PathVariable UUID id) {
        return tickets.download(id, TicketFile.REWIND, Caller.current());
    }

    @GetMapping("/tickets/{id}/weights")
    @Operation(summary = "Download the ticket's trained weights (safetensors, F32); ETag and Range supported")
    public ResponseEntity<Resource> weights(@PathVariable UUID id) {
        return tickets.download(id, TicketFile.WEIGHTS, Caller.current());
    }
}
