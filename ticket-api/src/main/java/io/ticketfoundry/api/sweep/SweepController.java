package io.ticketfoundry.api.sweep;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.ticketfoundry.api.team.Caller;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/sweeps")
@Tag(name = "Sweeps", description = "A grid over spec fields x replicate seeds, submitted as one request")
public class SweepController {

    private final SweepService sweeps;

    public SweepController(SweepService sweeps) {
        this.sweeps = sweeps;
    }

    @PostMapping
    @Operation(summary = "Submit a sweep", description = "Creates one experiment per point of the grid's cross product "
            + "(at most " + SweepService.MAX_EXPERIMENTS + "), all in one transaction, each with the given seeds; a "
            + "point the team already has returns that experiment. Problems name the grid entry, e.g. "
            + "grid.training.learningRate[1]. Team members and admins only.")
    public ResponseEntity<SweepService.SweepView> create(@RequestBody SweepRequest request) {
        SweepService.SweepView view = sweeps.create(Caller.current(), request);
        return ResponseEntity.created(URI.create("/api/v1/sweeps/" + view.id())).body(view);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One sweep of the team, with its experiments in grid order")
    public SweepService.SweepView get(@PathVariable UUID id) {
        return sweeps.get(Caller.current(), id);
    }
}
