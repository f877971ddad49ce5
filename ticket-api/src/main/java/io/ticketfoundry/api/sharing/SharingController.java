package io.ticketfoundry.api.sharing;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.ticketfoundry.api.team.Caller;
import java.util.UUID;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Sharing experiments read-only with other teams or every person. */
@RestController
@RequestMapping("/api/v1/experiments/{id}/sharing")
@Tag(name = "Sharing", description = "Experiments are private to their team unless shared read-only")
public class SharingController {

    /** The body of a visibility change. */
    public record VisibilityRequest(String visibility) {
    }

    private final SharingService sharing;

    public SharingController(SharingService sharing) {
        this.sharing = sharing;
    }

    @GetMapping
    @Operation(summary = "With whom the experiment is shared", description = "Members of the experiment's team.")
    public SharingService.Sharing get(@PathVariable UUID id) {
        return sharing.get(id, Caller.current());
    }

    @PutMapping("/teams/{team}")
    @Operation(summary = "Share the experiment read-only with a team",
            description = "Members and admins of the experiment's team; `team` is a team id or name. Members of that team "
                    + "then read the experiment, its jobs, tickets, metrics, files, lineage and plots, and may transfer "
                    + "its tickets into their own team (the lineage keeps pointing here). Idempotent.")
    public SharingService.Sharing share(@PathVariable UUID id, @PathVariable String team) {
        return sharing.shareWith(id, team, Caller.current());
    }

    @DeleteMapping("/teams/{team}")
    @Operation(summary = "Stop sharing with a team", description = "Takes effect with the team's next request. Idempotent.")
    public SharingService.Sharing revoke(@PathVariable UUID id, @PathVariable String team) {
        return sharing.revoke(id, team, Caller.current());
    }

    @PutMapping
    @Operation(summary = "Make the experiment public or private",
            description = "Body {\"visibility\": \"public\" | \"private\"}: public is readable by every person's token.")
    public SharingService.Sharing visibility(@PathVariable UUID id, @RequestBody VisibilityRequest request) {
        return sharing.setVisibility(id, request == null ? null : request.visibility(), Caller.current());
    }
}
