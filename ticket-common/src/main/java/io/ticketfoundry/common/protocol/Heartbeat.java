package io.ticketfoundry.common.protocol;

public record Heartbeat(long fencingToken, Progress progress) {
}
