package io.ticketfoundry.worker.prune;

import io.ticketfoundry.worker.Seeds;
import io.ticketfoundry.worker.model.Initialization;
import io.ticketfoundry.worker.model.Initializer;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ParameterSpec;
import io.ticketfoundry.worker.model.Weights;

/**
 * The weights GraSP scores. Its reference ({@code GraSP(..., reinit=True)} in alecwangcq/GraSP)
 * scores a copy of the network whose Linear weights are re-drawn from Xavier normal, and applies
 * the resulting mask to the original: for an all-Linear model the mask is then unrelated to the
 * weights it is applied to. {@code redrawLinear} follows it; without it the given weights are scored.
 */
public final class GraspScoringWeights {

    private GraspScoringWeights() {
    }

    public static Weights of(ModelDefinition model, Weights given, boolean redrawLinear, long seed) {
        if (!redrawLinear) {
            return given;
        }
        Weights xavier = Initialization.initialize(model, Initializer.XAVIER_NORMAL, Seeds.derive(seed, "grasp-redraw", 0));
        Weights scored = given.copy();
        for (ParameterSpec p : model.parameters()) {
            if (p.kind() == ParameterSpec.Kind.WEIGHT && !p.isConvolution()) {
                System.arraycopy(xavier.values(p.name()), 0, scored.values(p.name()), 0, p.size());
            }
        }
        return scored;
    }
}
