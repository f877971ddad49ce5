package io.ticketfoundry.worker.client;

/** An answer from ticket-api other than the one expected; 409 means the lease is no longer ours. */
public class ApiCallException extends RuntimeException {

    private final int status;

    public ApiCallException(int status, String body) {
        super("ticket-api answered " + status + ": " + (body == null ? "" : body.length() > 500 ? body.substring(0, 500) : body));
        this.status = status;
    }

    public int status() {
        return status;
    }

    public boolean leaseLost() {
        return status == 409 || status == 404;
    }
}
