package io.ticketfoundry.worker.prune;

import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.Weights;
import java.util.List;

/**
 * What a {@link PruningMethod} is opened with: no data (a data-driven method gets its
 * {@link ScoringData} separately).
 *
 * @param weights the weights to score (not yet masked)
 * @param scored the prunable tensors that take part (not ignored), in the model's order
 * @param samplesPerClass class-balanced scoring samples per class (data-driven methods)
 * @param batchNorm {@code train} or {@code eval}: which statistics BatchNorm uses in the forward passes
 * @param temperature logits are divided by it before the loss (GraSP)
 */
public record ScoringInputs(ModelDefinition model, Weights weights, List<String> scored, long seed,
        int samplesPerClass, String batchNorm, double temperature) {

    public ScoringInputs {
        scored = List.copyOf(scored);
    }
}
