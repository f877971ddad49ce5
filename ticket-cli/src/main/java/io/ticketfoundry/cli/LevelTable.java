package io.ticketfoundry.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** An experiment's tickets as a text table, one row per replicate and level (and per control of it). */
final class LevelTable {

    private LevelTable() {
    }

    static String render(JsonNode ticketsResponse) {
        JsonNode array = ticketsResponse.isArray() ? ticketsResponse : ticketsResponse.path("items");
        List<JsonNode> tickets = new ArrayList<>();
        array.forEach(tickets::add);
        tickets.sort(Comparator.comparingLong((JsonNode t) -> t.path("seed").asLong()).thenComparingInt(t -> t.path("level").asInt()));

        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-5s %-5s %14s %14s %9s %8s %8s %8s%n",
                "seed", "level", "remaining(pr)", "remaining(all)", "accuracy", "ECE", "NLL", "Brier"));
        for (JsonNode ticket : tickets) {
            // control tickets (kind control-...) follow their level's IMP ticket, labelled; a
            // sparse-training snapshot is labelled with its training step
            String kind = ticket.path("kind").asString("imp");
            String label = kind.isEmpty() || "imp".equals(kind) ? "" : "  " + kind;
            if (ticket.path("step").isNumber()) {
                label += " step " + ticket.path("step").asLong();
            }
            out.append(String.format(Locale.ROOT, "%-5d %-5d %13.2f%% %13.2f%% %9s %8s %8s %8s" + label.replace("%", "%%") + "%n",
                    ticket.path("seed").asLong(),
                    ticket.path("level").asInt(),
                    100 * ticket.path("prunable").path("density").asDouble(),
                    100 * ticket.path("allParameters").path("density").asDouble(),
                    metric(ticket, "accuracy"), metric(ticket, "ece"), metric(ticket, "nll"), metric(ticket, "brier")));
        }
        if (tickets.isEmpty()) {
            out.append("(no tickets yet)").append(System.lineSeparator());
        }
        return out.toString();
    }

    private static String metric(JsonNode ticket, String name) {
        JsonNode value = ticket.path(name);
        return value.isNumber() ? String.format(Locale.ROOT, "%.4f", value.asDouble()) : "-";
    }
}
