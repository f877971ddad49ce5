package io.ticketfoundry.api.label;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Aliases and tags of tickets, and their history. */
public final class LabelViews {

    private LabelViews() {
    }

    /** An alias as it stands: the ticket it names now, since when, set by whom. */
    public record Alias(String alias, UUID experimentId, UUID ticketId, Instant updatedAt, String updatedBy) {
    }

    /** One change of an alias or tag: set (new), moved (from previousTicketId), removed. */
    public record Change(String action, UUID ticketId, UUID previousTicketId, String actor, Instant at) {
    }

    /** An alias with every change it went through, oldest first. */
    public record AliasHistory(Alias current, List<Change> history) {
    }

    /** A tag of an experiment: the tickets carrying it now and every change, oldest first. */
    public record Tag(String tag, UUID experimentId, List<UUID> ticketIds, List<Change> history) {
    }

    /** The body naming the ticket an alias is set or moved to. */
    public record AliasRequest(UUID ticketId) {
    }
}
