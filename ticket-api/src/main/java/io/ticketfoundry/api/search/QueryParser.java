package io.ticketfoundry.api.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive descent over the grammar of docs/search.md:
 * <pre>
 * query     := or END
 * or        := and (OR and)*
 * and       := unary (AND unary)*
 * unary     := NOT unary | '(' or ')' | condition
 * condition := field ( op value | IS [NOT] NULL | [NOT] IN '(' value (',' value)* ')'
 *                    | [NOT] BETWEEN value AND value )
 * field     := WORD [QUALIFIER]
 * value     := STRING | WORD
 * </pre>
 * so NOT binds tighter than AND, and AND tighter than OR. Keywords are case-insensitive.
 */
public final class QueryParser {

    public static final int MAX_LENGTH = 4000;
    public static final int MAX_CONDITIONS = 100;
    public static final int MAX_DEPTH = 40;
    public static final int MAX_IN_VALUES = 100;

    private static final List<String> KEYWORDS = List.of("AND", "OR", "NOT", "IN", "BETWEEN", "IS", "NULL");

    private final List<Token> tokens;
    private int at;
    private int conditions;
    private int depth;

    private QueryParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** The query's expression; null for a blank query (everything matches). */
    public static Expr parse(String query) {
        if (query == null || query.isBlank()) {
            return null;
        }
        if (query.length() > MAX_LENGTH) {
            throw new QueryException("the query is longer than " + MAX_LENGTH + " characters", MAX_LENGTH + 1);
        }
        QueryParser parser = new QueryParser(QueryLexer.tokens(query));
        Expr expr = parser.or();
        Token end = parser.peek();
        if (end.type() != Token.Type.END) {
            throw new QueryException("expected AND, OR or the end of the query, found " + end.describe(), end.position());
        }
        return expr;
    }

    /** A field as written in a sort parameter (without its leading - or +): a name and an optional qualifier. */
    public static Expr.FieldRef parseField(String text, int offset) {
        List<Token> tokens;
        try {
            tokens = QueryLexer.tokens(text);
        } catch (QueryException e) {
            throw new QueryException(strip(e), e.position() + offset);
        }
        QueryParser parser = new QueryParser(tokens);
        Token first = parser.peek();
        if (first.type() != Token.Type.WORD) {
            throw new QueryException("expected a field name, found " + first.describe(), first.position() + offset);
        }
        Expr.FieldRef field = parser.field();
        Token end = parser.peek();
        if (end.type() != Token.Type.END) {
            throw new QueryException("expected the end after the field, found " + end.describe(), end.position() + offset);
        }
        return new Expr.FieldRef(field.name(), field.qualifier(), field.position() + offset);
    }

    private static String strip(QueryException e) {
        String message = e.getMessage();
        return message.substring(0, message.lastIndexOf(" at position "));
    }

    private Expr or() {
        List<Expr> terms = new ArrayList<>();
        terms.add(and());
        while (peek().isKeyword("OR")) {
            at++;
            terms.add(and());
        }
        return terms.size() == 1 ? terms.get(0) : new Expr.Or(terms);
    }

    private Expr and() {
        List<Expr> terms = new ArrayList<>();
        terms.add(unary());
        while (peek().isKeyword("AND")) {
            at++;
            terms.add(unary());
        }
        return terms.size() == 1 ? terms.get(0) : new Expr.And(terms);
    }

    private Expr unary() {
        Token token = peek();
        if (++depth > MAX_DEPTH) {
            throw new QueryException("the query nests NOT and parentheses deeper than " + MAX_DEPTH, token.position());
        }
        try {
            if (token.isKeyword("NOT")) {
                at++;
                return new Expr.Not(unary());
            }
            if (token.type() == Token.Type.LEFT_PAREN) {
                at++;
                Expr inner = or();
                expect(Token.Type.RIGHT_PAREN, "')' to close the '(' at position " + token.position());
                return inner;
            }
            return condition();
        } finally {
            depth--;
        }
    }

