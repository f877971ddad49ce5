package io.ticketfoundry.worker.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * {@code mda}: {@code CE + γ_d Σ_k p_k log(p_k / h̄_k)} with the uniform prior {@code p_k = 1/K}
 * and {@code h̄} the mini-batch mean of the softmax; CE is the batch mean.
 */
public final class MdaObjective implements TrainingObjective {

    private final double gammaD;
    private final boolean perBatchSum;

    /** As {@code batch-mean}: {@code mean CE + γ_d term} (used by the hand-computed tests). */
    public MdaObjective(double gammaD) {
        this(gammaD, false);
    }

    /** @param perBatchSum the seed's weighting: {@code mean CE + (γ_d/N) term} for a batch of N */
    public MdaObjective(double gammaD, boolean perBatchSum) {
        this.gammaD = gammaD;
        this.perBatchSum = perBatchSum;
    }

    @Override
    public String kind() {
        return "mda";
    }

    @Override
    public NDArray loss(NDList logits, NDArray targets) {
        NDArray z = logits.singletonOrThrow();
        int k = Losses.numClasses(z);
        NDArray logP = z.logSoftmax(1);
        NDArray ce = Losses.crossEntropy(Losses.oneHot(targets, k), logP).mean();
        // Σ_k (1/K) (log(1/K) − log h̄_k) = −log K − mean_k log h̄_k, log h̄ from the log-probabilities
        NDArray divergence = Losses.logMeanExp(logP, 0).mean().neg().sub((float) Math.log(k));
        double weight = perBatchSum ? gammaD / z.getShape().get(0) : gammaD;
        return ce.add(divergence.mul((float) weight));
    }
}
