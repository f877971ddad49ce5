package io.ticketfoundry.api.search;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A parsed query: conditions combined with AND, OR and NOT. {@link #describe()} shows its grouping. */
public sealed interface Expr {

    String describe();

    record Or(List<Expr> terms) implements Expr {
        public Or {
            terms = List.copyOf(terms);
        }

        @Override
        public String describe() {
            return terms.stream().map(Expr::describe).collect(Collectors.joining(" OR ", "(", ")"));
        }
    }

    record And(List<Expr> terms) implements Expr {
        public And {
            terms = List.copyOf(terms);
        }

        @Override
        public String describe() {
            return terms.stream().map(Expr::describe).collect(Collectors.joining(" AND ", "(", ")"));
        }
    }

    record Not(Expr term) implements Expr {
        @Override
        public String describe() {
            return "NOT " + term.describe();
        }
    }

    /** {@code field op values}: one value for = != < <= > >= ~ !~, two for BETWEEN, any for IN, none for IS NULL. */
    record Condition(FieldRef field, Operator op, List<Literal> values) implements Expr {
        public Condition {
            values = List.copyOf(values);
        }

        @Override
        public String describe() {
            String v = switch (op) {
                case IS_NULL, IS_NOT_NULL -> "";
                case BETWEEN, NOT_BETWEEN -> " " + values.get(0).describe() + " AND " + values.get(1).describe();
                case IN, NOT_IN -> values.stream().map(Literal::describe).collect(Collectors.joining(", ", " (", ")"));
                default -> " " + values.get(0).describe();
            };
            return field.describe() + " " + op.symbol() + v;
        }
    }

    /** A field as written: its name and, for a metric, the text between brackets (null without). */
    record FieldRef(String name, String qualifier, int position) {
        String describe() {
            return qualifier == null ? name : name + "[" + qualifier + "]";
        }
    }

    /** A value as written; {@code quoted} values are always strings. */
    record Literal(String text, boolean quoted, int position) {

        private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

        /** The number an unquoted value spells, or null. */
        public BigDecimal number() {
            return !quoted && NUMBER.matcher(text).matches() ? new BigDecimal(text) : null;
        }

        /** true or false for an unquoted true/false (any case), else null. */
        public Boolean bool() {
            if (quoted) {
                return null;
            }
            return text.equalsIgnoreCase("true") ? Boolean.TRUE : text.equalsIgnoreCase("false") ? Boolean.FALSE : null;
        }

        String describe() {
            return quoted ? "'" + text.replace("'", "''") + "'" : text;
        }
    }
}
