package io.ticketfoundry.api.metric;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads the one metric value that stands for a ticket, by the selection rule: among the ticket's
 * rows of that name on the dataset and split asked for (the dataset defaults to the experiment's
 * {@code resolved_spec.dataset}, the split to {@code test}), the row measured by the ticket's own
 * job wins; otherwise the most recent one ({@code created_at}, then {@code id}).
 */
@Repository
public class MetricSelection {

    /** The metric names the worker reports (docs/metrics.md). */
    public static final List<String> KNOWN_METRICS =
            List.of("accuracy", "accuracy-top5", "per-class-accuracy", "ece", "nll", "brier", "sce", "mce", "ood-auroc");

    /** The split used when none is asked for. */
    public static final String DEFAULT_SPLIT = "test";

    /** The ticket kinds a comparison can be made of. */
    public static final List<String> TICKET_KINDS =
            List.of("imp", "control-reinit", "control-layer-permuted", "control-global-permuted", "calibrated");

    /**
     * Which of a ticket's values of one metric counts, as an ORDER BY over metric {@code m} of the
     * ticket aliased {@code ticket} (first row wins): the value its own job measured, else the latest.
     */
    public static String preferred(String ticket) {
        return "(m.job_id = " + ticket + ".job_id) DESC, m.created_at DESC, m.id DESC";
    }

    /** The selection rule as a lateral subquery over the ticket aliased {@code tk} (columns id, job_id, dataset). */
    private static final String SELECTED = """
            SELECT DISTINCT ON (m.name) m.name, m.value, m.dataset, m.job_id, m.conventions::text AS conventions,
                   %s AS details
            FROM metric m
            WHERE m.ticket_id = tk.id AND m.dataset = tk.dataset AND m.split = :split AND m.name IN (:names)
            ORDER BY m.name, """ + preferred("tk");

    /**
     * One ticket of a comparison and, when it has one, the selected value of one metric
     * ({@code metric} null when the ticket has none of the metrics asked for).
     */
    public record TicketValue(UUID experimentId, UUID ticketId, long seed, int level, long prunableWeights,
            long remainingPrunable, String dataset, String metric, Double value, UUID measuredBy) {

        /** Remaining prunable weights over prunable weights, 0 when there are none. */
        public double remainingFraction() {
            return prunableWeights == 0 ? 0.0 : (double) remainingPrunable / prunableWeights;
        }
    }

    /** A ticket with the team owning it, and its selected metric with conventions and details, if any. */
    public record TicketMetric(UUID ticketId, UUID teamId, UUID experimentId, String kind, long seed, int level,
            String dataset, Metric metric) {
    }

    /** A selected metric row; JSON columns as text. */
    public record Metric(String name, double value, UUID jobId, String conventionsJson, String detailsJson) {
    }

    private final JdbcClient jdbc;

    public MetricSelection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Every ticket of {@code kind} of the experiments with the selected value of each of
     * {@code names}: one row per (ticket, metric found), or one row with a null metric for a ticket
     * that has none of them. Where a seed has several tickets of the kind at a level (a ticket
     * calibrated more than one way) the most recent one stands for it. One statement.
     */
    public List<TicketValue> forExperiments(Collection<UUID> experimentIds, String kind, Collection<String> names,
            String dataset, String split) {
        if (experimentIds.isEmpty() || names.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                WITH tk AS (
                    SELECT DISTINCT ON (t.experiment_id, t.seed, t.level)
                           t.id, t.experiment_id, t.seed, t.level, t.job_id, t.prunable_weights, t.remaining_prunable,
                           COALESCE(CAST(:dataset AS text), e.resolved_spec ->> 'dataset') AS dataset
                    FROM ticket t JOIN experiment e ON e.id = t.experiment_id
                    WHERE t.experiment_id IN (:experiments) AND t.kind = :kind
                    ORDER BY t.experiment_id, t.seed, t.level, t.created_at DESC, t.id DESC
                )
                SELECT tk.experiment_id, tk.id AS ticket_id, tk.seed, tk.level, tk.prunable_weights,
                       tk.remaining_prunable, tk.dataset, sel.name, sel.value, sel.job_id
                FROM tk LEFT JOIN LATERAL (%s) sel ON true
                ORDER BY tk.experiment_id, tk.level, tk.seed, sel.name""".formatted(SELECTED.formatted("NULL")))
                .param("experiments", experimentIds)
                .param("kind", kind)
                .param("names", names)
                .param("dataset", dataset)
                .param("split", split)
                .query(MetricSelection::ticketValue)
                .list();
    }

    /** The ticket (empty when it does not exist) and its selected {@code name} metric, with details. */
    public Optional<TicketMetric> forTicket(UUID ticketId, String name, String dataset, String split) {
        return jdbc.sql("""
                WITH tk AS (
                    SELECT t.id, t.experiment_id, t.kind, t.seed, t.level, t.job_id, e.team_id,
                           COALESCE(CAST(:dataset AS text), e.resolved_spec ->> 'dataset') AS dataset
                    FROM ticket t JOIN experiment e ON e.id = t.experiment_id
                    WHERE t.id = :ticket
                )
                SELECT tk.id AS ticket_id, tk.team_id, tk.experiment_id, tk.kind, tk.seed, tk.level, tk.dataset,
                       sel.name, sel.value, sel.job_id, sel.conventions, sel.details
                FROM tk LEFT JOIN LATERAL (%s) sel ON true""".formatted(SELECTED.formatted("m.details::text")))
                .param("ticket", ticketId)
                .param("names", List.of(name))
                .param("dataset", dataset)
                .param("split", split)
                .query((rs, n) -> new TicketMetric(rs.getObject("ticket_id", UUID.class),
                        rs.getObject("team_id", UUID.class), rs.getObject("experiment_id", UUID.class),
                        rs.getString("kind"), rs.getLong("seed"), rs.getInt("level"), rs.getString("dataset"),
                        rs.getString("name") == null ? null : new Metric(rs.getString("name"), rs.getDouble("value"),
                                rs.getObject("job_id", UUID.class), rs.getString("conventions"), rs.getString("details"))))
                .optional();
    }

    private static TicketValue ticketValue(ResultSet rs, int n) throws SQLException {
        String name = rs.getString("name");
        return new TicketValue(rs.getObject("experiment_id", UUID.class), rs.getObject("ticket_id", UUID.class),
                rs.getLong("seed"), rs.getInt("level"), rs.getLong("prunable_weights"), rs.getLong("remaining_prunable"),
                rs.getString("dataset"), name, name == null ? null : rs.getDouble("value"),
                rs.getObject("job_id", UUID.class));
    }
}
