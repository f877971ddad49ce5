package io.ticketfoundry.common.protocol;

/** Where a running job is; any field may be null when it does not apply. */
public record Progress(
        Integer level,
        Integer epoch,
        Integer epochs,
        Long step,
        Double loss,
        String phase) {
}
