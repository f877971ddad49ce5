package io.ticketfoundry.api.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class QueryParserTest {

    private static String parsed(String query) {
        return QueryParser.parse(query).describe();
    }

    private static QueryException error(String query) {
        try {
            QueryParser.parse(query);
        } catch (QueryException e) {
            return e;
        }
        throw new AssertionError("parsed: " + query);
    }

    @Test
    void andBindsTighterThanOr() {
        assertThat(parsed("a = 1 OR b = 2 AND c = 3")).isEqualTo("(a = 1 OR (b = 2 AND c = 3))");
        assertThat(parsed("a = 1 AND b = 2 OR c = 3")).isEqualTo("((a = 1 AND b = 2) OR c = 3)");
    }

    @Test
    void notBindsTighterThanAnd() {
        assertThat(parsed("NOT a = 1 AND b = 2")).isEqualTo("(NOT a = 1 AND b = 2)");
        assertThat(parsed("NOT a = 1 OR NOT NOT b = 2")).isEqualTo("(NOT a = 1 OR NOT NOT b = 2)");
        assertThat(parsed("NOT (a = 1 OR b = 2)")).isEqualTo("NOT (a = 1 OR b = 2)");
    }

    @Test
    void parenthesesGroup() {
        assertThat(parsed("dataset = cifar10 AND sparsity >= 0.9 AND (ece < 0.05 OR nll < 0.3)"))
                .isEqualTo("(dataset = cifar10 AND sparsity >= 0.9 AND (ece < 0.05 OR nll < 0.3))");
        assertThat(parsed("((a = 1))")).isEqualTo("a = 1");
        assertThat(parsed("(a = 1 OR b = 2) AND c = 3")).isEqualTo("((a = 1 OR b = 2) AND c = 3)");
    }

    @Test
    void keywordsInAnyCase() {
        assertThat(parsed("a = 1 and not b in (x, y) Or c between 1 AnD 2 aNd d is not null"))
                .isEqualTo("((a = 1 AND NOT b IN (x, y)) OR (c BETWEEN 1 AND 2 AND d IS NOT NULL))");
    }

    @Test
    void everyOperator() {
        assertThat(parsed("a=1 AND b!=2 AND c<>3 AND d<4 AND e<=5 AND f>6 AND g>=7 AND h==8 AND i~x AND j!~y"))
                .isEqualTo("(a = 1 AND b != 2 AND c != 3 AND d < 4 AND e <= 5 AND f > 6 AND g >= 7 AND h = 8 "
                        + "AND i ~ x AND j !~ y)");
        assertThat(parsed("a NOT IN (1) AND b NOT BETWEEN -1 AND 1e-3 AND c IS NULL"))
                .isEqualTo("(a NOT IN (1) AND b NOT BETWEEN -1 AND 1e-3 AND c IS NULL)");
    }

    @Test
    void valuesAreNumbersBooleansBareWordsOrQuotedStrings() {
        Expr.Condition c = (Expr.Condition) QueryParser.parse("model IN (lenet-300-100, 'it''s', \"a \\\" b\", 0.5, TRUE)");
        assertThat(c.values()).extracting(Expr.Literal::text)
                .containsExactly("lenet-300-100", "it's", "a \" b", "0.5", "TRUE");
        assertThat(c.values()).extracting(Expr.Literal::quoted).containsExactly(false, true, true, false, false);
        assertThat(c.values().get(3).number()).isEqualByComparingTo(new BigDecimal("0.5"));
        assertThat(c.values().get(0).number()).isNull();
        assertThat(c.values().get(4).bool()).isTrue();
        Expr.Literal quotedNumber = ((Expr.Condition) QueryParser.parse("a = '1'")).values().get(0);
        assertThat(quotedNumber.number()).as("a quoted value stays a string").isNull();
    }

    @Test
    void metricQualifiersAreKeptAsWritten() {
        Expr.Condition c = (Expr.Condition) QueryParser.parse("ece[fashion-mnist-c-fog-5:test:half-a] < 0.1");
        assertThat(c.field().name()).isEqualTo("ece");
        assertThat(c.field().qualifier()).isEqualTo("fashion-mnist-c-fog-5:test:half-a");
        assertThat(c.field().position()).isEqualTo(1);
    }

    @Test
    void blankQueriesMatchEverything() {
        assertThat(QueryParser.parse(null)).isNull();
        assertThat(QueryParser.parse("   ")).isNull();
    }

    @Test
    void errorsNameThePosition() {
        assertThat(error("a = 1 AND").getMessage()).isEqualTo(
                "expected a field name, NOT or '(', found the end of the query at position 10");
        assertThat(error("a = 1 b = 2").position()).isEqualTo(7);
        assertThat(error("a = 1 b = 2").getMessage()).contains("expected AND, OR or the end of the query, found 'b'");
        assertThat(error("(a = 1 OR b = 2").getMessage())
                .isEqualTo("expected ')' to close the '(' at position 1, found the end of the query at position 16");
        assertThat(error("a 1").getMessage()).startsWith("expected an operator").endsWith("found '1' at position 3");
        assertThat(error("name = 'abc").getMessage()).isEqualTo("the quoted value is not closed by ' at position 8");
        assertThat(error("a = 1; DROP TABLE ticket").position()).isEqualTo(6);
        assertThat(error("a = 1; DROP TABLE ticket").getMessage()).startsWith("unexpected character ';'");
        assertThat(error("a BETWEEN 1 OR 2").getMessage()).startsWith("expected AND between the two bounds")
                .endsWith("at position 13");
        assertThat(error("a IN ()").position()).isEqualTo(7);
        assertThat(error("a = null").getMessage()).contains("use IS NULL");
        assertThat(error("a = and").getMessage()).contains("quote it");
        assertThat(error("a IS 1").getMessage()).startsWith("expected NULL after IS");
        assertThat(error("ece [x] < 1").getMessage()).startsWith("'[' must follow a metric name directly");
        assertThat(error("ece[x < 1").getMessage()).isEqualTo("'[' is not closed by ']' at position 4");
        assertThat(error("a ! 1").getMessage()).isEqualTo("'!' must be followed by '=' or '~' at position 3");
    }

    @Test
    void nestingAndSizeAreBounded() {
        String deep = "(".repeat(QueryParser.MAX_DEPTH + 1) + "a = 1" + ")".repeat(QueryParser.MAX_DEPTH + 1);
        assertThat(error(deep).getMessage()).startsWith("the query nests NOT and parentheses deeper than");
        assertThat(error("NOT ".repeat(QueryParser.MAX_DEPTH + 1) + "a = 1").position())
                .isEqualTo(4 * QueryParser.MAX_DEPTH + 1);
        String many = "a = 1" + " OR a = 1".repeat(QueryParser.MAX_CONDITIONS);
        assertThat(error(many).getMessage()).startsWith("the query has more than");
        assertThat(error("a = '" + "x".repeat(QueryParser.MAX_LENGTH) + "'").getMessage())
                .startsWith("the query is longer than");
    }

    @Test
    void sortFieldsKeepTheirPositionInTheParameter() {
        Expr.FieldRef field = QueryParser.parseField("ece[cifar10:test]", 1);
        assertThat(field.name()).isEqualTo("ece");
        assertThat(field.qualifier()).isEqualTo("cifar10:test");
        assertThat(field.position()).isEqualTo(2);
        assertThatThrownBy(() -> QueryParser.parseField("ece; DROP", 1))
                .isInstanceOf(QueryException.class).hasMessage("unexpected character ';' (quote values that contain it) "
                        + "at position 5");
        assertThatThrownBy(() -> QueryParser.parseField("ece desc", 0))
                .hasMessage("expected the end after the field, found 'desc' at position 5");
    }
}
