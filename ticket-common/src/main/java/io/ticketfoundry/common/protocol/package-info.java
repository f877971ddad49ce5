/**
 * The worker protocol: what a trainer worker and ticket-api exchange over HTTP.
 *
 * <pre>
 * POST /api/v1/worker/leases                         LeaseRequest      -> 200 Lease | 204
 * POST /api/v1/worker/jobs/{id}/heartbeat            Heartbeat         -> 200 HeartbeatResponse | 409
 * PUT  /api/v1/worker/jobs/{id}/artifacts/{sha256}   raw bytes, header X-Fencing-Token -> 201 ArtifactReceipt
 * GET  /api/v1/worker/jobs/{id}/artifacts/{sha256}   header X-Fencing-Token -> the bytes of an input of the job
 * POST /api/v1/worker/jobs/{id}/checkpoint         CheckpointRequest -> 200 JobCheckpoint | 409
 * POST /api/v1/worker/jobs/{id}/complete             CompleteRequest   -> 200 | 409
 * POST /api/v1/worker/jobs/{id}/fail                 FailRequest       -> 200 | 409
 * POST /api/v1/worker/jobs/{id}/release              ReleaseRequest    -> 200 | 409
 * </pre>
 *
 * Every call after the lease carries the lease's fencing token; a token that is no longer the
 * job's current one is refused with 409, so a worker that lost its lease cannot write twice.
 * A checkpoint names an artifact the job uploaded; the next lease of the job carries the latest
 * one in {@code Lease.checkpoint} so that the level resumes from that epoch.
 */
package io.ticketfoundry.common.protocol;
