package io.ticketfoundry.api.search;

/** One lexical unit of a query; {@code position} counts characters from 1. */
record Token(Type type, String text, int position) {

    enum Type {
        /** A field name, a bare value or a keyword (AND, OR, NOT, IN, BETWEEN, IS, NULL), told apart by the parser. */
        WORD,
        /** A quoted value, its quotes and escapes removed. */
        STRING,
        /** A comparison operator: = != <> < <= > >= ~ !~ */
        OPERATOR,
        /** What stands between [ and ] after a field name, as written. */
        QUALIFIER,
        LEFT_PAREN,
        RIGHT_PAREN,
        COMMA,
        END
    }

    boolean isKeyword(String keyword) {
        return type == Type.WORD && text.equalsIgnoreCase(keyword);
    }

    String describe() {
        return switch (type) {
            case END -> "the end of the query";
            case QUALIFIER -> "'[" + shortened(text) + "]'";
            default -> "'" + shortened(text) + "'";
        };
    }

    static String shortened(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
