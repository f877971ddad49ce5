package io.ticketfoundry.common.protocol;

public record ArtifactReceipt(String sha256, long size) {
}
