package io.ticketfoundry.worker.evaluate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.ticketfoundry.common.protocol.CorruptedSet;
import io.ticketfoundry.common.protocol.DataSelection;
import io.ticketfoundry.common.protocol.EvaluateParams;
import io.ticketfoundry.common.protocol.FgsmParams;
import io.ticketfoundry.common.protocol.MetricReport;
import io.ticketfoundry.common.protocol.OodParams;
import io.ticketfoundry.common.spec.EvaluationSpec;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.DatasetLoader;
import io.ticketfoundry.worker.data.InMemoryDataset;
import io.ticketfoundry.worker.data.Split;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * An evaluate job: every classification metric of a trained ticket on one selection of data and,
 * when asked, its robustness: OoD detection ({@code ood-auroc}), FGSM robust accuracy
 * ({@code fgsm-accuracy}) and the metrics on corrupted sets with their mCE ({@code mce}).
 * docs/metrics.md has the definitions.
 */
public final class TicketEvaluation {

    public static final String OOD_AUROC = "ood-auroc";
    public static final String FGSM_ACCURACY = "fgsm-accuracy";
    public static final String MCE = "mce";
    /** The metrics reported for every corrupted set. */
    public static final Set<String> CORRUPTION_METRICS = Set.of(ClassificationMetrics.ACCURACY,
            ClassificationMetrics.ECE, ClassificationMetrics.NLL);
    public static final String GAUSSIAN_NOISE = "gaussian-noise";

    private final DatasetLoader datasets;
    private final ModelEvaluator evaluator;
    private final int batchSize;

    public TicketEvaluation(DatasetLoader datasets, ModelEvaluator evaluator) {
        this(datasets, evaluator, 256);
    }

    /** @param batchSize the batch size of the FGSM passes (gradients and attacked inputs) */
    public TicketEvaluation(DatasetLoader datasets, ModelEvaluator evaluator, int batchSize) {
        this.datasets = datasets;
        this.evaluator = evaluator;
        this.batchSize = batchSize;
    }

    /** Without a reference ticket: fails when {@code params} has corruptions. */
    public List<MetricReport> run(TrainedTicket ticket, EvaluateParams params) throws IOException {
        return run(ticket, null, params);
    }

    /**
     * @param reference the mCE's reference ticket (same model and training data), needed when
     *     {@code params} lists corruptions
     */
    public List<MetricReport> run(TrainedTicket ticket, TrainedTicket reference, EvaluateParams params)
            throws IOException {
        DataSelection data = params.data().withDefaults(ticket.spec().dataset());
        EvaluationSpec evaluation = (params.evaluation() == null ? ticket.spec().evaluation() : params.evaluation())
                .withDefaults();
        TrainedTicket.Scored scored = ticket.score(datasets, evaluator, data);
        List<MetricReport> metrics = new ArrayList<>(ClassificationMetrics.compute(scored.logits(),
                scored.numClasses(), scored.labels(), evaluation, scored.dataset(), scored.split()));
        if (params.ood() != null) {
            metrics.add(ood(ticket, scored, params.ood()));
        }
        if (params.fgsm() != null) {
            metrics.addAll(fgsm(ticket, data, params.fgsm()));
        }
        if (params.corruptions() != null && !params.corruptions().isEmpty()) {
            if (reference == null) {
                throw new IllegalArgumentException("an evaluate job with corruptions needs its reference ticket");
            }
            metrics.addAll(corruptions(ticket, reference, params, evaluation, scored));
        }
        return metrics;
    }

    // ---- out-of-distribution detection ---------------------------------------------------------

