package io.ticketfoundry.api.search;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a query into tokens. A bare word is a run of letters, digits and {@code _ . - +}; anything
 * else must be quoted ({@code '...'} or {@code "..."}, a backslash or a doubled quote escaping the
 * quote). A {@code [...]} right after a word is read as written (a metric's dataset and split).
 */
final class QueryLexer {

    private final String text;
    private int at;

    private QueryLexer(String text) {
        this.text = text;
    }

    static List<Token> tokens(String text) {
        return new QueryLexer(text).all();
    }

    static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == '+';
    }

    private List<Token> all() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
            if (at >= text.length()) {
                tokens.add(new Token(Token.Type.END, "", at + 1));
                return tokens;
            }
            tokens.add(next(tokens.isEmpty() ? null : tokens.get(tokens.size() - 1)));
        }
    }

    private Token next(Token previous) {
        int start = at;
        char c = text.charAt(at);
        switch (c) {
            case '(' -> {
                at++;
                return new Token(Token.Type.LEFT_PAREN, "(", start + 1);
            }
            case ')' -> {
                at++;
                return new Token(Token.Type.RIGHT_PAREN, ")", start + 1);
            }
            case ',' -> {
                at++;
                return new Token(Token.Type.COMMA, ",", start + 1);
            }
            case '\'', '"' -> {
                return quoted(c);
            }
            case '[' -> {
                if (previous == null || previous.type() != Token.Type.WORD || previous.position() + previous.text().length() != start + 1) {
                    throw new QueryException("'[' must follow a metric name directly, as in ece[dataset:split]", start + 1);
                }
                int end = text.indexOf(']', start);
                if (end < 0) {
                    throw new QueryException("'[' is not closed by ']'", start + 1);
                }
                at = end + 1;
                return new Token(Token.Type.QUALIFIER, text.substring(start + 1, end), start + 1);
            }
            case '=' -> {
                at += text.startsWith("==", at) ? 2 : 1;
                return new Token(Token.Type.OPERATOR, "=", start + 1);
            }
            case '!' -> {
                if (text.startsWith("!=", at) || text.startsWith("!~", at)) {
                    at += 2;
                    return new Token(Token.Type.OPERATOR, text.substring(start, at), start + 1);
                }
                throw new QueryException("'!' must be followed by '=' or '~'", start + 1);
            }
            case '<' -> {
                String op = text.startsWith("<=", at) ? "<=" : text.startsWith("<>", at) ? "!=" : "<";
                at += op.equals("<") ? 1 : 2;
                return new Token(Token.Type.OPERATOR, op, start + 1);
            }
            case '>' -> {
                String op = text.startsWith(">=", at) ? ">=" : ">";
                at += op.length();
                return new Token(Token.Type.OPERATOR, op, start + 1);
            }
            case '~' -> {
                at++;
                return new Token(Token.Type.OPERATOR, "~", start + 1);
            }
            default -> {
                if (!isWordChar(c)) {
                    throw new QueryException("unexpected character '" + c + "' (quote values that contain it)", start + 1);
                }
                while (at < text.length() && isWordChar(text.charAt(at))) {
                    at++;
                }
                return new Token(Token.Type.WORD, text.substring(start, at), start + 1);
            }
        }
    }

    private Token quoted(char quote) {
        int start = at;
        StringBuilder value = new StringBuilder();
        at++;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '\\' && at + 1 < text.length()) {
                value.append(text.charAt(at + 1));
                at += 2;
            } else if (c == quote && at + 1 < text.length() && text.charAt(at + 1) == quote) {
                value.append(quote);
                at += 2;
            } else if (c == quote) {
                at++;
                return new Token(Token.Type.STRING, value.toString(), start + 1);
            } else {
                value.append(c);
                at++;
            }
        }
        throw new QueryException("the quoted value is not closed by " + quote, start + 1);
    }
}
