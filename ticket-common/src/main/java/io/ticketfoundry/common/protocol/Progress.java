package io.ticketfoundry.common.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Where a running job is; any field may be null when it does not apply. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Progress(
        Integer level,
        Integer epoch,
        Integer epochs,
        Long step,
        Double loss,
        String phase) {
}
