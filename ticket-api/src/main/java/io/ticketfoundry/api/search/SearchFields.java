package io.ticketfoundry.api.search;

import io.ticketfoundry.api.metric.MetricScope;
import io.ticketfoundry.api.metric.MetricSelection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fields a query and a sort can name: any resolved-spec path ({@code spec.…}) and its
 * shorthands, the experiment's name, creation time and id, the ticket's own fields, and metrics by
 * name with an optional {@code [dataset:split]}. Names other than spec paths are matched in any case.
 */
final class SearchFields {

    /** Shorthands for spec paths. */
    static final Map<String, String> SHORTHANDS = Map.of(
            "model", "model",
            "dataset", "dataset",
            "objective", "training.objective.kind",
            "optimizer", "training.optimizer");

    private record Column(String sql, ValueType type, String sqlType, boolean perTicket) {
    }

    private static final String PRUNED = "CAST(t.prunable_weights - t.remaining_prunable AS double precision)";
    private static final String KEPT = "CAST(t.remaining_prunable AS double precision)";

    private static final Map<String, Column> COLUMNS = columns();

    private static Map<String, Column> columns() {
        Map<String, Column> columns = new LinkedHashMap<>();
        columns.put("name", new Column("e.name", ValueType.TEXT, "text", false));
        columns.put("created", new Column("e.created_at", ValueType.TIME, "timestamptz", false));
        columns.put("experiment", new Column("CAST(e.id AS text)", ValueType.TEXT, "text", false));
        columns.put("seed", new Column("t.seed", ValueType.NUMBER, "bigint", true));
        columns.put("level", new Column("t.level", ValueType.NUMBER, "integer", true));
        columns.put("kind", new Column("t.kind", ValueType.TEXT, "text", true));
        columns.put("sparsity", new Column("(CASE WHEN t.prunable_weights = 0 THEN CAST(0 AS double precision) ELSE "
                + PRUNED + " / t.prunable_weights END)", ValueType.NUMBER, "double precision", true));
        columns.put("remaining", new Column("(CASE WHEN t.prunable_weights = 0 THEN CAST(1 AS double precision) ELSE "
                + KEPT + " / t.prunable_weights END)", ValueType.NUMBER, "double precision", true));
        return Map.copyOf(columns);
    }

    /** Every name a query can use besides spec paths, for error messages and the docs. */
    static List<String> simpleNames() {
        List<String> names = new ArrayList<>(List.of("model", "dataset", "objective", "optimizer", "name",
                "created", "experiment", "seed", "level", "kind", "sparsity", "remaining"));
        names.addAll(MetricSelection.KNOWN_METRICS);
        return names;
    }

    private SearchFields() {
    }

    static SearchField resolve(Expr.FieldRef ref, SearchSql sql) {
        String name = ref.name();
        String lower = name.toLowerCase(Locale.ROOT);
        boolean metric = MetricSelection.KNOWN_METRICS.contains(lower);
        if (ref.qualifier() != null && !metric) {
            throw new QueryException("only metrics take [dataset:split]; '" + name + "' is not a metric", ref.position());
        }
        if (name.startsWith("spec.")) {
            return spec(SpecShape.resolve(name.substring("spec.".length()), ref.position()), sql);
        }
        if (SHORTHANDS.containsKey(lower)) {
            return spec(SpecShape.resolve(SHORTHANDS.get(lower), ref.position()), sql);
        }
        Column column = COLUMNS.get(lower);
        if (column != null) {
            return new SearchField(lower, column.type(), null, column.sql(), column.sqlType(), column.perTicket());
        }
        if (metric) {
            SearchSql.MetricKey key = metricKey(lower, ref);
            String shown = ref.qualifier() == null ? lower : lower + "[" + ref.qualifier() + "]";
            return new SearchField(shown, ValueType.NUMBER, null, sql.metric(key), "double precision", true);
        }
        throw new QueryException("unknown field '" + Token.shortened(name) + "'; fields are spec.<path> (e.g. "
                + "spec.training.learningRate), " + String.join(", ", simpleNames()), ref.position());
    }

    private static SearchSql.MetricKey metricKey(String name, Expr.FieldRef ref) {
        if (ref.qualifier() == null) {
            return new SearchSql.MetricKey(name, null, MetricSelection.DEFAULT_SPLIT);
        }
        String qualifier = ref.qualifier();
        int colon = qualifier.indexOf(':');
        String dataset = (colon < 0 ? qualifier : qualifier.substring(0, colon)).strip();
        String split = colon < 0 ? "" : qualifier.substring(colon + 1).strip();
        if (dataset.isEmpty() && split.isEmpty()) {
            throw new QueryException("'" + name + "[]' names neither a dataset nor a split; write " + name
                    + "[dataset], " + name + "[dataset:split] or " + name + "[:split]", ref.position());
        }
        if (dataset.length() > MetricScope.MAX_LENGTH || split.length() > MetricScope.MAX_LENGTH) {
            throw new QueryException("a dataset or split name is longer than " + MetricScope.MAX_LENGTH + " characters",
                    ref.position());
        }
        return new SearchSql.MetricKey(name, dataset.isEmpty() ? null : dataset,
                split.isEmpty() ? MetricSelection.DEFAULT_SPLIT : split);
    }

    private static SearchField spec(SpecShape.Path path, SearchSql sql) {
        String json = "(e.resolved_spec #> CAST(ARRAY[" + sql.bind(path.segments()) + "] AS text[]))";
        return switch (path.type()) {
            case NUMBER -> new SearchField(path.dotted(), ValueType.NUMBER, null,
                    "(CASE WHEN jsonb_typeof(" + json + ") = 'number' THEN CAST(" + json + " #>> '{}' AS numeric) END)",
                    "numeric", false);
            case TEXT -> new SearchField(path.dotted(), ValueType.TEXT, null,
                    "(CASE WHEN jsonb_typeof(" + json + ") = 'string' THEN " + json + " #>> '{}' END)", "text", false);
            case BOOLEAN -> new SearchField(path.dotted(), ValueType.BOOLEAN, null,
                    "(CASE WHEN jsonb_typeof(" + json + ") = 'boolean' THEN CAST(" + json + " #>> '{}' AS boolean) END)",
                    "boolean", false);
            case LIST, SECTION -> new SearchField(path.dotted(), path.type(), path.itemType(),
                    "NULLIF(" + json + ", CAST('null' AS jsonb))", "jsonb", false);
            case TIME -> throw new IllegalStateException("no spec field holds a time");
        };
    }
}
