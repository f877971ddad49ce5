package io.ticketfoundry.api.comparison;

import io.ticketfoundry.api.metric.MetricScope;
import io.ticketfoundry.api.metric.MetricSelection;
import io.ticketfoundry.api.web.FieldProblem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What to compare: experiments in the order asked for, metric names, the dataset (null: each
 * experiment's own), the split and the kind of ticket.
 */
public record ComparisonQuery(List<UUID> experiments, List<String> metrics, String dataset, String split,
        String ticketKind) {

    public static final int MAX_EXPERIMENTS = 12;
    public static final List<String> DEFAULT_METRICS = List.of("accuracy", "ece", "nll", "brier");
    public static final String DEFAULT_TICKET_KIND = "imp";

    public ComparisonQuery {
        experiments = List.copyOf(experiments);
        metrics = List.copyOf(metrics);
    }

    /** Reads the query parameters; every offending one adds a problem naming it, and the result is then null. */
    public static ComparisonQuery read(String experiments, String metrics, String dataset, String split,
            String ticketKind, List<FieldProblem> problems) {
        int before = problems.size();
        List<UUID> ids = readExperiments(experiments, problems);
        return readRest(ids, metrics, dataset, split, ticketKind, problems, before);
    }

    /** As {@link #read}, for one experiment named by the path. */
    public static ComparisonQuery readFor(UUID experiment, String metrics, String dataset, String split,
            String ticketKind, List<FieldProblem> problems) {
        return readRest(List.of(experiment), metrics, dataset, split, ticketKind, problems, problems.size());
    }

    private static ComparisonQuery readRest(List<UUID> ids, String metrics, String dataset, String split,
            String ticketKind, List<FieldProblem> problems, int before) {
        List<String> names = readMetrics(metrics, problems);
        MetricScope scope = MetricScope.read(dataset, split, problems);
        String kind = ticketKind == null ? DEFAULT_TICKET_KIND : ticketKind.strip();
        if (!MetricSelection.TICKET_KINDS.contains(kind)) {
            problems.add(new FieldProblem("ticketKind", "must be one of " + String.join(", ", MetricSelection.TICKET_KINDS)));
        }
        return problems.size() > before ? null : new ComparisonQuery(ids, names, scope.dataset(), scope.split(), kind);
    }

    private static List<UUID> readExperiments(String value, List<FieldProblem> problems) {
        List<String> items = items(value);
        if (items.isEmpty()) {
            problems.add(new FieldProblem("experiments", "is required: 1 to " + MAX_EXPERIMENTS
                    + " experiment ids, separated by commas"));
            return List.of();
        }
        if (items.size() > MAX_EXPERIMENTS) {
            problems.add(new FieldProblem("experiments", "names " + items.size() + " experiments; at most "
                    + MAX_EXPERIMENTS + " can be compared"));
            return List.of();
        }
        Set<UUID> ids = new LinkedHashSet<>();
        for (String item : items) {
            UUID id = uuid(item);
            if (id == null) {
                problems.add(new FieldProblem("experiments", "'" + shortened(item) + "' is not an experiment id"));
            } else if (!ids.add(id)) {
                problems.add(new FieldProblem("experiments", "names " + id + " more than once"));
            }
        }
        return List.copyOf(ids);
    }

    private static List<String> readMetrics(String value, List<FieldProblem> problems) {
        if (value == null) {
            return DEFAULT_METRICS;
        }
        List<String> items = items(value);
        if (items.isEmpty()) {
            problems.add(new FieldProblem("metrics", "must name at least one metric"));
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (String item : items) {
            if (!MetricSelection.KNOWN_METRICS.contains(item)) {
                problems.add(new FieldProblem("metrics", "'" + shortened(item) + "' is not a known metric; known: "
                        + String.join(", ", MetricSelection.KNOWN_METRICS)));
            } else if (!names.add(item)) {
                problems.add(new FieldProblem("metrics", "names " + item + " more than once"));
            }
        }
        return List.copyOf(names);
    }

    /** The comma-separated entries, stripped; an empty entry (as in "a,,b") is kept so that it is reported. */
    private static List<String> items(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        for (String item : value.split(",", -1)) {
            items.add(item.strip());
        }
        return items;
    }

    private static UUID uuid(String item) {
        if (item.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(item);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String shortened(String item) {
        return item.length() <= 60 ? item : item.substring(0, 60) + "…";
    }
}
