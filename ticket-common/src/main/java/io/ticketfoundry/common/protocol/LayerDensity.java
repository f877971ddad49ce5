package io.ticketfoundry.common.protocol;

public record LayerDensity(long total, long remaining) {
}
