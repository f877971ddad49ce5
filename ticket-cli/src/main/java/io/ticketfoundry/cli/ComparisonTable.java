package io.ticketfoundry.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * A comparison (GET /api/v1/comparisons) as Markdown: one table per metric, a row per level with
 * the mean remaining weights, a column per experiment holding mean ± std over its seeds.
 */
final class ComparisonTable {

    private ComparisonTable() {
    }

    static String render(JsonNode comparison) {
        StringBuilder out = new StringBuilder();
        // columns by objective when that is what differs between the experiments, else by name
        List<String> objectives = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (JsonNode experiment : comparison.path("experiments")) {
            objectives.add(experiment.path("objective").asString());
            names.add(experiment.path("name").asString());
        }
        boolean byObjective = !objectives.contains("") && new java.util.HashSet<>(objectives).size() == objectives.size();
        List<String> labels = byObjective ? objectives : names;
        for (JsonNode metricNode : comparison.path("metrics")) {
            String metric = metricNode.asString();
            out.append("\n**").append(metric).append("** (").append(comparison.path("split").asString())
                    .append(" split, mean ± std over seeds, n per cell in the JSON)\n\n");
            out.append("| level | remaining |");
            labels.forEach(label -> out.append(' ').append(label).append(" |"));
            out.append("\n|---|---|");
            labels.forEach(label -> out.append("---|"));
            out.append('\n');
            for (JsonNode level : comparison.path("levels")) {
                out.append("| ").append(level.path("level").asInt()).append(" | ")
                        .append(remaining(level)).append(" |");
                for (JsonNode cell : level.path("experiments")) {
                    out.append(' ').append(cell(cell.path("metrics").path(metric))).append(" |");
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** The mean remaining weights of the level's cells (they agree when the experiments prune alike). */
    private static String remaining(JsonNode level) {
        double sum = 0;
        int count = 0;
        for (JsonNode cell : level.path("experiments")) {
            if (!cell.path("remainingFraction").isNull() && cell.path("remainingFraction").isNumber()) {
                sum += cell.path("remainingFraction").asDouble();
                count++;
            }
        }
        return count == 0 ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * sum / count);
    }

    private static String cell(JsonNode metric) {
        if (metric.isMissingNode() || !metric.path("mean").isNumber()) {
            return "–";
        }
        String mean = String.format(Locale.ROOT, "%.4f", metric.path("mean").asDouble());
        return metric.path("std").isNumber()
                ? mean + " ± " + String.format(Locale.ROOT, "%.4f", metric.path("std").asDouble())
                : mean;
    }

    /**
     * One row per experiment at its last level with tickets (e.g. the level that reached a target
     * sparsity): the experiment's label, that level, its mean remaining weights and every metric.
     */
    static String renderFinal(JsonNode comparison) {
        List<String> metrics = new ArrayList<>();
        comparison.path("metrics").forEach(m -> metrics.add(m.asString()));
        StringBuilder out = new StringBuilder("\n| experiment | level | remaining |");
        metrics.forEach(m -> out.append(' ').append(m).append(" |"));
        out.append("\n|---|---|---|");
        metrics.forEach(m -> out.append("---|"));
        out.append('\n');
        int index = 0;
        for (JsonNode experiment : comparison.path("experiments")) {
            JsonNode last = null;
            int lastLevel = -1;
            for (JsonNode level : comparison.path("levels")) {
                JsonNode cell = level.path("experiments").get(index);
                if (cell != null && cell.path("tickets").asInt() > 0) {
                    last = cell;
                    lastLevel = level.path("level").asInt();
                }
            }
            out.append("| ").append(experiment.path("name").asString()).append(" | ");
            if (last == null) {
                out.append("– | – |");
                metrics.forEach(m -> out.append(" – |"));
            } else {
                JsonNode values = last.path("metrics");
                out.append(lastLevel).append(" | ")
                        .append(String.format(Locale.ROOT, "%.2f%%", 100 * last.path("remainingFraction").asDouble()))
                        .append(" |");
                metrics.forEach(m -> out.append(' ').append(cell(values.path(m))).append(" |"));
            }
            out.append('\n');
            index++;
        }
        return out.toString();
    }
}
