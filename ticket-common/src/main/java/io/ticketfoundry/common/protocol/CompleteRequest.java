package io.ticketfoundry.common.protocol;

public record CompleteRequest(long fencingToken, TicketReport ticket) {
}
