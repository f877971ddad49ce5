package io.ticketfoundry.common.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A transfer experiment's sources (Morcos et al.): each ticket named in {@code sourceTickets} has
 * its mask and rewind weights retrained on this experiment's dataset, as a ticket of kind
 * {@code transfer} at the source's level whose parent is the source; with {@code randomTickets}
 * each also gets a {@code transfer-random} ticket, the same per-layer densities at random positions
 * from the same start. The section is part of the spec (and of its identity), so the same transfer
 * asked twice is one experiment. Experiments are made with it by {@code POST /api/v1/tickets/{id}/transfers}.
 *
 * <p>Instead of tickets, {@code sourceMask} may name a mask uploaded to the team
 * ({@code POST /api/v1/masks/{id}/transfers}): each seed then retrains that mask at level 0, from
 * the weights uploaded with it or, without any, from the spec's initializer under the seed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TransferSpec(List<String> sourceTickets, Boolean randomTickets, String sourceMask) {

    public static final int MAX_SOURCES = 100;

    /** A transfer of tickets. */
    public TransferSpec(List<String> sourceTickets, Boolean randomTickets) {
        this(sourceTickets, randomTickets, null);
    }

    public TransferSpec withDefaults() {
        return new TransferSpec(sourceTickets == null ? List.of() : List.copyOf(sourceTickets),
                randomTickets != null ? randomTickets : Boolean.FALSE, sourceMask);
    }
}
