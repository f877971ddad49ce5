package io.ticketfoundry.api.search;

/** What a field holds, which decides the operators and values it takes and how it sorts. */
enum ValueType {
    NUMBER("a number"),
    TEXT("text"),
    BOOLEAN("true or false"),
    TIME("a date or time"),
    /** A spec list: = and IN test membership. */
    LIST("a list"),
    /** A spec section or map: only IS [NOT] NULL. */
    SECTION("a section");

    private final String description;

    ValueType(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }

    boolean sortable() {
        return this == NUMBER || this == TEXT || this == BOOLEAN || this == TIME;
    }
}
