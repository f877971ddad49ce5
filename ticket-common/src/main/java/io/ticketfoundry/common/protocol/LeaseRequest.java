package io.ticketfoundry.common.protocol;

/** A worker asking for work; {@code workerId} is recorded as the lease owner and in provenance. */
public record LeaseRequest(String workerId) {
}
