package io.ticketfoundry.common.protocol;

import java.time.Instant;

/** {@code cancelRequested} tells the worker to stop and report the job as cancelled. */
public record HeartbeatResponse(boolean cancelRequested, Instant leaseExpiresAt) {
}
