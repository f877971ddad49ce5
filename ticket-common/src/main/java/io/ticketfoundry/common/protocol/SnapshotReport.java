package io.ticketfoundry.common.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A mask a sparse-training job kept at {@code step} (optimizer steps from the initialisation),
 * with the weights at that step and their metrics: recorded as a ticket of kind {@code snapshot}
 * of the job's level. {@code ticket.rewindSha256} is the job's rewind point, as for its final ticket.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotReport(long step, TicketReport ticket) {
}
