package io.ticketfoundry.worker.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ticketfoundry.common.protocol.CalibrateParams;
import io.ticketfoundry.common.protocol.DataSelection;
import io.ticketfoundry.common.protocol.EvaluateParams;
import io.ticketfoundry.common.protocol.MetricReport;
import io.ticketfoundry.common.spec.EvaluationSpec;
import io.ticketfoundry.common.spec.ExperimentSpec;
import io.ticketfoundry.common.spec.PruningSpec;
import io.ticketfoundry.common.spec.RewindSpec;
import io.ticketfoundry.common.spec.TrainingSpec;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.IdxWriter;
import io.ticketfoundry.worker.data.Split;
import io.ticketfoundry.worker.data.SyntheticIdx;
import io.ticketfoundry.worker.evaluate.ModelEvaluator;
import io.ticketfoundry.worker.evaluate.TicketEvaluation;
import io.ticketfoundry.worker.evaluate.TrainedTicket;
import io.ticketfoundry.worker.io.CheckpointFiles;
import io.ticketfoundry.worker.lottery.LevelListener;
import io.ticketfoundry.worker.lottery.LevelOutcome;
import io.ticketfoundry.worker.lottery.LevelRunner;
import io.ticketfoundry.worker.lottery.LevelTask;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ModelRegistry;
import io.ticketfoundry.worker.model.Weights;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evaluate and calibrate jobs on a really trained LeNet-300-100 (generated MNIST-format data with
 * 20% of the labels flipped, so the network makes mistakes it is sure of), made deliberately
 * over-confident by sharpening its logits six-fold.
 */
class TicketCalibrationTest {

    @TempDir
    static Path datasetRoot;

    @TempDir
    static Path work;

    static final ExperimentSpec SPEC = new ExperimentSpec(1, "lenet-300-100", "mnist",
            new TrainingSpec("sgd", 0.01, 0.9, 0.0, 32, 4), new PruningSpec("global", 0.2, 0, Map.of(), List.of()),
            new RewindSpec(0, "iterations"), new EvaluationSpec(15)).withDefaults();
    static final double SHARPENING = 6.0;

    static LevelRunner runner;
    static LevelOutcome trained;
    static Path overConfidentWeights;

    @BeforeAll
    static void trainATicket() throws Exception {
        SyntheticIdx.write(datasetRoot, DatasetInfo.MNIST, 800, 1000, 5, false);
        flipLabels(datasetRoot.resolve("mnist"), Split.TRAIN, 800, 0.2, 11);
        flipLabels(datasetRoot.resolve("mnist"), Split.TEST, 1000, 0.2, 12);
        SyntheticIdx.write(datasetRoot, DatasetInfo.FASHION_MNIST, 20, 300, 6, false);
        runner = LevelRunner.builder().setDatasetRoot(datasetRoot).setWorkerId("calibration-test").build();
        trained = runner.run(LevelTask.first(SPEC, 3, work.resolve("level-0")), new LevelListener() {
            @Override
            public void progress(io.ticketfoundry.common.protocol.Progress progress) {
            }

            @Override
            public boolean cancelRequested() {
                return false;
            }
        });
        ModelDefinition model = ModelRegistry.standard().get("lenet-300-100", 10);
        Weights weights = CheckpointFiles.readWeights(trained.trainedPath(), model);
        overConfidentWeights = work.resolve("over-confident.safetensors");
        CheckpointFiles.writeWeights(TicketCalibration.fold(model, weights, 1 / SHARPENING), overConfidentWeights, Map.of());
    }

    /** SyntheticIdx labels example s as s mod 10; a seeded fraction of them is replaced by another class. */
    static void flipLabels(Path dir, Split split, int count, double fraction, long seed) throws Exception {
        Random random = new Random(seed);
        byte[] labels = new byte[count];
        for (int s = 0; s < count; s++) {
            int label = s % 10;
            if (random.nextDouble() < fraction) {
                label = (label + 1 + random.nextInt(9)) % 10;
            }
            labels[s] = (byte) label;
        }
        IdxWriter.write(dir.resolve(split.filePrefix() + "-labels-idx1-ubyte"), new int[] {count}, labels);
    }

    static TrainedTicket read(Path weights) throws Exception {
        return TrainedTicket.read(SPEC, runner.datasets(), runner.models(), weights, trained.maskPath());
    }

    static double value(List<MetricReport> metrics, String name) {
        return metrics.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow().value();
    }

    static CalibrateParams halves() {
        return new CalibrateParams(CalibrateParams.TEMPERATURE, DataSelection.half("mnist", "test", "a"),
                DataSelection.half("mnist", "test", "b"), null);
    }