    private MetricReport ood(TrainedTicket ticket, TrainedTicket.Scored in, OodParams ood) throws IOException {
        float[] outLogits;
        Map<String, Object> source = new LinkedHashMap<>();
        if (ood.gaussianNoise() != null) {
            OodParams.GaussianNoise noise = ood.gaussianNoise().withDefaults();
            outLogits = gaussianNoiseLogits(ticket, noise);
            source.put("kind", GAUSSIAN_NOISE);
            source.put("count", noise.count());
            source.put("seed", noise.seed());
            source.put("mean", noise.mean());
            source.put("std", noise.std());
            source.put("space", "pixels in [0, 1], clipped to [0, 1], then normalised as the training data");
        } else {
            DataSelection selection = ood.selection().withDefaults(ticket.spec().dataset());
            outLogits = ticket.score(datasets, evaluator, selection, false).logits();
            source.put("kind", "dataset");
            source.put("dataset", selection.dataset());
            source.put("split", selection.splitLabel());
        }
        int k = in.numClasses();
        double[] inScores = RobustnessMath.maxSoftmaxProbability(in.logits(), k);
        double[] outScores = RobustnessMath.maxSoftmaxProbability(outLogits, k);
        long twiceU = RobustnessMath.twiceMannWhitneyU(inScores, outScores);
        Map<String, Object> conventions = new LinkedHashMap<>();
        conventions.put("score", "maximum softmax probability");
        conventions.put("positive", "in-distribution");
        conventions.put("ties", "one half");
        conventions.put("method", "Mann-Whitney U / (n_in * n_out), exact pair count");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("ood", source);
        details.put("inSamples", inScores.length);
        details.put("outSamples", outScores.length);
        details.put("mannWhitneyU", twiceU / 2.0);
        return new MetricReport(in.dataset(), in.split(), OOD_AUROC, RobustnessMath.auroc(inScores, outScores),
                conventions, details);
    }

    /** Logits of N(mean, std²) pixel images (clipped to [0, 1]) of the ticket's example shape. */
    private float[] gaussianNoiseLogits(TrainedTicket ticket, OodParams.GaussianNoise noise) throws IOException {
        DatasetInfo normalisation = datasets.info(ticket.spec().dataset());
        Shape sample = ticket.model().sampleShape();
        int count = noise.count();
        long perSample = sample.size();
        float[] pixels = new float[Math.toIntExact(count * perSample)];
        Random random = new Random(noise.seed());
        for (int i = 0; i < pixels.length; i++) {
            double value = noise.mean() + noise.std() * random.nextGaussian();
            pixels[i] = (float) Math.min(1.0, Math.max(0.0, value));
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDManager owned = manager.newSubManager();
            NDArray raw = owned.create(pixels, new Shape(count).addAll(sample));
            NDArray mean = FgsmAttack.broadcastable(owned, normalisation.mean(), raw);
            NDArray std = FgsmAttack.broadcastable(owned, normalisation.std(), raw);
            NDArray features = raw.sub(mean).div(std);
            try (InMemoryDataset data = InMemoryDataset.ofArrays(GAUSSIAN_NOISE, Split.TEST, owned, features,
                    owned.zeros(new Shape(count), ai.djl.ndarray.types.DataType.INT64), ticket.model().numClasses())) {
                return evaluator.logits(ticket.model(), ticket.weights(), data);
            }
        }
    }

    // ---- FGSM ----------------------------------------------------------------------------------

    private List<MetricReport> fgsm(TrainedTicket ticket, DataSelection selection, FgsmParams fgsm) throws IOException {
        double[] epsilons = fgsm.epsilons().stream().mapToDouble(Double::doubleValue).toArray();
        DatasetInfo normalisation = datasets.info(ticket.spec().dataset());
        long[] correct;
        int n;
        try (NDManager manager = NDManager.newBaseManager();
                InMemoryDataset data = datasets.load(manager, selection, ticket.spec().dataset())) {
            n = data.size();
            correct = new FgsmAttack(batchSize).correct(ticket.model(), ticket.weights(), data, normalisation.mean(),
                    normalisation.std(), epsilons);
        }
        List<MetricReport> reports = new ArrayList<>();
        for (int e = 0; e < epsilons.length; e++) {
            Map<String, Object> conventions = new LinkedHashMap<>();
            conventions.put("epsilon", epsilons[e]);
            conventions.put("space", "pixels in [0, 1], before normalisation");
            conventions.put("step", "x + epsilon * sign(grad_x loss), one step");
            conventions.put("clip", "[0, 1]");
            conventions.put("loss", "cross-entropy of the true label, summed over the batch");
            conventions.put("model", "evaluation mode: BatchNorm running statistics, dropout off");
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("correct", correct[e]);
            details.put("samples", n);
            reports.add(new MetricReport(selection.dataset(), selection.splitLabel(), FGSM_ACCURACY,
                    (double) correct[e] / n, conventions, details));
        }
        return reports;
    }

