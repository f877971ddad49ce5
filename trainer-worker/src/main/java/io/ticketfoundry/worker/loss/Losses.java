package io.ticketfoundry.worker.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Per-sample pieces the objectives share; inputs are [N, K] logits or probabilities. */
final class Losses {

    private Losses() {
    }

    /** One-hot float32 [N, K] of int64 labels [N]. */
    static NDArray oneHot(NDArray labels, int numClasses) {
        return labels.toType(DataType.INT64, false).oneHot(numClasses).toType(DataType.FLOAT32, false);
    }

    /** Cross-entropy against (possibly soft) targets [N, K] of log-probabilities [N, K]: [N]. */
    static NDArray crossEntropy(NDArray targets, NDArray logProbabilities) {
        return targets.mul(logProbabilities).sum(new int[] {1}).neg();
    }

    /** KL(U ‖ p) = Σ_k (1/K) log((1/K) / p_k) = −log K − mean_k log p_k, per row: [N]. */
    static NDArray klFromUniform(NDArray logProbabilities) {
        long k = logProbabilities.getShape().get(1);
        return logProbabilities.mean(new int[] {1}).neg().sub((float) Math.log(k));
    }

    static int numClasses(NDArray logits) {
        return Math.toIntExact(logits.getShape().get(1));
    }

    /**
     * {@code log mean_a exp(v)} along {@code axis}, computed as {@code m + log mean exp(v − m)} with
     * {@code m} the (constant) maximum: the log of a mean of probabilities given their logs,
     * finite even when the probabilities underflow.
     */
    static NDArray logMeanExp(NDArray logValues, int axis) {
        NDArray max = logValues.stopGradient().max(new int[] {axis}, true);
        return logValues.sub(max).exp().mean(new int[] {axis}, true).log().add(max).squeeze(axis);
    }
}
