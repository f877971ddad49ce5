package io.ticketfoundry.common.protocol;

import java.util.Map;

/**
 * One metric value with the conventions it was computed under (e.g. ECE's bin count and edge
 * rule) and optional details (e.g. ECE's reliability bins).
 */
public record MetricReport(
        String dataset,
        String split,
        String name,
        double value,
        Map<String, Object> conventions,
        Map<String, Object> details) {
}
