package io.ticketfoundry.worker.evaluate;

import io.ticketfoundry.common.protocol.DataSelection;
import io.ticketfoundry.common.protocol.EvaluateParams;
import io.ticketfoundry.common.protocol.MetricReport;
import io.ticketfoundry.common.spec.EvaluationSpec;
import io.ticketfoundry.worker.data.DatasetLoader;
import java.io.IOException;
import java.util.List;

/** An evaluate job: every classification metric of a trained ticket on one selection of data. */
public final class TicketEvaluation {

    private final DatasetLoader datasets;
    private final ModelEvaluator evaluator;

    public TicketEvaluation(DatasetLoader datasets, ModelEvaluator evaluator) {
        this.datasets = datasets;
        this.evaluator = evaluator;
    }

    public List<MetricReport> run(TrainedTicket ticket, EvaluateParams params) throws IOException {
        DataSelection data = params.data().withDefaults(ticket.spec().dataset());
        EvaluationSpec evaluation = params.evaluation() == null ? ticket.spec().evaluation() : params.evaluation();
        TrainedTicket.Scored scored = ticket.score(datasets, evaluator, data);
        return ClassificationMetrics.compute(scored.logits(), scored.numClasses(), scored.labels(),
                evaluation.withDefaults(), scored.dataset(), scored.split());
    }
}
