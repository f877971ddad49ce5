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
        List<String> labels = new ArrayList<>();
        for (JsonNode experiment : comparison.path("experiments")) {
            String objective = experiment.path("objective").asString();
            labels.add(objective.isEmpty() ? experiment.path("name").asString() : objective);
        }
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
}
