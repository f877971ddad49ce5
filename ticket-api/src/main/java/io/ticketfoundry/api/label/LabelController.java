package io.ticketfoundry.api.label;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.ticket.TicketService;
import io.ticketfoundry.api.web.ApiException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Aliases and tags of tickets. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Aliases and tags", description = "Names for tickets, unique per experiment and movable, with history")
public class LabelController {

    private final LabelService labels;
    private final TicketService tickets;

    public LabelController(LabelService labels, TicketService tickets) {
        this.labels = labels;
        this.tickets = tickets;
    }

    @GetMapping("/experiments/{id}/aliases")
    @Operation(summary = "The experiment's aliases and the tickets they name")
    public List<LabelViews.Alias> aliases(@PathVariable UUID id) {
        return labels.aliases(id, Caller.current());
    }

    @PutMapping("/experiments/{id}/aliases/{alias}")
    @Operation(summary = "Set an alias, or move it to another ticket",
            description = "Body {\"ticketId\": a ticket of this experiment}. Members and admins of the experiment's team. "
                    + "An alias names one ticket per experiment; moving it is recorded in its history.")
    public LabelViews.Alias setAlias(@PathVariable UUID id, @PathVariable String alias,
            @RequestBody(required = false) LabelViews.AliasRequest request) {
        return labels.setAlias(id, alias, request, Caller.current());
    }

    @DeleteMapping("/experiments/{id}/aliases/{alias}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove an alias (its history stays)")
    public void removeAlias(@PathVariable UUID id, @PathVariable String alias) {
        labels.removeAlias(id, alias, Caller.current());
    }

    @GetMapping("/experiments/{id}/aliases/{alias}")
    @Operation(summary = "An alias and its history", description = "Set, moved and removed, oldest first, with who and when.")
    public LabelViews.AliasHistory alias(@PathVariable UUID id, @PathVariable String alias) {
        return labels.aliasHistory(id, alias, Caller.current());
    }

    @GetMapping("/experiments/{id}/aliases/{alias}/{file}")
    @Operation(summary = "Download a file of the ticket an alias names",
            description = "`file`: mask, rewind or weights (safetensors); ETag and Range as for the ticket's own downloads.")
    public ResponseEntity<Resource> download(@PathVariable UUID id, @PathVariable String alias,
            @PathVariable String file) {
        Caller caller = Caller.current();
        UUID ticket = labels.resolve(id, alias, caller);
        TicketService.TicketFile which = switch (file) {
            case "mask" -> TicketService.TicketFile.MASK;
            case "rewind" -> TicketService.TicketFile.REWIND;
            case "weights" -> TicketService.TicketFile.WEIGHTS;
            default -> throw ApiException.notFound("file " + file + " (mask, rewind or weights)");
        };
        return tickets.download(ticket, which, caller);
    }

    @GetMapping("/experiments/{id}/tags")
    @Operation(summary = "The experiment's tags and the tickets carrying each")
    public Map<String, List<UUID>> tags(@PathVariable UUID id) {
        return labels.tags(id, Caller.current());
    }

    @GetMapping("/experiments/{id}/tags/{tag}")
    @Operation(summary = "A tag: the tickets carrying it and its history")
    public LabelViews.Tag tag(@PathVariable UUID id, @PathVariable String tag) {
        return labels.tagOf(id, tag, Caller.current());
    }

    @PutMapping("/tickets/{ticketId}/tags/{tag}")
    @Operation(summary = "Tag a ticket", description = "Members and admins of the ticket's team; idempotent.")
    public LabelViews.Tag addTag(@PathVariable UUID ticketId, @PathVariable String tag) {
        return labels.tag(ticketId, tag, Caller.current());
    }

    @DeleteMapping("/tickets/{ticketId}/tags/{tag}")
    @Operation(summary = "Remove a tag from a ticket")
    public LabelViews.Tag removeTag(@PathVariable UUID ticketId, @PathVariable String tag) {
        return labels.untag(ticketId, tag, Caller.current());
    }
}
