package io.ticketfoundry.api.comparison;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The comparison's response body. */
public final class ComparisonViews {

    /** How {@link MetricOverSeeds#std()} is computed; also in the response. */
    public static final String STD_CONVENTION =
            "sample standard deviation over seeds (divisor n - 1); null when n < 2";

    private ComparisonViews() {
    }

    @Schema(description = "Experiments side by side per IMP level. Each level row has one cell per experiment, in the "
            + "order of `experiments`; a seed contributes its ticket of `ticketKind` at that level.")
    public record Comparison(
            @Schema(description = "the metric names compared, in order") List<String> metrics,
            @Schema(description = "the dataset asked for; null: each experiment's own (see experiments[].dataset)")
            String dataset,
            String split,
            String ticketKind,
            @Schema(description = STD_CONVENTION) String std,
            List<ComparisonExperiment> experiments,
            List<ComparisonLevel> levels) {
    }

    @Schema(description = "An experiment of the comparison and the data its values were selected on")
    public record ComparisonExperiment(
            UUID id,
            String name,
            @Schema(description = "spec.training.objective.kind") String objective,
            @Schema(description = "name (objective), as in the figure's legend") String label,
            @Schema(description = "the dataset whose metrics were used") String dataset,
            String split,
            @Schema(description = "the seeds with a ticket of the kind, ascending") List<Long> seeds) {
    }

    public record ComparisonLevel(int level, List<ComparisonCell> experiments) {
    }

    @Schema(description = "One experiment at one level; tickets 0 when it has none there")
    public record ComparisonCell(
            UUID experimentId,
            @Schema(description = "tickets (one per seed) at this level") int tickets,
            @Schema(description = "mean over those tickets of remaining prunable weights / prunable weights; "
                    + "null without tickets") Double remainingFraction,
            @Schema(description = "per metric name asked for") Map<String, MetricOverSeeds> metrics) {
    }

    @Schema(description = "A metric over the seeds: mean, sample std (null when n < 2), n and every seed's value; "
            + "mean null when no ticket has the metric on the dataset and split")
    public record MetricOverSeeds(Double mean, Double std, int n, List<SeedValue> values) {
    }

    @Schema(description = "One seed's selected value and the ticket and job it comes from")
    public record SeedValue(long seed, UUID ticketId, double value,
            @Schema(description = "the job that measured the value") UUID jobId) {
    }
}
