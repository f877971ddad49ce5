package io.ticketfoundry.api.search;

/**
 * A field resolved against the statement: {@code sql} is its value for the row (NULL when missing;
 * for lists and sections the raw jsonb), {@code sqlType} the type a cursor's value is cast back to,
 * {@code perTicket} whether it belongs to a ticket (then an experiment aggregates it over its tickets).
 */
record SearchField(String name, ValueType type, ValueType itemType, String sql, String sqlType, boolean perTicket) {
}
