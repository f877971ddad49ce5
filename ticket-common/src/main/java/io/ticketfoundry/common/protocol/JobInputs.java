package io.ticketfoundry.common.protocol;

import java.util.UUID;

/** The artifacts an IMP level starts from: its parent's mask and trained weights, and the rewind point. */
public record JobInputs(
        UUID parentTicketId,
        String parentMaskSha256,
        String parentWeightsSha256,
        String rewindSha256) {
}
