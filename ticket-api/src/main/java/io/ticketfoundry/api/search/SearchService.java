package io.ticketfoundry.api.search;

import io.ticketfoundry.api.search.SearchViews.ExperimentHit;
import io.ticketfoundry.api.search.SearchViews.ExperimentSearchPage;
import io.ticketfoundry.api.search.SearchViews.TicketHit;
import io.ticketfoundry.api.search.SearchViews.TicketSearchPage;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.web.ApiException;
import io.ticketfoundry.api.web.FieldProblem;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Searches tickets and experiments with one statement each: the visibility predicate, the query
 * compiled to SQL with every value bound, the sort with NULLs last and the id as tie-break, and the
 * page after the cursor (keyset: rows after the cursor's sort value and id).
 */
@Service
public class SearchService {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    private static final List<String> HEADLINE = List.of("accuracy", "ece", "nll", "brier");

    private final JdbcClient jdbc;

    public SearchService(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What both searches share once the parameters are read. */
    private record Plan(SearchSql sql, VisibleExperiments.Predicate visible, String where, SearchField sort,
            boolean descending, SearchCursor after, int limit, String fingerprint) {
    }

    public TicketSearchPage tickets(Caller caller, String q, String sort, Integer limit, String cursor) {
        VisibleExperiments.Predicate visible = VisibleExperiments.predicate(caller, "e");
        SearchSql sql = new SearchSql();
        Map<String, String> headline = new HashMap<>();
        for (String name : HEADLINE) {
            headline.put(name, sql.metric(new SearchSql.MetricKey(name, null, "test")));
        }
        Plan plan = plan("tickets", visible, sql, q, sort, limit, cursor);
        String statement = """
                SELECT x.*, %s AS sort_text FROM (
                    SELECT t.id, t.experiment_id, e.name AS experiment_name, t.kind, t.seed, t.level, t.step,
                           t.prunable_weights, t.remaining_prunable, t.created_at,
                           %s AS accuracy, %s AS ece, %s AS nll, %s AS brier, %s AS sort_value
                    FROM ticket t JOIN experiment e ON e.id = t.experiment_id
                    %s
                    WHERE %s AND %s
                ) x
                WHERE %s
                ORDER BY x.sort_value %s NULLS LAST, x.id
                LIMIT %d""".formatted(sortText(plan.sort()), headline.get("accuracy"), headline.get("ece"),
                headline.get("nll"), headline.get("brier"), plan.sort().sql(), sql.laterals(), visible.sql(),
                plan.where(), keyset(plan), plan.descending() ? "DESC" : "ASC", plan.limit() + 1);
        List<Row<TicketHit>> rows = run(statement, plan, SearchService::ticket);
        return new TicketSearchPage(items(rows, plan), next(rows, plan));
    }

    public ExperimentSearchPage experiments(Caller caller, String q, String sort, Integer limit, String cursor) {
        VisibleExperiments.Predicate visible = VisibleExperiments.predicate(caller, "e");
        SearchSql sql = new SearchSql();
        Plan plan = plan("experiments", visible, sql, q, sort, limit, cursor);
        String sortValue = !plan.sort().perTicket() ? plan.sort().sql()
                : (plan.descending() ? "max(" : "min(") + plan.sort().sql() + ")";
        String statement = """
                SELECT x.*, %s AS sort_text FROM (
                    SELECT e.id, e.name, e.created_at, e.spec_hash, e.resolved_spec ->> 'model' AS model,
                           e.resolved_spec ->> 'dataset' AS dataset,
                           e.resolved_spec #>> '{training,objective,kind}' AS objective,
                           count(t.id) AS matching_tickets, %s AS sort_value
                    FROM experiment e LEFT JOIN ticket t ON t.experiment_id = e.id
                    %s
                    WHERE %s AND %s
                    GROUP BY e.id
                ) x
                WHERE %s
                ORDER BY x.sort_value %s NULLS LAST, x.id
                LIMIT %d""".formatted(sortText(plan.sort()), sortValue, sql.laterals(), visible.sql(), plan.where(),
                keyset(plan), plan.descending() ? "DESC" : "ASC", plan.limit() + 1);
        List<Row<ExperimentHit>> rows = run(statement, plan, SearchService::experiment);
        return new ExperimentSearchPage(items(rows, plan), next(rows, plan));
    }

    /** Reads and checks every parameter; all problems are reported together, each naming its parameter. */
    private static Plan plan(String target, VisibleExperiments.Predicate visible, SearchSql sql, String q, String sort,
            Integer limit, String cursor) {
        List<FieldProblem> problems = new ArrayList<>();
        int pageSize = limit == null ? DEFAULT_LIMIT : limit;
        if (pageSize < 1 || pageSize > MAX_LIMIT) {
            problems.add(new FieldProblem("limit", "must be between 1 and " + MAX_LIMIT));
        }
        Expr expr = null;
        String where = null;
        try {
            expr = QueryParser.parse(q);
            where = new ConditionCompiler(sql).compile(expr);
        } catch (QueryException e) {
            problems.add(new FieldProblem("q", e.getMessage()));
        }
        SearchSort order = null;
        SearchField sortField = null;
        try {
            order = SearchSort.parse(sort);
            sortField = order.resolve(sql);
        } catch (QueryException e) {
            problems.add(new FieldProblem("sort", e.getMessage()));
        }
        String fingerprint = null;
        SearchCursor after = null;
        if (where != null && sortField != null) {
            // the search as parsed, so that spacing and an explicit default sort do not change it
            fingerprint = SearchCursor.fingerprint(target, expr == null ? "" : expr.describe(),
                    (order.descending() ? "-" : "") + sortField.name());
            if (cursor != null && !cursor.isBlank()) {
                after = SearchCursor.decode(cursor, fingerprint);
                if (after == null || !after.valueFits(sortField.sqlType())) {
                    problems.add(new FieldProblem("cursor", "is not the next cursor of a search with this q and sort"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        return new Plan(sql, visible, where, sortField, order.descending(), after, pageSize, fingerprint);
    }

    /** The sort value as text a cursor carries and casts back exactly. */
    private static String sortText(SearchField sort) {
        return sort.sqlType().equals("timestamptz")
                ? "to_char(x.sort_value AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                : "CAST(x.sort_value AS text)";
    }

    /** Rows after the cursor in the order (sort value, NULLs last, then id). */
    private static String keyset(Plan plan) {
        SearchCursor after = plan.after();
        if (after == null) {
            return "true";
        }
        String id = plan.sql().bind(after.id());
        if (after.value() == null) {
            return "x.sort_value IS NULL AND x.id > " + id;
        }
        String value = "CAST(" + plan.sql().bind(after.value()) + " AS " + plan.sort().sqlType() + ")";
        return "(x.sort_value " + (plan.descending() ? "<" : ">") + " " + value + " OR (x.sort_value = " + value
                + " AND x.id > " + id + ") OR x.sort_value IS NULL)";
    }

    private record Row<T>(T item, UUID id, String sortText) {
    }

    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<Row<T>> run(String statement, Plan plan, RowReader<T> reader) {
        Map<String, Object> params = new HashMap<>(plan.sql().params());
        params.putAll(plan.visible().params());
        return jdbc.sql(statement).params(params)
                .query((rs, n) -> new Row<>(reader.read(rs), rs.getObject("id", UUID.class), rs.getString("sort_text")))
                .list();
    }

    private static <T> List<T> items(List<Row<T>> rows, Plan plan) {
        return rows.stream().limit(plan.limit()).map(Row::item).toList();
    }

    private static <T> String next(List<Row<T>> rows, Plan plan) {
        if (rows.size() <= plan.limit()) {
            return null;
        }
        Row<T> last = rows.get(plan.limit() - 1);
        return new SearchCursor(plan.fingerprint(), last.id(), last.sortText()).encode();
    }

    private static TicketHit ticket(ResultSet rs) throws SQLException {
        long prunable = rs.getLong("prunable_weights");
        long remaining = rs.getLong("remaining_prunable");
        return new TicketHit(rs.getObject("id", UUID.class), rs.getObject("experiment_id", UUID.class),
                rs.getString("experiment_name"), rs.getString("kind"), rs.getLong("seed"), rs.getInt("level"),
                rs.getObject("step", Long.class),
                prunable == 0 ? 0.0 : (double) (prunable - remaining) / prunable,
                prunable == 0 ? 1.0 : (double) remaining / prunable,
                rs.getObject("accuracy", Double.class), rs.getObject("ece", Double.class),
                rs.getObject("nll", Double.class), rs.getObject("brier", Double.class),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), sortValue(rs));
    }

    private static ExperimentHit experiment(ResultSet rs) throws SQLException {
        return new ExperimentHit(rs.getObject("id", UUID.class), rs.getString("name"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getString("model"),
                rs.getString("dataset"), rs.getString("objective"), rs.getString("spec_hash"),
                rs.getLong("matching_tickets"), sortValue(rs));
    }

    private static Object sortValue(ResultSet rs) throws SQLException {
        Object value = rs.getObject("sort_value");
        return value instanceof Timestamp timestamp ? timestamp.toInstant() : value;
    }
}
