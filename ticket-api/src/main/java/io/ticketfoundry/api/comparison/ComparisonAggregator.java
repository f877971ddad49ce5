package io.ticketfoundry.api.comparison;

import io.ticketfoundry.api.comparison.ComparisonViews.ComparisonCell;
import io.ticketfoundry.api.comparison.ComparisonViews.Comparison;
import io.ticketfoundry.api.comparison.ComparisonViews.ComparisonExperiment;
import io.ticketfoundry.api.comparison.ComparisonViews.ComparisonLevel;
import io.ticketfoundry.api.comparison.ComparisonViews.MetricOverSeeds;
import io.ticketfoundry.api.comparison.ComparisonViews.SeedValue;
import io.ticketfoundry.api.metric.MetricSelection.TicketValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Turns selected metric values into the comparison: per experiment and level, the tickets' mean
 * remaining fraction and, per metric, mean, sample standard deviation, n and the seeds' values.
 */
final class ComparisonAggregator {

    private ComparisonAggregator() {
    }

    /**
     * @param experiments the experiments in the order asked for
     * @param rows        one row per (ticket, metric found), or per ticket with a null metric
     */
    static Comparison aggregate(ComparisonQuery query, List<ComparedExperiment> experiments, List<TicketValue> rows) {
        // experiment -> level -> ticket -> its rows
        Map<UUID, TreeMap<Integer, Map<UUID, List<TicketValue>>>> byExperiment = new HashMap<>();
        TreeSet<Integer> levels = new TreeSet<>();
        for (TicketValue row : rows) {
            byExperiment.computeIfAbsent(row.experimentId(), e -> new TreeMap<>())
                    .computeIfAbsent(row.level(), l -> new LinkedHashMap<>())
                    .computeIfAbsent(row.ticketId(), t -> new ArrayList<>())
                    .add(row);
            levels.add(row.level());
        }

        List<ComparisonExperiment> infos = new ArrayList<>();
        for (ComparedExperiment experiment : experiments) {
            TreeSet<Long> seeds = new TreeSet<>();
            byExperiment.getOrDefault(experiment.id(), new TreeMap<>()).values()
                    .forEach(tickets -> tickets.values().forEach(ticketRows -> seeds.add(ticketRows.get(0).seed())));
            infos.add(new ComparisonExperiment(experiment.id(), experiment.name(), experiment.objective(), experiment.label(),
                    query.dataset() != null ? query.dataset() : experiment.dataset(), query.split(), List.copyOf(seeds)));
        }

        List<ComparisonLevel> levelRows = new ArrayList<>();
        for (int level : levels) {
            List<ComparisonCell> cells = new ArrayList<>();
            for (ComparedExperiment experiment : experiments) {
                Map<UUID, List<TicketValue>> tickets =
                        byExperiment.getOrDefault(experiment.id(), new TreeMap<>()).getOrDefault(level, Map.of());
                cells.add(cell(experiment.id(), tickets, query.metrics()));
            }
            levelRows.add(new ComparisonLevel(level, cells));
        }
        return new Comparison(query.metrics(), query.dataset(), query.split(), query.ticketKind(),
                ComparisonViews.STD_CONVENTION, infos, levelRows);
    }

    private static ComparisonCell cell(UUID experimentId, Map<UUID, List<TicketValue>> tickets, List<String> metrics) {
        List<Double> fractions = tickets.values().stream().map(rows -> rows.get(0).remainingFraction()).toList();
        Map<String, MetricOverSeeds> stats = new LinkedHashMap<>();
        for (String metric : metrics) {
            List<SeedValue> values = tickets.values().stream()
                    .flatMap(List::stream)
                    .filter(row -> metric.equals(row.metric()) && row.value() != null)
                    .map(row -> new SeedValue(row.seed(), row.ticketId(), row.value(), row.measuredBy()))
                    .sorted(Comparator.comparingLong(SeedValue::seed))
                    .toList();
            stats.put(metric, stat(values));
        }
        return new ComparisonCell(experimentId, tickets.size(), mean(fractions), stats);
    }

    static MetricOverSeeds stat(List<SeedValue> values) {
        List<Double> numbers = values.stream().map(SeedValue::value).toList();
        return new MetricOverSeeds(mean(numbers), sampleStd(numbers), numbers.size(), values);
    }

    /** The arithmetic mean; null for no values. */
    static Double mean(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.size();
    }

    /** sqrt(Σ (x − mean)² / (n − 1)); null for fewer than two values. */
    static Double sampleStd(List<Double> values) {
        if (values.size() < 2) {
            return null;
        }
        double mean = mean(values);
        double squares = 0;
        for (double value : values) {
            squares += (value - mean) * (value - mean);
        }
        return Math.sqrt(squares / (values.size() - 1));
    }
}
