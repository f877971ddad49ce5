package io.ticketfoundry.common.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * One metric value with the conventions it was computed under (e.g. ECE's bin count and edge
 * rule) and optional details (e.g. ECE's reliability bins).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MetricReport(
        String dataset,
        String split,
        String name,
        double value,
        Map<String, Object> conventions,
        Map<String, Object> details) {
}
