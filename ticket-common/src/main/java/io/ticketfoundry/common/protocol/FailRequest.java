package io.ticketfoundry.common.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A job that did not finish. {@code retryable} false ends it at once (bad spec, missing data);
 * {@code cancelled} acknowledges a cancel request.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FailRequest(long fencingToken, String error, boolean retryable, boolean cancelled) {
}
