package io.ticketfoundry.api.search;

/**
 * The {@code sort} parameter: a field as a query names it, {@code -} before it for descending.
 * NULLs come last either way; ties are broken by id, ascending.
 */
record SearchSort(Expr.FieldRef field, boolean descending) {

    static final String DEFAULT = "-created";
    static final int MAX_LENGTH = 300;

    /** The sort asked for, or the default; a {@link QueryException} with positions in the parameter. */
    static SearchSort parse(String sort) {
        String text = sort == null || sort.isBlank() ? DEFAULT : sort.strip();
        if (text.length() > MAX_LENGTH) {
            throw new QueryException("the sort is longer than " + MAX_LENGTH + " characters", MAX_LENGTH + 1);
        }
        boolean descending = text.startsWith("-");
        int offset = descending || text.startsWith("+") ? 1 : 0;
        return new SearchSort(QueryParser.parseField(text.substring(offset), offset), descending);
    }

    /** The field resolved; it must have an order. */
    SearchField resolve(SearchSql sql) {
        SearchField resolved = SearchFields.resolve(field, sql);
        if (!resolved.type().sortable()) {
            throw new QueryException(resolved.name() + " is " + resolved.type().description() + " and cannot be sorted by",
                    field.position());
        }
        return resolved;
    }
}
