package io.ticketfoundry.common.protocol;

/**
 * A job that did not finish. {@code retryable} false ends it at once (bad spec, missing data);
 * {@code cancelled} acknowledges a cancel request.
 */
public record FailRequest(long fencingToken, String error, boolean retryable, boolean cancelled) {
}
