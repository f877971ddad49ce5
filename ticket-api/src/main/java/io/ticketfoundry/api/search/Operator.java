package io.ticketfoundry.api.search;

/** The comparisons of a condition; the {@code NOT_} forms are the negations written inside it. */
public enum Operator {
    EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="), CONTAINS("~"), NOT_CONTAINS("!~"),
    IN("IN"), NOT_IN("NOT IN"), BETWEEN("BETWEEN"), NOT_BETWEEN("NOT BETWEEN"), IS_NULL("IS NULL"),
    IS_NOT_NULL("IS NOT NULL");

    private final String symbol;

    Operator(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    static Operator ofSymbol(String symbol) {
        for (Operator op : values()) {
            if (op.symbol.equals(symbol)) {
                return op;
            }
        }
        throw new IllegalArgumentException(symbol);
    }

    /** One of {@code < <= > >=} or a range: needs values that have an order. */
    boolean ordering() {
        return this == LT || this == LE || this == GT || this == GE || this == BETWEEN || this == NOT_BETWEEN;
    }
}
