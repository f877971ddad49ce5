package io.ticketfoundry.common.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** {@code cancelRequested} tells the worker to stop and report the job as cancelled. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HeartbeatResponse(boolean cancelRequested, Instant leaseExpiresAt) {
}
