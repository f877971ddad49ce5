package io.ticketfoundry.api.search;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A parsed query as one SQL predicate over the aliases {@code e} and {@code t}. Every value is a
 * bound parameter. Each condition is two-valued: a missing value (no such metric, a spec path the
 * experiment lacks, no ticket) makes it false, whatever the operator, and NOT makes it true.
 */
final class ConditionCompiler {

    private final SearchSql sql;

    ConditionCompiler(SearchSql sql) {
        this.sql = sql;
    }

    /** The predicate; {@code true} for no query. */
    String compile(Expr expr) {
        return expr == null ? "true" : node(expr);
    }

    private String node(Expr expr) {
        if (expr instanceof Expr.Or or) {
            return or.terms().stream().map(this::node).collect(Collectors.joining(" OR ", "(", ")"));
        }
        if (expr instanceof Expr.And and) {
            return and.terms().stream().map(this::node).collect(Collectors.joining(" AND ", "(", ")"));
        }
        if (expr instanceof Expr.Not not) {
            return "(NOT " + node(not.term()) + ")";
        }
        return "COALESCE(" + condition((Expr.Condition) expr) + ", false)";
    }

    private String condition(Expr.Condition c) {
        SearchField field = SearchFields.resolve(c.field(), sql);
        Operator op = c.op();
        if (op == Operator.IS_NULL) {
            return field.sql() + " IS NULL";
        }
        if (op == Operator.IS_NOT_NULL) {
            return field.sql() + " IS NOT NULL";
        }
        return switch (field.type()) {
            case SECTION -> throw new QueryException(field.name() + " is a section of the spec: it takes only IS NULL "
                    + "and IS NOT NULL; name one of its fields", c.field().position());
            case LIST -> list(field, c);
            default -> scalar(field, c);
        };
    }

    private String scalar(SearchField field, Expr.Condition c) {
        Operator op = c.op();
        if ((op == Operator.CONTAINS || op == Operator.NOT_CONTAINS) && field.type() != ValueType.TEXT) {
            throw new QueryException("'" + op.symbol() + "' applies to text; " + field.name() + " is "
                    + field.type().description(), c.field().position());
        }
        if (op.ordering() && field.type() == ValueType.BOOLEAN) {
            throw new QueryException("'" + op.symbol() + "' needs ordered values; " + field.name() + " is "
                    + field.type().description(), c.field().position());
        }
        String x = field.sql();
        List<String> v = new ArrayList<>();
        for (Expr.Literal literal : c.values()) {
            v.add(value(field, literal));
        }
        return switch (op) {
            case EQ, NE, LT, LE, GT, GE -> x + " " + op.symbol() + " " + v.get(0);
            case CONTAINS -> "strpos(lower(" + x + "), lower(" + v.get(0) + ")) > 0";
            case NOT_CONTAINS -> "strpos(lower(" + x + "), lower(" + v.get(0) + ")) = 0";
            case IN -> x + " IN (" + String.join(", ", v) + ")";
            case NOT_IN -> x + " NOT IN (" + String.join(", ", v) + ")";
            case BETWEEN -> x + " BETWEEN " + v.get(0) + " AND " + v.get(1);
            case NOT_BETWEEN -> x + " NOT BETWEEN " + v.get(0) + " AND " + v.get(1);
            case IS_NULL, IS_NOT_NULL -> throw new IllegalStateException();
        };
    }

    /** A list holds a value (=, IN) or does not (!=, NOT IN); nothing else applies. */
    private String list(SearchField field, Expr.Condition c) {
        Operator op = c.op();
        if (op != Operator.EQ && op != Operator.NE && op != Operator.IN && op != Operator.NOT_IN) {
            throw new QueryException(field.name() + " is a list: it takes = (holds), != (does not hold), IN, NOT IN, "
                    + "IS NULL and IS NOT NULL", c.field().position());
        }
        List<String> holds = new ArrayList<>();
        for (Expr.Literal literal : c.values()) {
            String item = field.itemType() == ValueType.NUMBER
                    ? "CAST(" + sql.bind(number(field, literal)) + " AS numeric)"
                    : "CAST(" + sql.bind(literal.text()) + " AS text)";
            holds.add(field.sql() + " @> jsonb_build_array(" + item + ")");
        }
        String any = holds.size() == 1 ? holds.get(0) : holds.stream().collect(Collectors.joining(" OR ", "(", ")"));
        return op == Operator.EQ || op == Operator.IN ? any : "NOT " + any;
    }

    /** The literal bound as the field's type, or a QueryException naming it. */
    private String value(SearchField field, Expr.Literal literal) {
        return switch (field.type()) {
            case NUMBER -> "CAST(" + sql.bind(number(field, literal)) + " AS numeric)";
            case TEXT -> "CAST(" + sql.bind(literal.text()) + " AS text)";
            case BOOLEAN -> {
                Boolean b = literal.bool();
                if (b == null) {
                    throw new QueryException(field.name() + " is true or false, not '" + Token.shortened(literal.text())
                            + "'", literal.position());
                }
                yield "CAST(" + sql.bind(b) + " AS boolean)";
            }
            case TIME -> "CAST(" + sql.bind(time(field, literal)) + " AS timestamptz)";
            case LIST, SECTION -> throw new IllegalStateException();
        };
    }

    private static BigDecimal number(SearchField field, Expr.Literal literal) {
        BigDecimal number = literal.number();
        if (number == null) {
            throw new QueryException(field.name() + " is a number; '" + Token.shortened(literal.text())
                    + "' is not one", literal.position());
        }
        return number;
    }

    /** 2025-03-01 (midnight UTC), 2025-03-01T12:00 (UTC) or an ISO-8601 instant with offset. */
    static OffsetDateTime time(SearchField field, Expr.Literal literal) {
        String text = literal.text().strip();
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC);
            }
            try {
                return OffsetDateTime.parse(text);
            } catch (DateTimeParseException e) {
                return LocalDateTime.parse(text).atOffset(ZoneOffset.UTC);
            }
        } catch (DateTimeParseException e) {
            throw new QueryException(field.name() + " is a time: write 2025-03-01, '2025-03-01T12:00' (UTC) or "
                    + "'2025-03-01T12:00:00+02:00'; '" + Token.shortened(text) + "' is none of these", literal.position());
        }
    }
}
