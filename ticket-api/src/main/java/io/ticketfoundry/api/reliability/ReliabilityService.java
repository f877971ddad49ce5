package io.ticketfoundry.api.reliability;

import io.ticketfoundry.api.metric.MetricScope;
import io.ticketfoundry.api.metric.MetricSelection;
import io.ticketfoundry.api.metric.MetricSelection.TicketMetric;
import io.ticketfoundry.api.plot.ChartImages;
import io.ticketfoundry.api.plot.ImageFormat;
import io.ticketfoundry.api.plot.ImageSize;
import io.ticketfoundry.api.plot.ReliabilityChart;
import io.ticketfoundry.api.plot.ReliabilityDiagram;
import io.ticketfoundry.api.sharing.ExperimentAccess;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.web.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A ticket's reliability diagram, drawn from its selected ECE metric's recorded bins. */
@Service
public class ReliabilityService {

    static final String ECE = "ece";

    private final MetricSelection selection;
    private final JsonMapper json;

    private final ExperimentAccess access;

    public ReliabilityService(MetricSelection selection, JsonMapper json, ExperimentAccess access) {
        this.access = access;
        this.selection = selection;
        this.json = json;
    }

    public byte[] plot(Caller caller, UUID ticketId, MetricScope scope, ImageFormat format, ImageSize size) {
        return ChartImages.render(ReliabilityChart.create(diagram(caller, ticketId, scope)), format, size);
    }

    /** 404 when the ticket is missing or foreign, and when it has no ECE on that dataset and split. */
    ReliabilityDiagram diagram(Caller caller, UUID ticketId, MetricScope scope) {
        String split = scope.split();
        TicketMetric ticket = selection.forTicket(ticketId, ECE, scope.dataset(), split)
                .orElseThrow(() -> ApiException.notFound("ticket " + ticketId));
        access.requireTicketReadable(ticketId, caller);
        if (ticket.metric() == null) {
            throw new ApiException(HttpStatus.NOT_FOUND, "Not Found", "ticket " + ticketId + " has no ece metric on dataset "
                    + ticket.dataset() + ", split " + split);
        }
        JsonNode conventions = ticket.metric().conventionsJson() == null ? json.createObjectNode()
                : json.readTree(ticket.metric().conventionsJson());
        JsonNode details = ticket.metric().detailsJson() == null ? json.createObjectNode()
                : json.readTree(ticket.metric().detailsJson());
        List<ReliabilityDiagram.Bin> bins = new ArrayList<>();
        for (JsonNode bin : details.path("bins")) {
            long count = bin.path("count").asLong(0);
            bins.add(new ReliabilityDiagram.Bin(bin.path("lower").asDouble(0), bin.path("upper").asDouble(0), count,
                    number(bin.path("accuracy")), number(bin.path("confidence"))));
        }
        String caption = "ticket seed " + ticket.seed() + ", level " + ticket.level() + " (" + ticket.kind() + "), "
                + ticket.dataset() + " " + split + " split";
        return new ReliabilityDiagram(ticket.metric().value(), bins, integer(details.path("samples")),
                integer(conventions.path("bins")), text(conventions.path("binning")), text(conventions.path("edges")),
                text(conventions.path("confidence")), caption);
    }

    private static Double number(JsonNode node) {
        return node.isNumber() ? node.doubleValue() : null;
    }

    private static Integer integer(JsonNode node) {
        return node.isIntegralNumber() ? node.intValue() : null;
    }

    private static String text(JsonNode node) {
        return node.isString() ? node.stringValue() : null;
    }
}
