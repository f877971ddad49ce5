package io.ticketfoundry.api.lifecycle;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.ticketfoundry.api.team.Caller;
import java.util.UUID;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Deleting experiments, and moving them between deployments as archives. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Lifecycle", description = "Delete experiments (tombstones where other lineage needs them), export and "
        + "import them as archives")
public class LifecycleController {

    private final ExperimentDeletion deletion;

    public LifecycleController(ExperimentDeletion deletion) {
        this.deletion = deletion;
    }

    @DeleteMapping("/experiments/{id}")
    @Operation(summary = "Delete an experiment",
            description = "Members and admins of the owning team. Removes the experiment's jobs, checkpoints, labels, "
                    + "shares' listings and every ticket no other experiment names; a ticket another experiment's "
                    + "ticket or job names as its parent (a transfer source), and the tickets it descends from, stay as "
                    + "tombstones (identity, counts, metrics, provenance; no files: downloads answer 410), and so does "
                    + "the experiment row with its spec while any tombstone remains (GET answers 410 with it as "
                    + "`tombstone`). Then every artifact nothing else names is deleted, row and bytes. 409 while a job "
                    + "of the experiment is running, unless `cancel=true` (queued and running jobs end with it), and "
                    + "while a queued or running job of another experiment starts from one of its tickets.")
    public ExperimentDeletion.Deleted delete(@PathVariable UUID id,
            @Parameter(description = "end queued and running jobs with the experiment")
            @RequestParam(defaultValue = "false") boolean cancel) {
        return deletion.delete(id, cancel, Caller.current());
    }
}
