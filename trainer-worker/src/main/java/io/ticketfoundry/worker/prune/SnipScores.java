package io.ticketfoundry.worker.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code snip} (Lee et al. 2019; namhoonlee/snip-public): connection sensitivity |g ⊙ w| with
 * g = ∂L/∂w, L the mean cross-entropy of the network at the given weights on the scoring batch;
 * the lowest scores go. As in snip-public's pruning pass ({@code is_train: False}) BatchNorm uses
 * its running statistics unless the request says {@code train}. snip-public normalises the scores
 * by their sum, which does not change the ranking, and also scores biases, which are never pruned
 * here.
 */
final class SnipScores implements PruningMethod.DataDriven {

    @Override
    public String name() {
        return PruningMethods.SNIP;
    }

    @Override
    public String score() {
        return "|g * w|, g = dL/dw";
    }

    @Override
    public boolean removesHighest() {
        return false;
    }

    @Override
    public Scorer open(ScoringInputs inputs, ScoringData data) {
        ScoringNetwork network = new ScoringNetwork(inputs.model(), inputs.weights(), Mask.allOnes(inputs.model()), false);
        try {
            ScoringBatch batch = data.select(network.manager(), inputs.samplesPerClass(), inputs.seed());
            boolean training = PruningMethods.BN_TRAIN.equals(inputs.batchNorm());
            return new Scorer() {
                @Override
                public Map<String, double[]> scores(Mask current) {
                    network.applyMask(current);
                    Map<String, double[]> scores = new LinkedHashMap<>();
                    try (NDManager scratch = network.manager().newSubManager()) {
                        Map<String, NDArray> g = network.lossGradients(scratch, batch, 1.0, training);
                        for (String name : inputs.scored()) {
                            double[] gradient = ScoringNetwork.values(g.get(name));
                            double[] w = ScoringNetwork.values(network.array(name));
                            double[] s = new double[w.length];
                            for (int i = 0; i < s.length; i++) {
                                s[i] = Math.abs(gradient[i] * w[i]);
                            }
                            scores.put(name, s);
                        }
                    }
                    return scores;
                }

                @Override
                public Map<String, Object> details() {
                    return PruningMethods.dataDetails(data, batch, inputs);
                }

                @Override
                public void close() {
                    network.close();
                }
            };
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }
}
