package io.ticketfoundry.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** An experiment's tickets as a text table, one row per replicate and level. */
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
            out.append(String.format(Locale.ROOT, "%-5d %-5d %13.2f%% %13.2f%% %9s %8s %8s %8s%n",
                    ticket.path("seed").asLong(),
                    ticket.path("level").asInt(),
                    percent(ticket.path("remainingPrunable").asDouble(), ticket.path("prunableWeights").asDouble()),
                    percent(ticket.path("remainingTotal").asDouble(), ticket.path("totalParameters").asDouble()),
                    metric(ticket, "accuracy"), metric(ticket, "ece"), metric(ticket, "nll"), metric(ticket, "brier")));
        }
        if (tickets.isEmpty()) {
            out.append("(no tickets yet)").append(System.lineSeparator());
        }
        return out.toString();
    }

    private static double percent(double part, double whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    private static String metric(JsonNode ticket, String name) {
        for (JsonNode metric : ticket.path("metrics")) {
            if (name.equals(metric.path("name").asString()) && "test".equals(metric.path("split").asString("test"))) {
                return String.format(Locale.ROOT, "%.4f", metric.path("value").asDouble());
            }
        }
        return "-";
    }
}
