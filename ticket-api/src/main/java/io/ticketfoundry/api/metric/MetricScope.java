package io.ticketfoundry.api.metric;

import io.ticketfoundry.api.web.FieldProblem;
import java.util.List;

/**
 * The data whose metrics are read: a dataset (null: each experiment's own spec dataset) and a split
 * (default {@code test}), as the {@code dataset} and {@code split} query parameters give them.
 */
public record MetricScope(String dataset, String split) {

    public static final int MAX_LENGTH = 200;

    /** The parameters stripped, with the default split; a problem naming each blank or overlong one (then null). */
    public static MetricScope read(String dataset, String split, List<FieldProblem> problems) {
        int before = problems.size();
        String d = name("dataset", dataset, null, problems);
        String s = name("split", split, MetricSelection.DEFAULT_SPLIT, problems);
        return problems.size() > before ? null : new MetricScope(d, s);
    }

    private static String name(String field, String value, String fallback, List<FieldProblem> problems) {
        if (value == null) {
            return fallback;
        }
        String name = value.strip();
        if (name.isEmpty() || name.length() > MAX_LENGTH) {
            problems.add(new FieldProblem(field, "must be 1 to " + MAX_LENGTH + " characters when given"));
            return null;
        }
        return name;
    }
}
