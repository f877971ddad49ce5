package io.ticketfoundry.worker.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;

/**
 * {@code nba}: {@code CE + γ_n Σ_b w_b |N_b/N − 1/B|}. {@code N_b} is a differentiable soft
 * histogram of the top-label confidences {@code c_i = max_k p_ik}: sample i gives bin b (centre
 * {@code m_b = (b + ½)/B}) the weight {@code exp(−(c_i − m_b)² / (2σ²))}, normalised over the bins so
 * that every sample adds exactly 1 (Σ_b N_b = N); σ is the bandwidth. CE is the batch mean.
 */
public final class NbaObjective implements TrainingObjective {

    private final double gammaN;
    private final int bins;
    private final double bandwidth;
    private final float[] weights;
    private final boolean perBatchSum;

    /** As {@code batch-mean}: {@code mean CE + γ_n term} (used by the hand-computed tests). */
    public NbaObjective(double gammaN, int bins, double bandwidth, List<Double> weights) {
        this(gammaN, bins, bandwidth, weights, false);
    }

    /** @param perBatchSum the seed's weighting: {@code mean CE + (γ_n/N) term} for a batch of N */
    public NbaObjective(double gammaN, int bins, double bandwidth, List<Double> weights, boolean perBatchSum) {
        if (bins < 1 || weights.size() != bins || !(bandwidth > 0)) {
            throw new IllegalArgumentException("nba needs bins >= 1, one weight per bin and a bandwidth > 0");
        }
        this.gammaN = gammaN;
        this.perBatchSum = perBatchSum;
        this.bins = bins;
        this.bandwidth = bandwidth;
        this.weights = new float[bins];
        for (int b = 0; b < bins; b++) {
            this.weights[b] = weights.get(b).floatValue();
        }
    }

    @Override
    public String kind() {
        return "nba";
    }

    /** The soft histogram [B] of confidences [N] (the fraction N_b/N per bin). */
    NDArray softHistogram(NDArray confidences) {
        float[] centres = new float[bins];
        for (int b = 0; b < bins; b++) {
            centres[b] = (float) ((b + 0.5) / bins);
        }
        NDArray m = confidences.getManager().create(centres).reshape(1, bins);
        NDArray d = confidences.reshape(-1, 1).sub(m);
        NDArray g = d.mul(d).div((float) (-2 * bandwidth * bandwidth)).exp();
        NDArray share = g.div(g.sum(new int[] {1}, true));
        return share.mean(new int[] {0});
    }

    @Override
    public NDArray loss(NDList logits, NDArray targets) {
        NDArray z = logits.singletonOrThrow();
        int k = Losses.numClasses(z);
        NDArray logP = z.logSoftmax(1);
        NDArray ce = Losses.crossEntropy(Losses.oneHot(targets, k), logP).mean();
        NDArray confidences = logP.exp().max(new int[] {1});
        NDArray w = z.getManager().create(weights);
        NDArray penalty = softHistogram(confidences).sub((float) (1.0 / bins)).abs().mul(w).sum();
        double weight = perBatchSum ? gammaN / z.getShape().get(0) : gammaN;
        return ce.add(penalty.mul((float) weight));
    }
}