    // ---- corruptions and mCE -------------------------------------------------------------------

    private List<MetricReport> corruptions(TrainedTicket ticket, TrainedTicket reference, EvaluateParams params,
            EvaluationSpec evaluation, TrainedTicket.Scored clean) throws IOException {
        List<MetricReport> reports = new ArrayList<>();
        List<RobustnessMath.CorruptionErrors> errors = new ArrayList<>();
        List<Map<String, Object>> used = new ArrayList<>();
        for (CorruptedSet set : params.corruptions()) {
            DataSelection selection = set.selection();
            TrainedTicket.Scored scored = ticket.score(datasets, evaluator, selection);
            TrainedTicket.Scored byReference = reference.score(datasets, evaluator, selection);
            for (MetricReport metric : ClassificationMetrics.compute(scored.logits(), scored.numClasses(),
                    scored.labels(), evaluation, scored.dataset(), scored.split())) {
                if (CORRUPTION_METRICS.contains(metric.name())) {
                    Map<String, Object> conventions = new LinkedHashMap<>(metric.conventions());
                    conventions.put("corruption", set.corruption());
                    conventions.put("severity", set.severity());
                    reports.add(new MetricReport(metric.dataset(), metric.split(), metric.name(), metric.value(),
                            conventions, metric.details()));
                }
            }
            errors.add(new RobustnessMath.CorruptionErrors(set.corruption(), set.severity(), selection.dataset(),
                    scored.labels().length, RobustnessMath.topOneErrors(scored.logits(), scored.numClasses(),
                            scored.labels()),
                    RobustnessMath.topOneErrors(byReference.logits(), byReference.numClasses(), byReference.labels())));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dataset", selection.dataset());
            entry.put("split", selection.splitLabel());
            entry.put("corruption", set.corruption());
            entry.put("severity", set.severity());
            used.add(entry);
        }
        RobustnessMath.Mce mce = RobustnessMath.mce(errors);
        if (mce.value() == null) {
            // the reference makes no error on any corrupted set: no corruption error is defined
            return reports;
        }
        UUID referenceId = params.referenceTicketId();
        Map<String, Object> conventions = new LinkedHashMap<>();
        conventions.put("referenceTicketId", referenceId == null ? null : referenceId.toString());
        conventions.put("error", "top-1 error rate, first maximal logit");
        conventions.put("reduction", "mean over corruptions of (sum over severities of E_ticket) / (sum of E_reference)");
        conventions.put("sets", used);
        conventions.put("undefined", "a corruption on which the reference makes no error at any severity is left out"
                + " of the mean (details.excluded)");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("corruptions", mce.corruptions());
        details.put("excluded", mce.excluded());
        details.put("sets", errors.stream().map(e -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dataset", e.dataset());
            entry.put("corruption", e.corruption());
            entry.put("severity", e.severity());
            entry.put("samples", e.samples());
            entry.put("ticketErrors", e.ticketErrors());
            entry.put("referenceErrors", e.referenceErrors());
            return entry;
        }).toList());
        return append(reports, new MetricReport(clean.dataset(), clean.split(), MCE, mce.value(), conventions, details));
    }

    private static List<MetricReport> append(List<MetricReport> reports, MetricReport last) {
        reports.add(last);
        return reports;
    }
}
