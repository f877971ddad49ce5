package io.ticketfoundry.worker.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code synflow} (Tanaka et al. 2020; ganguli-lab/Synaptic-Flow {@code Pruners/pruners.py}):
 * data-free and iterative. Every parameter and F32 buffer of the network is replaced by its
 * absolute value (the reference's {@code linearize} takes {@code abs_} of the whole state_dict:
 * weights, biases, BatchNorm γ, β, running mean and variance), the prunable weights multiplied
 * by the current mask; R is the sum of the output for one all-ones input {@code [1, C, H, W]}
 * in evaluation mode (the reference's {@code prune_loop} runs in {@code eval()} by default, so
 * BatchNorm uses its |running| statistics), and a weight's score is {@code |w ⊙ ∂R/∂w|}; the lowest
 * go. {@link OneShotPruning} repeats this for its rounds with the exponential schedule.
 *
 * <p>In float64: the reference's {@code model.double()} is commented out (it scores in float32),
 * but R is a product over the depth and overflows float32 on deep networks, which the paper
 * warns of; float64 changes nothing else. It is a {@link PruningMethod.DataFree} method: it is
 * opened without any {@link ScoringData}.
 */
final class SynFlowScores implements PruningMethod.DataFree {

    static final int DEFAULT_ROUNDS = 100;

    @Override
    public String name() {
        return PruningMethods.SYNFLOW;
    }

    @Override
    public String score() {
        return "|w * dR/dw|, R = sum of f(ones; |theta|) in eval mode";
    }

    @Override
    public boolean removesHighest() {
        return false;
    }

    @Override
    public int defaultRounds() {
        return DEFAULT_ROUNDS;
    }

    @Override
    public Scorer open(ScoringInputs inputs) {
        ScoringNetwork network = new ScoringNetwork(inputs.model(), inputs.weights(), Mask.allOnes(inputs.model()), true);
        Shape input = new Shape(1).addAll(inputs.model().sampleShape());
        return new Scorer() {
            @Override
            public Map<String, double[]> scores(Mask current) {
                network.applyMask(current);
                Map<String, double[]> scores = new LinkedHashMap<>();
                try (NDManager scratch = network.manager().newSubManager()) {
                    Map<String, NDArray> gradients = network.gradients(scratch,
                            pass -> network.forward(pass.ones(input, ScoringNetwork.DTYPE), false).sum());
                    for (String name : inputs.scored()) {
                        NDArray score = gradients.get(name).mul(network.array(name)).abs();
                        score.attach(scratch);
                        scores.put(name, ScoringNetwork.values(score));
                    }
                }
                return scores;
            }

            @Override
            public Map<String, Object> details() {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("input", "ones " + input);
                out.put("absoluteValues", "every parameter and BatchNorm buffer");
                out.put("batchNorm", PruningMethods.BN_EVAL);
                return out;
            }

            @Override
            public void close() {
                network.close();
            }
        };
    }
}
