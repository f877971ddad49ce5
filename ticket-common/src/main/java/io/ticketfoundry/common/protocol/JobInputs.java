package io.ticketfoundry.common.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.UUID;

/** The artifacts an IMP level starts from: its parent's mask and trained weights, and the rewind point. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobInputs(
        UUID parentTicketId,
        String parentMaskSha256,
        String parentWeightsSha256,
        String rewindSha256) {
}
