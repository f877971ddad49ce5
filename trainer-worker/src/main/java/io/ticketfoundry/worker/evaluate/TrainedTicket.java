package io.ticketfoundry.worker.evaluate;

import ai.djl.ndarray.NDManager;
import io.ticketfoundry.common.protocol.DataSelection;
import io.ticketfoundry.common.spec.ExperimentSpec;
import io.ticketfoundry.worker.data.DatasetLoader;
import io.ticketfoundry.worker.data.InMemoryDataset;
import io.ticketfoundry.worker.io.CheckpointFiles;
import io.ticketfoundry.worker.lottery.Rewinding;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ModelRegistry;
import io.ticketfoundry.worker.model.Weights;
import io.ticketfoundry.worker.prune.Mask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A ticket's trained network as its files hold it: the architecture of its experiment's spec, the
 * trained weights with the mask re-applied (pruned weights are exactly zero), ready to be scored on
 * any data of the same shape and classes. Data are normalised as the experiment's dataset was in
 * training.
 */
public record TrainedTicket(ExperimentSpec spec, ModelDefinition model, Mask mask, Weights weights) {

    /** The logits of a selection of data and its labels, named as metrics name them. */
    public record Scored(float[] logits, int[] labels, int numClasses, String dataset, String split) {
    }

    public static TrainedTicket read(ExperimentSpec resolvedSpec, DatasetLoader datasets, ModelRegistry models,
            Path trainedWeights, Path mask) throws IOException {
        ExperimentSpec spec = resolvedSpec.withDefaults();
        ModelDefinition model = models.get(spec.model(), datasets.info(spec.dataset()).numClasses());
        Mask ticketMask = CheckpointFiles.readMask(mask, model);
        Weights weights = Rewinding.resetTo(CheckpointFiles.readWeights(trainedWeights, model), ticketMask);
        return new TrainedTicket(spec, model, ticketMask, weights);
    }

    /** A copy of this ticket with other weights (same model and mask). */
    public TrainedTicket withWeights(Weights other) {
        return new TrainedTicket(spec, model, mask, other);
    }

    /** Runs the network on {@code selection}; fails when its classes or example shape differ from the model's. */
    public Scored score(DatasetLoader datasets, ModelEvaluator evaluator, DataSelection selection) throws IOException {
        return score(datasets, evaluator, selection, true);
    }

    /**
     * As {@link #score(DatasetLoader, ModelEvaluator, DataSelection)}; with {@code sameClasses} false
     * the data may have another number of classes (out-of-distribution data: only the logits count).
     */
    public Scored score(DatasetLoader datasets, ModelEvaluator evaluator, DataSelection selection, boolean sameClasses)
            throws IOException {
        return scoreAll(datasets, evaluator, selection, List.of(weights), sameClasses).get(0);
    }

    /**
     * Runs the network with each of {@code variants} (weights of this model, e.g. before and after a
     * calibration) on {@code selection}, loading the data once.
     */
    public List<Scored> scoreAll(DatasetLoader datasets, ModelEvaluator evaluator, DataSelection selection,
            List<Weights> variants) throws IOException {
        return scoreAll(datasets, evaluator, selection, variants, true);
    }

    private List<Scored> scoreAll(DatasetLoader datasets, ModelEvaluator evaluator, DataSelection selection,
            List<Weights> variants, boolean sameClasses) throws IOException {
        try (NDManager manager = NDManager.newBaseManager();
                InMemoryDataset data = datasets.load(manager, selection, spec.dataset())) {
            if (sameClasses && data.numClasses() != model.numClasses()) {
                throw new IllegalArgumentException("dataset " + selection.dataset() + " has " + data.numClasses()
                        + " classes; the ticket's " + model.name() + " has " + model.numClasses() + " outputs");
            }
            long[] shape = data.features().getShape().slice(1).getShape();
            long[] want = model.sampleShape().getShape();
            if (!java.util.Arrays.equals(shape, want)) {
                throw new IllegalArgumentException("dataset " + selection.dataset() + " has examples of shape "
                        + java.util.Arrays.toString(shape) + "; " + model.name() + " takes "
                        + java.util.Arrays.toString(want));
            }
            List<Scored> scored = new java.util.ArrayList<>();
            for (Weights variant : variants) {
                scored.add(new Scored(evaluator.logits(model, variant, data), data.labelValues(), model.numClasses(),
                        selection.dataset(), selection.splitLabel()));
            }
            return scored;
        }
    }
}
