package io.ticketfoundry.common.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A worker giving a lease back before finishing (it is shutting down): the job is queued again at
 * once and the attempt is not counted, since the job did nothing wrong.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReleaseRequest(long fencingToken, String reason) {
}
