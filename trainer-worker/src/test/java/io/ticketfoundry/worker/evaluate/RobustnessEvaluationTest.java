package io.ticketfoundry.worker.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ticketfoundry.common.dataset.DatasetRecipe;
import io.ticketfoundry.common.dataset.DatasetRef;
import io.ticketfoundry.common.protocol.CorruptedSet;
import io.ticketfoundry.common.protocol.DataSelection;
import io.ticketfoundry.common.protocol.EvaluateParams;
import io.ticketfoundry.common.protocol.FgsmParams;
import io.ticketfoundry.common.protocol.MetricReport;
import io.ticketfoundry.common.protocol.OodParams;
import io.ticketfoundry.common.spec.EvaluationSpec;
import io.ticketfoundry.common.spec.ExperimentSpec;
import io.ticketfoundry.common.spec.PruningSpec;
import io.ticketfoundry.common.spec.RewindSpec;
import io.ticketfoundry.common.spec.TrainingSpec;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.SyntheticIdx;
import io.ticketfoundry.worker.lottery.LevelListener;
import io.ticketfoundry.worker.lottery.LevelOutcome;
import io.ticketfoundry.worker.lottery.LevelRunner;
import io.ticketfoundry.worker.lottery.LevelTask;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The robustness parts of an evaluate job on a really trained LeNet-300-100 (generated MNIST-format data). */
class RobustnessEvaluationTest {

    @TempDir
    static Path datasetRoot;

    @TempDir
    static Path work;

    static final ExperimentSpec SPEC = new ExperimentSpec(1, "lenet-300-100", "mnist",
            new TrainingSpec("sgd", 0.01, 0.9, 0.0, 32, 3), new PruningSpec("global", 0.2, 0, Map.of(), List.of()),
            new RewindSpec(0, "iterations"), new EvaluationSpec(15)).withDefaults();

    static LevelRunner runner;
    static LevelOutcome trained;
    static TrainedTicket ticket;
    static final DatasetRecipe SUBSET = new DatasetRecipe("subset", "mnist", null, null, 10, null);

    @BeforeAll
    static void trainATicket() throws Exception {
        SyntheticIdx.write(datasetRoot, DatasetInfo.MNIST, 600, 400, 5, false);
        SyntheticIdx.write(datasetRoot, DatasetInfo.FASHION_MNIST, 20, 300, 6, false);
        runner = LevelRunner.builder().setDatasetRoot(datasetRoot).setWorkerId("robustness-test").build();
        runner.datasets().register(DatasetRef.derived(SUBSET, null), Map.of());
        trained = runner.run(LevelTask.first(SPEC, 3, work.resolve("level-0")), new LevelListener() {
            @Override
            public void progress(io.ticketfoundry.common.protocol.Progress progress) {
            }

            @Override
            public boolean cancelRequested() {
                return false;
            }
        });
        ticket = TrainedTicket.read(SPEC, runner.datasets(), runner.models(), trained.trainedPath(), trained.maskPath());
    }

    static List<MetricReport> named(List<MetricReport> metrics, String name) {
        return metrics.stream().filter(m -> m.name().equals(name)).toList();
    }

    static TicketEvaluation evaluation() {
        return new TicketEvaluation(runner.datasets(), new ModelEvaluator(100), 100);
    }

    @Test
    void fgsmWithEpsilonZeroLeavesAccuracyUnchangedAndAPositiveEpsilonLowersIt() throws Exception {
        List<MetricReport> metrics = evaluation().run(ticket, new EvaluateParams(DataSelection.whole("mnist", "test"),
                null, null, new FgsmParams(List.of(0.0, 0.1, 0.3)), null, null));
        double accuracy = named(metrics, "accuracy").get(0).value();
        List<MetricReport> fgsm = named(metrics, "fgsm-accuracy");
        assertThat(fgsm).hasSize(3);
        assertThat(accuracy).as("the network learned the generated classes").isGreaterThan(0.8);
        assertThat(fgsm.get(0).value()).isEqualTo(accuracy);
        assertThat(fgsm.get(0).conventions().get("epsilon")).isEqualTo(0.0);
        assertThat(fgsm.get(1).value()).isLessThan(accuracy);
        assertThat(fgsm.get(2).value()).isLessThanOrEqualTo(fgsm.get(1).value());
        assertThat(fgsm.get(1).details().get("samples")).isEqualTo(400);
        assertThat(fgsm.get(1).conventions()).containsEntry("clip", "[0, 1]");
    }

    @Test
    void oodAurocOfTheDataAgainstItselfIsOneHalfAndNoiseIsSeparated() throws Exception {
        OodParams self = new OodParams("mnist", "test", null, null, null);
        MetricReport same = named(evaluation().run(ticket, new EvaluateParams(DataSelection.whole("mnist", "test"), null,
                self, null, null, null)), "ood-auroc").get(0);
        assertThat(same.value()).isEqualTo(0.5);
        assertThat(same.details()).containsEntry("inSamples", 400).containsEntry("outSamples", 400);

        OodParams noise = new OodParams(null, null, null, null, new OodParams.GaussianNoise(300, 1L, 0.5, 0.5));
        MetricReport vsNoise = named(evaluation().run(ticket, new EvaluateParams(DataSelection.whole("mnist", "test"),
                null, noise, null, null, null)), "ood-auroc").get(0);
        assertThat(vsNoise.value()).isBetween(0.0, 1.0);
        assertThat(vsNoise.details()).containsEntry("outSamples", 300);
        @SuppressWarnings("unchecked")
        Map<String, Object> source = (Map<String, Object>) vsNoise.details().get("ood");
        assertThat(source).containsEntry("kind", "gaussian-noise").containsEntry("seed", 1L);

        // another dataset of the same shape, classes unused
        MetricReport other = named(evaluation().run(ticket, new EvaluateParams(DataSelection.whole("mnist", "test"),
                null, new OodParams("fashion-mnist", "test", null, null, null), null, null, null)), "ood-auroc").get(0);
        assertThat(other.value()).isBetween(0.0, 1.0);
    }

    @Test
    void mceOfATicketAgainstItselfIsOneAndEverySetIsScored() throws Exception {
        UUID self = UUID.randomUUID();
        String subset = SUBSET.id();
        // fashion-mnist images stand in for a corruption the MNIST-trained network gets wrong
        List<CorruptedSet> sets = List.of(new CorruptedSet(subset, "test", "stand-in", 1),
                new CorruptedSet("fashion-mnist", "test", "stand-in", 2), new CorruptedSet("fashion-mnist", "test", "other", 3));
        List<MetricReport> metrics = evaluation().run(ticket, ticket, new EvaluateParams(
                DataSelection.whole("mnist", "test"), null, null, null, sets, self));
        MetricReport mce = named(metrics, "mce").get(0);
        assertThat(mce.value()).isEqualTo(1.0);
        assertThat(mce.conventions()).containsEntry("referenceTicketId", self.toString());
        assertThat(named(metrics, "accuracy")).hasSize(4);
        assertThat(named(metrics, "ece")).hasSize(4);
        MetricReport onSubset = metrics.stream().filter(m -> m.name().equals("nll") && m.dataset().equals(subset))
                .findFirst().orElseThrow();
        assertThat(onSubset.conventions()).containsEntry("corruption", "stand-in").containsEntry("severity", 1);
        assertThatThrownBy(() -> evaluation().run(ticket, new EvaluateParams(DataSelection.whole("mnist", "test"), null,
                null, null, sets, self))).isInstanceOf(IllegalArgumentException.class);
    }
}