    private Expr condition() {
        Token start = peek();
        if (start.type() != Token.Type.WORD || isKeyword(start)) {
            throw new QueryException("expected a field name, NOT or '(', found " + start.describe(), start.position());
        }
        if (++conditions > MAX_CONDITIONS) {
            throw new QueryException("the query has more than " + MAX_CONDITIONS + " conditions", start.position());
        }
        Expr.FieldRef field = field();
        Token token = peek();
        if (token.type() == Token.Type.OPERATOR) {
            at++;
            return new Expr.Condition(field, Operator.ofSymbol(token.text()), List.of(value()));
        }
        if (token.isKeyword("IS")) {
            at++;
            boolean not = accept("NOT");
            Token nul = peek();
            if (!nul.isKeyword("NULL")) {
                throw new QueryException("expected NULL after IS" + (not ? " NOT" : "") + ", found " + nul.describe(),
                        nul.position());
            }
            at++;
            return new Expr.Condition(field, not ? Operator.IS_NOT_NULL : Operator.IS_NULL, List.of());
        }
        boolean not = accept("NOT");
        if (accept("IN")) {
            return new Expr.Condition(field, not ? Operator.NOT_IN : Operator.IN, list());
        }
        if (accept("BETWEEN")) {
            Expr.Literal low = value();
            Token and = peek();
            if (!and.isKeyword("AND")) {
                throw new QueryException("expected AND between the two bounds of BETWEEN, found " + and.describe(),
                        and.position());
            }
            at++;
            Expr.Literal high = value();
            return new Expr.Condition(field, not ? Operator.NOT_BETWEEN : Operator.BETWEEN, List.of(low, high));
        }
        Token found = peek();
        throw new QueryException("expected an operator (= != < <= > >= ~ !~ IN BETWEEN IS) after "
                + field.describe() + ", found " + found.describe(), found.position());
    }

    private Expr.FieldRef field() {
        Token name = tokens.get(at++);
        String qualifier = null;
        if (peek().type() == Token.Type.QUALIFIER) {
            qualifier = tokens.get(at++).text();
        }
        return new Expr.FieldRef(name.text(), qualifier, name.position());
    }

    private List<Expr.Literal> list() {
        Token open = peek();
        expect(Token.Type.LEFT_PAREN, "'(' to open the list of IN");
        List<Expr.Literal> values = new ArrayList<>();
        values.add(value());
        while (peek().type() == Token.Type.COMMA) {
            at++;
            values.add(value());
            if (values.size() > MAX_IN_VALUES) {
                throw new QueryException("IN lists at most " + MAX_IN_VALUES + " values", open.position());
            }
        }
        expect(Token.Type.RIGHT_PAREN, "',' or ')' to close the list of IN opened at position " + open.position());
        return values;
    }

    private Expr.Literal value() {
        Token token = peek();
        if (token.type() == Token.Type.STRING) {
            at++;
            return new Expr.Literal(token.text(), true, token.position());
        }
        if (token.type() == Token.Type.WORD && !isKeyword(token)) {
            at++;
            return new Expr.Literal(token.text(), false, token.position());
        }
        String hint = token.isKeyword("NULL") ? " (use IS NULL or IS NOT NULL)"
                : token.type() == Token.Type.WORD ? " (quote it to use it as a value)" : "";
        throw new QueryException("expected a value, found " + token.describe() + hint, token.position());
    }

    private boolean accept(String keyword) {
        if (peek().isKeyword(keyword)) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(Token.Type type, String what) {
        Token token = peek();
        if (token.type() != type) {
            throw new QueryException("expected " + what + ", found " + token.describe(), token.position());
        }
        at++;
    }

    private Token peek() {
        return tokens.get(at);
    }

    private static boolean isKeyword(Token token) {
        return KEYWORDS.stream().anyMatch(token::isKeyword);
    }
}
