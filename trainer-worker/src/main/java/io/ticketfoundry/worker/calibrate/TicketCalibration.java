package io.ticketfoundry.worker.calibrate;

import io.ticketfoundry.common.protocol.CalibrateParams;
import io.ticketfoundry.common.protocol.DataSelection;
import io.ticketfoundry.common.protocol.MetricReport;
import io.ticketfoundry.common.spec.EvaluationSpec;
import io.ticketfoundry.worker.data.DatasetLoader;
import io.ticketfoundry.worker.evaluate.ClassificationMetrics;
import io.ticketfoundry.worker.evaluate.ModelEvaluator;
import io.ticketfoundry.worker.evaluate.TrainedTicket;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.Weights;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A calibrate job: fits temperature scaling of a trained ticket on held-out data, folds it into
 * the output layer and scores the ticket before and after on the evaluation data. The "after"
 * metrics come from running the folded weights, so they describe the stored file exactly.
 */
public final class TicketCalibration {

    /** What a calibration made: the folded weights, metrics before and after, and the record of the fit. */
    public record Outcome(Weights calibratedWeights, List<MetricReport> before, List<MetricReport> after,
            Map<String, Object> calibration) {
    }

    private final DatasetLoader datasets;
    private final ModelEvaluator evaluator;

    public TicketCalibration(DatasetLoader datasets, ModelEvaluator evaluator) {
        this.datasets = datasets;
        this.evaluator = evaluator;
    }

    public Outcome run(TrainedTicket ticket, CalibrateParams params) throws IOException {
        if (!CalibrateParams.TEMPERATURE.equals(params.method())) {
            throw new IllegalArgumentException("unknown calibration method \"" + params.method() + "\"; expected "
                    + CalibrateParams.METHODS);
        }
        String dataset = ticket.spec().dataset();
        DataSelection fitData = params.fit().withDefaults(dataset);
        DataSelection evaluateData = params.evaluate().withDefaults(dataset);
        EvaluationSpec evaluation = (params.evaluation() == null ? ticket.spec().evaluation() : params.evaluation())
                .withDefaults();

        TrainedTicket.Scored fitScores = ticket.score(datasets, evaluator, fitData);
        TemperatureScaling.Fit fit = TemperatureScaling.fit(fitScores.logits(), fitScores.numClasses(), fitScores.labels());
        Weights folded = fold(ticket.model(), ticket.weights(), fit.temperature());

        List<TrainedTicket.Scored> evaluated = ticket.scoreAll(datasets, evaluator, evaluateData,
                List.of(ticket.weights(), folded));
        TrainedTicket.Scored beforeScores = evaluated.get(0);
        TrainedTicket.Scored afterScores = evaluated.get(1);
        List<MetricReport> before = ClassificationMetrics.compute(beforeScores.logits(), beforeScores.numClasses(),
                beforeScores.labels(), evaluation, beforeScores.dataset(), beforeScores.split());
        List<MetricReport> after = ClassificationMetrics.compute(afterScores.logits(), afterScores.numClasses(),
                afterScores.labels(), evaluation, afterScores.dataset(), afterScores.split());

        ModelDefinition.OutputLayer output = ticket.model().outputLayer();
        Map<String, Object> fitRecord = new LinkedHashMap<>();
        fitRecord.put("dataset", fitScores.dataset());
        fitRecord.put("split", fitScores.split());
        fitRecord.put("samples", fit.samples());
        fitRecord.put("nllBefore", fit.nllBefore());
        fitRecord.put("nllAfter", fit.nllAfter());
        fitRecord.put("bisections", fit.bisections());
        fitRecord.put("atBound", fit.atBound());
        Map<String, Object> calibration = new LinkedHashMap<>();
        calibration.put("method", CalibrateParams.TEMPERATURE);
        calibration.put("temperature", fit.temperature());
        calibration.put("objective", "mean NLL of softmax(z / T) on the fit data, minimised over T in ["
                + TemperatureScaling.MIN_TEMPERATURE + ", " + TemperatureScaling.MAX_TEMPERATURE + "]");
        calibration.put("fit", fitRecord);
        calibration.put("evaluate", Map.of("dataset", afterScores.dataset(), "split", afterScores.split()));
        calibration.put("foldedInto", List.of(output.weight(), output.bias()));
        calibration.put("folding", "output weight and bias divided by T: logits become z / T");
        return new Outcome(folded, before, after, calibration);
    }

    /** The weights with the output layer's weight and bias divided by {@code temperature}. */
    public static Weights fold(ModelDefinition model, Weights weights, double temperature) {
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a positive finite number, is " + temperature);
        }
        Weights folded = weights.copy();
        ModelDefinition.OutputLayer output = model.outputLayer();
        for (String name : List.of(output.weight(), output.bias())) {
            float[] values = folded.values(name);
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (values[i] / temperature);
            }
        }
        return folded;
    }
}
