package io.ticketfoundry.api.search;

import io.ticketfoundry.api.metric.MetricSelection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one search statement is being built from: its parameters (every value of the query is one,
 * never SQL text) and the metric values it reads, one lateral subquery per distinct metric, dataset
 * and split. The statement's aliases are {@code e} (experiment) and {@code t} (ticket).
 */
final class SearchSql {

    /** A metric as a condition or sort names it: dataset null for the experiment's own. */
    record MetricKey(String name, String dataset, String split) {
    }

    private final Map<String, Object> params = new HashMap<>();
    private final Map<MetricKey, String> metrics = new LinkedHashMap<>();
    private final StringBuilder laterals = new StringBuilder();

    /** A placeholder bound to {@code value}. */
    String bind(Object value) {
        String name = "p" + (params.size() + 1);
        params.put(name, value);
        return ":" + name;
    }

    Map<String, Object> params() {
        return params;
    }

    /**
     * The column holding the ticket's value of {@code key} (null when it has none). The selection
     * rule is {@link MetricSelection}'s: the row of the ticket's own job, else the most recent.
     */
    String metric(MetricKey key) {
        String alias = metrics.get(key);
        if (alias != null) {
            return alias + ".value";
        }
        alias = "m" + (metrics.size() + 1);
        metrics.put(key, alias);
        String dataset = key.dataset() == null ? "e.resolved_spec ->> 'dataset'" : bind(key.dataset());
        laterals.append("""
                LEFT JOIN LATERAL (SELECT m.value FROM metric m
                    WHERE m.ticket_id = t.id AND m.name = %s AND m.dataset = %s AND m.split = %s
                    ORDER BY %s LIMIT 1) %s ON true
                """.formatted(bind(key.name()), dataset, bind(key.split()), MetricSelection.preferred("t"), alias));
        return alias + ".value";
    }

    /** The joins of every metric asked for so far. */
    String laterals() {
        return laterals.toString();
    }

    int metricCount() {
        return metrics.size();
    }
}
