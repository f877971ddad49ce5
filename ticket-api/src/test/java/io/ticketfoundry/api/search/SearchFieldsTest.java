package io.ticketfoundry.api.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Field names resolve against the spec's records and the known columns and metrics; nothing else reaches SQL. */
class SearchFieldsTest {

    private static SearchField field(String name, String qualifier) {
        return SearchFields.resolve(new Expr.FieldRef(name, qualifier, 3), new SearchSql());
    }

    @Test
    void specPathsFollowTheRecords() {
        SpecShape.Path rate = SpecShape.resolve("training.learningRate", 1);
        assertThat(rate.segments()).containsExactly("training", "learningRate");
        assertThat(rate.type()).isEqualTo(ValueType.NUMBER);
        assertThat(SpecShape.resolve("pruning.strategy", 1).type()).isEqualTo(ValueType.TEXT);
        assertThat(SpecShape.resolve("pruning.graspRedrawLinear", 1).type()).isEqualTo(ValueType.BOOLEAN);
        assertThat(SpecShape.resolve("training.objective", 1).type()).isEqualTo(ValueType.SECTION);
        SpecShape.Path controls = SpecShape.resolve("controls", 1);
        assertThat(controls.type()).isEqualTo(ValueType.LIST);
        assertThat(controls.itemType()).isEqualTo(ValueType.TEXT);
        assertThat(SpecShape.resolve("training.schedule.milestones", 1).itemType()).isEqualTo(ValueType.NUMBER);
    }

    @Test
    void belowAMapTheRestOfThePathIsOneKey() {
        SpecShape.Path fraction = SpecShape.resolve("pruning.layerFractions.fc1.weight", 1);
        assertThat(fraction.segments()).containsExactly("pruning", "layerFractions", "fc1.weight");
        assertThat(fraction.type()).isEqualTo(ValueType.NUMBER);
        assertThat(SpecShape.resolve("pruning.layerFractions", 1).type()).isEqualTo(ValueType.SECTION);
    }

    @Test
    void unknownPathsNameWhatTheSectionHas() {
        assertThatThrownBy(() -> SpecShape.resolve("training.lr", 9))
                .isInstanceOf(QueryException.class)
                .hasMessageStartingWith("unknown field 'spec.training.lr': spec.training has batchSize, epochs, "
                        + "learningRate, momentum, nesterov, objective, optimizer, schedule, weightDecay")
                .hasMessageEndingWith("at position 9");
        assertThatThrownBy(() -> SpecShape.resolve("model.name", 2))
                .hasMessage("'spec.model' is text and has no field 'name' at position 2");
        assertThatThrownBy(() -> SpecShape.resolve("training..epochs", 2)).hasMessageContaining("empty path segment");
    }

    @Test
    void shorthandsColumnsAndMetrics() {
        assertThat(field("objective", null).name()).isEqualTo("spec.training.objective.kind");
        assertThat(field("Dataset", null).name()).isEqualTo("spec.dataset");
        assertThat(field("sparsity", null).perTicket()).isTrue();
        assertThat(field("name", null).perTicket()).isFalse();
        assertThat(field("created", null).type()).isEqualTo(ValueType.TIME);
        SearchField ece = field("ece", "cifar10-c:train");
        assertThat(ece.name()).isEqualTo("ece[cifar10-c:train]");
        assertThat(ece.type()).isEqualTo(ValueType.NUMBER);
    }

    @Test
    void metricsShareOneJoinPerDatasetAndSplit() {
        SearchSql sql = new SearchSql();
        String a = SearchFields.resolve(new Expr.FieldRef("ece", null, 1), sql).sql();
        String b = SearchFields.resolve(new Expr.FieldRef("ece", ":test", 1), sql).sql();
        String c = SearchFields.resolve(new Expr.FieldRef("ece", "mnist", 1), sql).sql();
        assertThat(a).isEqualTo(b).isEqualTo("m1.value");
        assertThat(c).isEqualTo("m2.value");
        assertThat(sql.metricCount()).isEqualTo(2);
        assertThat(sql.params().values()).containsOnly("ece", "test", "mnist");
        assertThat(sql.laterals()).doesNotContain("mnist");
    }

    @Test
    void valuesNeverBecomeSqlText() {
        SearchSql sql = new SearchSql();
        String where = new ConditionCompiler(sql).compile(QueryParser.parse(
                "name = \"x' OR '1'='1\" AND spec.pruning.layerFractions.fc1--x = 0.5"));
        assertThat(where).doesNotContain("'1'").doesNotContain("fc1").doesNotContain("0.5");
        assertThat(sql.params().values()).contains("x' OR '1'='1", List.of("pruning", "layerFractions", "fc1--x"),
                new java.math.BigDecimal("0.5"));
    }

    @Test
    void unknownFieldsAndMisusedOperatorsAreRefused() {
        assertThatThrownBy(() -> field("accuracyy", null)).hasMessageStartingWith("unknown field 'accuracyy'")
                .hasMessageEndingWith("at position 3");
        assertThatThrownBy(() -> field("level", "mnist")).hasMessageStartingWith("only metrics take [dataset:split]");
        assertThatThrownBy(() -> field("ece", " : ")).hasMessageStartingWith("'ece[]' names neither");
        assertThatThrownBy(() -> compile("sparsity ~ 0.9")).hasMessage("'~' applies to text; sparsity is a number "
                + "at position 1");
        assertThatThrownBy(() -> compile("level >= high")).hasMessage("level is a number; 'high' is not one at position 10");
        assertThatThrownBy(() -> compile("spec.pruning.graspRedrawLinear = maybe"))
                .hasMessage("spec.pruning.graspRedrawLinear is true or false, not 'maybe' at position 34");
        assertThatThrownBy(() -> compile("spec.pruning.graspRedrawLinear < true")).hasMessageContaining("needs ordered");
        assertThatThrownBy(() -> compile("spec.training = x")).hasMessageContaining("is a section of the spec");
        assertThatThrownBy(() -> compile("spec.controls > x")).hasMessageContaining("is a list");
        assertThatThrownBy(() -> compile("created > yesterday")).hasMessageContaining("created is a time");
    }

    private static String compile(String query) {
        return new ConditionCompiler(new SearchSql()).compile(QueryParser.parse(query));
    }
}
