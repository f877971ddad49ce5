package io.ticketfoundry.common.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A worker asking for work; {@code workerId} is recorded as the lease owner and in provenance. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LeaseRequest(String workerId) {
}
