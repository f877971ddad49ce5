package io.ticketfoundry.api.search;

import io.ticketfoundry.api.web.ApiException;

/** A query or sort expression that cannot be read or applied; the message names the position (from 1). */
public class QueryException extends RuntimeException {

    private final int position;

    public QueryException(String message, int position) {
        super(message + " at position " + position);
        this.position = position;
    }

    public int position() {
        return position;
    }

    /** A 400 naming {@code parameter} (q, sort). */
    public ApiException asProblem(String parameter) {
        return ApiException.invalid(parameter, getMessage());
    }
}
