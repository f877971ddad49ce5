package io.ticketfoundry.api.experiment;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.common.spec.ExperimentSpec;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/experiments")
@Tag(name = "Experiments", description = "Submit lottery-ticket experiments and follow them")
public class ExperimentController {

    private final ExperimentService experiments;

    public ExperimentController(ExperimentService experiments) {
        this.experiments = experiments;
    }

    @PostMapping
    @Operation(summary = "Submit an experiment",
            description = "Validates the spec strictly (unknown fields and impossible values are 400 with every problem "
                    + "named by its JSON path), fills defaults and hashes what differs from them. A spec the team "
                    + "already submitted returns that experiment (200) and adds only new seeds as replicates; "
                    + "otherwise the experiment is created (201). Each new replicate queues its level-0 job. "
                    + "Team members and admins only.")
    public ResponseEntity<ExperimentView> submit(@RequestBody SubmitExperimentRequest request) {
        ExperimentService.Submission submission = experiments.submit(Caller.current(), request);
        ExperimentView view = submission.experiment();
        if (submission.created()) {
            return ResponseEntity.created(URI.create("/api/v1/experiments/" + view.id())).body(view);
        }
        return ResponseEntity.status(HttpStatus.OK).body(view);
    }

    @GetMapping
    @Operation(summary = "List the experiments you may read",
            description = "Newest first, paged; filters are optional. `scope`: all (default: your teams', those shared "
                    + "with your teams and public ones), own (your teams'), shared (shared with your teams or public, not "
                    + "your teams'); `team`: one owning team's id.")
    public ExperimentPage list(
            @Parameter(description = "page number, from 0") @RequestParam(required = false) Integer page,
            @Parameter(description = "page size, 1 to 200 (default 20)") @RequestParam(required = false) Integer size,
            @Parameter(description = "substring of the name, any case") @RequestParam(required = false) String name,
            @RequestParam(required = false) String model,
            @RequestParam(required = false) String dataset,
            @RequestParam(required = false) String specHash,
            @Parameter(description = "all, own or shared") @RequestParam(required = false) String scope,
            @Parameter(description = "the owning team's id") @RequestParam(required = false) java.util.UUID team) {
        return experiments.list(Caller.current(), page, size, name, model, dataset, specHash, scope, team);
    }

    @GetMapping("/defaults")
    @Operation(summary = "The default spec", description = "What an empty spec runs: every field at its default.")
    public ExperimentSpec defaults() {
        Caller.current();
        return SpecIdentity.resolve(ExperimentSpec.defaults());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One experiment of the team")
    public ExperimentView get(@PathVariable UUID id) {
        return experiments.get(Caller.current(), id);
    }
}
