package io.ticketfoundry.common.protocol;

public final class WorkerHeaders {
    public static final String FENCING_TOKEN = "X-Fencing-Token";

    private WorkerHeaders() {
    }
}
