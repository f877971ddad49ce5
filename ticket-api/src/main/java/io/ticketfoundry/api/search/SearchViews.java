package io.ticketfoundry.api.search;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The search endpoints' response bodies. */
public final class SearchViews {

    private SearchViews() {
    }

    private static final String SORT_VALUE = "the value the results are ordered by (null when the row has none)";
    private static final String NEXT = "the cursor of the next page (pass it as cursor with the same q and sort); "
            + "null on the last page";

    /**
     * A ticket that matched. {@code sparsity} = 1 − remaining / prunable weights and {@code remaining}
     * its complement; the metrics are the test-split values on the experiment's own dataset, by the
     * selection rule (the row of the ticket's own job, else the most recent).
     */
    public record TicketHit(UUID id, UUID experimentId, String experimentName, String kind, long seed, int level,
            @Schema(description = "training step of a sparse-training snapshot; null for other kinds") Long step,
            double sparsity, double remaining, Double accuracy, Double ece, Double nll, Double brier,
            Instant createdAt, @Schema(description = SORT_VALUE) Object sortValue) {
    }

    public record TicketSearchPage(List<TicketHit> items, @Schema(description = NEXT) String next) {
    }

    /**
     * An experiment that matched; {@code matchingTickets} counts its tickets that satisfy the query
     * (all of them when it names no ticket field or metric).
     */
    public record ExperimentHit(UUID id, String name, Instant createdAt, String model, String dataset,
            String objective, String specHash, long matchingTickets,
            @Schema(description = SORT_VALUE + "; for a ticket field or metric, the smallest over the matching tickets "
                    + "when ascending, the largest when descending") Object sortValue) {
    }

    public record ExperimentSearchPage(List<ExperimentHit> items, @Schema(description = NEXT) String next) {
    }
}
