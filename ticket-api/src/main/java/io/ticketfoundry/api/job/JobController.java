package io.ticketfoundry.api.job;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.ticketfoundry.api.team.Caller;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A team's jobs: list, read, cancel, retry. */
@RestController
@RequestMapping("/api/v1/jobs")
@Tag(name = "Jobs", description = "The team's queued, running and finished jobs")
public class JobController {

    private final JobService jobs;

    public JobController(JobService jobs) {
        this.jobs = jobs;
    }

    @GetMapping
    @Operation(summary = "List the team's jobs, newest first, optionally of one experiment and/or status")
    public JobViews.JobPage list(@RequestParam(required = false) UUID experimentId,
            @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        return jobs.list(Caller.current(), experimentId, status, page, size);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One job: status, attempts, progress, last error, timestamps")
    public JobViews.Job get(@PathVariable UUID id) {
        return jobs.get(id, Caller.current());
    }

    @PostMapping("/{id}/retry")
    @Operation(summary = "Run a failed or cancelled job's level again as a new job; its lineage then continues")
    public JobViews.Job retry(@PathVariable UUID id) {
        return jobs.retry(id, Caller.current());
    }

    @PostMapping("/{id}/cancel")
    @Operation(summary = "Cancel a job: a queued job at once, a leased one after its worker's next heartbeat")
    public JobViews.Job cancel(@PathVariable UUID id) {
        return jobs.cancel(id, Caller.current());
    }
}