    @Test
    void temperatureScalingLowersTheHeldOutNllOfAnOverConfidentModel() throws Exception {
        TrainedTicket overConfident = read(overConfidentWeights);
        TicketCalibration.Outcome outcome = new TicketCalibration(runner.datasets(), new ModelEvaluator(256))
                .run(overConfident, halves());

        double temperature = (double) outcome.calibration().get("temperature");
        assertThat(temperature).isGreaterThan(2.0);
        double nllBefore = value(outcome.before(), "nll");
        double nllAfter = value(outcome.after(), "nll");
        assertThat(nllAfter).as("held-out NLL on half b, fitted on half a").isLessThan(nllBefore * 0.8);
        assertThat(value(outcome.after(), "ece")).isLessThan(value(outcome.before(), "ece"));
        assertThat(value(outcome.after(), "accuracy")).isEqualTo(value(outcome.before(), "accuracy"));
        assertThat(outcome.after()).allSatisfy(m -> {
            assertThat(m.dataset()).isEqualTo("mnist");
            assertThat(m.split()).isEqualTo("test:half-b");
        });
        @SuppressWarnings("unchecked")
        Map<String, Object> fit = (Map<String, Object>) outcome.calibration().get("fit");
        assertThat(fit.get("split")).isEqualTo("test:half-a");
        assertThat((int) fit.get("samples")).as("half a: floor(n_c / 2) of every class").isBetween(495, 500);
        assertThat((double) fit.get("nllAfter")).isLessThan((double) fit.get("nllBefore"));
        assertThat(outcome.calibration().get("foldedInto")).isEqualTo(List.of("fc3.weight", "fc3.bias"));

        // only the output layer changed, by exactly 1/T
        Weights before = overConfident.weights();
        Weights after = outcome.calibratedWeights();
        assertThat(after.values("fc1.weight")).containsExactly(before.values("fc1.weight"));
        assertThat(after.values("fc3.bias")[4]).isEqualTo((float) (before.values("fc3.bias")[4] / temperature));

        // the fit is a property of the logits: the model itself needs a temperature six times smaller
        TicketCalibration.Outcome own = new TicketCalibration(runner.datasets(), new ModelEvaluator(256))
                .run(read(trained.trainedPath()), halves());
        assertThat(temperature / (double) own.calibration().get("temperature")).isCloseTo(SHARPENING, within(1e-3));
    }

    @Test
    void theFoldedWeightsDivideTheLogitsByTheTemperature() throws Exception {
        TrainedTicket ticket = read(trained.trainedPath());
        ModelEvaluator evaluator = new ModelEvaluator(256);
        DataSelection data = DataSelection.whole("mnist", "test");
        float[] logits = ticket.score(runner.datasets(), evaluator, data).logits();
        float[] folded = ticket.withWeights(TicketCalibration.fold(ticket.model(), ticket.weights(), 2.5))
                .score(runner.datasets(), evaluator, data).logits();
        for (int i = 0; i < logits.length; i++) {
            assertThat((double) folded[i]).isCloseTo(logits[i] / 2.5, within(1e-4 + 1e-5 * Math.abs(logits[i])));
        }
        assertThatThrownBy(() -> TicketCalibration.fold(ticket.model(), ticket.weights(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void evaluatingOnTheTicketsOwnTestSplitReproducesItsTrainingTimeMetrics() throws Exception {
        TicketEvaluation evaluation = new TicketEvaluation(runner.datasets(), new ModelEvaluator(100));
        List<MetricReport> metrics = evaluation.run(read(trained.trainedPath()),
                new EvaluateParams(new DataSelection(null, null, null, null), null));
        for (String name : List.of("accuracy", "ece", "nll", "brier", "sce")) {
            assertThat(value(metrics, name)).as(name).isCloseTo(value(trained.metrics(), name), within(1e-6));
        }
        assertThat(metrics.get(0).split()).isEqualTo("test");
    }

    @Test
    void halvesSplitEveryClassInTwoAndOtherDatasetsAreNamedInTheMetrics() throws Exception {
        TicketEvaluation evaluation = new TicketEvaluation(runner.datasets(), new ModelEvaluator(100));
        TrainedTicket ticket = read(trained.trainedPath());
        List<MetricReport> a = evaluation.run(ticket, new EvaluateParams(DataSelection.half("mnist", "test", "a"), null));
        List<MetricReport> b = evaluation.run(ticket, new EvaluateParams(DataSelection.half("mnist", "test", "b"), null));
        long samplesA = ((Number) a.stream().filter(m -> m.name().equals("nll")).findFirst().orElseThrow()
                .details().get("samples")).longValue();
        long samplesB = ((Number) b.stream().filter(m -> m.name().equals("nll")).findFirst().orElseThrow()
                .details().get("samples")).longValue();
        assertThat(samplesA + samplesB).isEqualTo(1000);
        assertThat(a.get(0).split()).isEqualTo("test:half-a");

        List<MetricReport> other = evaluation.run(ticket,
                new EvaluateParams(DataSelection.whole("fashion-mnist", "test"), new EvaluationSpec(10)));
        assertThat(other).allSatisfy(m -> assertThat(m.dataset()).isEqualTo("fashion-mnist"));
        MetricReport ece = other.stream().filter(m -> m.name().equals("ece")).findFirst().orElseThrow();
        assertThat(ece.conventions().get("bins")).isEqualTo(10);
        // an unrelated dataset: the MNIST-trained network is near chance on it
        assertThat(value(other, "accuracy")).isLessThan(0.5);
    }
}
