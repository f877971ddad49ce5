package io.ticketfoundry.worker.prune;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code grasp} (Wang et al. 2020; alecwangcq/GraSP {@code pruner/GraSP.py}): the score is
 * {@code S = −w ⊙ (H g)} with g = ∂L/∂w and H the Hessian of L, g held constant in H g, over all
 * Conv and Linear weights (ignored tensors included, as the reference differentiates every such
 * weight; only their scores are unused). L is the mean cross-entropy of {@code logits / T},
 * T = 200 by default, as the reference. The reference keeps {@code S/|ΣS| ≤} the value at its
 * top-k cut, i.e. it <b>removes the highest S</b>; so do we.
 *
 * <p>As the reference, the network scores in training mode (its scoring copy is never put in
 * eval), so BatchNorm normalises by batch statistics unless the request says {@code eval}. The
 * reference sums the gradients of two half batches and accumulates H g over the halves: with
 * equal halves that is 4 H g of the whole batch, the same ranking. It also re-draws the Linear
 * weights of its scoring copy (Xavier normal) and scores with those: this class scores the weights
 * it is given, and the level runner gives it such a re-drawn copy unless {@code pruning.graspRedrawLinear}
 * is false ({@link GraspScoringWeights}). H g is {@link FiniteDifferenceHvp}.
 */
final class GraspScores implements PruningMethod.DataDriven {

    static final double DEFAULT_TEMPERATURE = 200;

    @Override
    public String name() {
        return PruningMethods.GRASP;
    }

    @Override
    public String score() {
        return "-w * (H g), g = dL/dw, L = mean cross-entropy of logits / T";
    }

    @Override
    public boolean removesHighest() {
        return true;
    }

    @Override
    public Scorer open(ScoringInputs inputs, ScoringData data) {
        ScoringNetwork network = new ScoringNetwork(inputs.model(), inputs.weights(), Mask.allOnes(inputs.model()), false);
        try {
            ScoringBatch batch = data.select(network.manager(), inputs.samplesPerClass(), inputs.seed());
            boolean training = PruningMethods.BN_TRAIN.equals(inputs.batchNorm());
            Map<String, Object> details = new LinkedHashMap<>(PruningMethods.dataDetails(data, batch, inputs));
            return new Scorer() {
                @Override
                public Map<String, double[]> scores(Mask current) {
                    network.applyMask(current);
                    Map<String, double[]> scores = new LinkedHashMap<>();
                    try (NDManager scratch = network.manager().newSubManager()) {
                        Map<String, NDArray> w = network.weights(scratch);
                        Map<String, NDArray> g = network.lossGradients(scratch, batch, inputs.temperature(), training);
                        // g of a pruned weight is not a direction the masked network can move in
                        for (String name : network.prunable()) {
                            if (!current.isDense(name)) {
                                NDArray keep = scratch.create(current.asFloats(name), g.get(name).getShape())
                                        .toType(ScoringNetwork.DTYPE, false);
                                g.get(name).muli(keep);
                            }
                        }
                        FiniteDifferenceHvp.Result hg = FiniteDifferenceHvp.compute(network, w, g, g,
                                () -> network.lossGradients(scratch, batch, inputs.temperature(), training),
                                inputs.scored());
                        for (String name : inputs.scored()) {
                            double[] weights = ScoringNetwork.values(w.get(name));
                            double[] product = hg.product().get(name);
                            double[] s = new double[weights.length];
                            for (int i = 0; i < s.length; i++) {
                                s[i] = -weights[i] * product[i];
                            }
                            scores.put(name, s);
                        }
                        details.put("hvpStep", hg.step());
                        details.put("hvpOneSidedEntries", hg.oneSided());
                    }
                    return scores;
                }

                @Override
                public Map<String, Object> details() {
                    Map<String, Object> out = new LinkedHashMap<>(details);
                    out.put("temperature", inputs.temperature());
                    out.put("hessian", "over every prunable (Conv and Linear) weight, ignored tensors included");
                    out.put("hvp", "central-difference");
                    out.put("hvpRelativeStep", FiniteDifferenceHvp.RELATIVE_STEP);
                    return out;
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
