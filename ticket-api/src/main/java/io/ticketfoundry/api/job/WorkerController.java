package io.ticketfoundry.api.job;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.ticketfoundry.common.protocol.ArtifactReceipt;
import io.ticketfoundry.common.protocol.CheckpointRequest;
import io.ticketfoundry.common.protocol.JobCheckpoint;
import io.ticketfoundry.common.protocol.CompleteRequest;
import io.ticketfoundry.common.protocol.FailRequest;
import io.ticketfoundry.common.protocol.ReleaseRequest;
import io.ticketfoundry.common.protocol.Heartbeat;
import io.ticketfoundry.common.protocol.HeartbeatResponse;
import io.ticketfoundry.common.protocol.Lease;
import io.ticketfoundry.common.protocol.LeaseRequest;
import io.ticketfoundry.common.protocol.WorkerHeaders;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.UUID;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The worker protocol of {@code io.ticketfoundry.common.protocol}; worker tokens only. */
@RestController
@RequestMapping("/api/v1/worker")
@Tag(name = "Worker protocol", description = "Lease, heartbeat, artifacts, complete and fail; worker tokens only")
public class WorkerController {

    private final WorkerService worker;

    public WorkerController(WorkerService worker) {
        this.worker = worker;
    }

    @PostMapping("/leases")
    @Operation(summary = "Lease the next available job of the token's pool (204 when none is waiting)")
    public ResponseEntity<Lease> lease(@RequestBody LeaseRequest request) {
        return worker.lease(WorkerService.requireWorker(), request)
                .map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    @PostMapping("/jobs/{id}/heartbeat")
    @Operation(summary = "Extend the lease and report progress; answers whether a cancel was requested")
    public HeartbeatResponse heartbeat(@PathVariable UUID id, @RequestBody Heartbeat heartbeat) {
        return worker.heartbeat(id, WorkerService.requireWorker(), heartbeat);
    }

    @PutMapping(path = "/jobs/{id}/artifacts/{sha256}", consumes = MediaType.ALL_VALUE)
    @Operation(summary = "Upload an artifact's raw bytes under its SHA-256",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                            schema = @Schema(type = "string", format = "binary"))))
    public ResponseEntity<ArtifactReceipt> upload(@PathVariable UUID id, @PathVariable String sha256,
            @RequestHeader(WorkerHeaders.FENCING_TOKEN) long fencingToken, HttpServletRequest request) throws IOException {
        ArtifactReceipt receipt = worker.upload(id, sha256, fencingToken, WorkerService.requireWorker(),
                request.getInputStream(), request.getContentLengthLong(), request.getContentType());
        return ResponseEntity.status(HttpStatus.CREATED).body(receipt);
    }

    @GetMapping("/jobs/{id}/artifacts/{sha256}")
    @Operation(summary = "Download an input (or an output) of a leased job")
    public ResponseEntity<Resource> download(@PathVariable UUID id, @PathVariable String sha256,
            @RequestHeader(WorkerHeaders.FENCING_TOKEN) long fencingToken) {
        return worker.download(id, sha256, fencingToken, WorkerService.requireWorker());
    }

    @PostMapping("/jobs/{id}/checkpoint")
    @Operation(summary = "Record an uploaded epoch checkpoint of the running level; a later lease of the job resumes from it")
    public JobCheckpoint checkpoint(@PathVariable UUID id, @RequestBody CheckpointRequest request) {
        return worker.checkpoint(id, WorkerService.requireWorker(), request);
    }

    @PostMapping("/jobs/{id}/complete")
    @Operation(summary = "Report the ticket the job made; records it and queues the next IMP level")
    public WorkerService.JobCompleted complete(@PathVariable UUID id, @RequestBody CompleteRequest request) {
        return worker.complete(id, WorkerService.requireWorker(), request);
    }

    @PostMapping("/jobs/{id}/release")
    @Operation(summary = "Give a lease back before finishing (worker shutting down); the attempt is not counted")
    public WorkerService.JobReleased release(@PathVariable UUID id, @RequestBody ReleaseRequest request) {
        return worker.release(id, WorkerService.requireWorker(), request);
    }

    @PostMapping("/jobs/{id}/fail")
    @Operation(summary = "Report a failure or an acknowledged cancel")
    public WorkerService.JobFailed fail(@PathVariable UUID id, @RequestBody FailRequest request) {
        return worker.fail(id, WorkerService.requireWorker(), request);
    }
}
