package io.ticketfoundry.worker.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * {@code lwcc-si}: on the mean {@code p̄} of T stochastic (dropout) passes' softmax outputs, per
 * sample {@code CE(y, p̄) + λ β_i KL(U ‖ p̄)} with {@code β_i = (1 − max_k p̄_ik)} when the
 * prediction {@code argmax p̄_i} is right and {@code β_i = 1} when it is wrong, held constant (no
 * gradient); mean over the batch.
 */
public final class LwccSiObjective implements TrainingObjective {

    private final int passes;
    private final double dropout;
    private final double lambda;
    private final boolean convDropout;

    public LwccSiObjective(int passes, double dropout, double lambda) {
        this(passes, dropout, lambda, false);
    }

    /** @param convDropout dropout in the convolutional slots too ({@code hidden-and-conv}) */
    public LwccSiObjective(int passes, double dropout, double lambda, boolean convDropout) {
        this.passes = passes;
        this.dropout = dropout;
        this.lambda = lambda;
        this.convDropout = convDropout;
    }

    @Override
    public String kind() {
        return "lwcc-si";
    }

    @Override
    public int passes() {
        return passes;
    }

    @Override
    public double dropout() {
        return dropout;
    }

    @Override
    public boolean convDropout() {
        return convDropout;
    }

    /** β_i [N] of mean probabilities [N, K] and labels [N], without gradient. */
    static NDArray beta(NDArray meanProbabilities, NDArray labels) {
        NDArray p = meanProbabilities.stopGradient();
        NDArray right = p.argMax(1).toType(DataType.INT64, false).eq(labels.toType(DataType.INT64, false));
        NDArray ones = p.getManager().ones(right.getShape());
        return NDArrays.where(right, p.max(new int[] {1}).neg().add(1), ones);
    }

    @Override
    public NDArray loss(NDList logits, NDArray targets) {
        NDList logPs = new NDList();
        for (NDArray z : logits) {
            logPs.add(z.logSoftmax(1));
        }
        // log p̄ from the passes' log-probabilities (exact, and finite where p̄ underflows)
        NDArray logMean = Losses.logMeanExp(NDArrays.stack(logPs), 0);
        NDArray mean = logMean.exp();
        NDArray ce = Losses.crossEntropy(Losses.oneHot(targets, Losses.numClasses(mean)), logMean);
        NDArray kl = Losses.klFromUniform(logMean);
        return ce.add(kl.mul(beta(mean, targets)).mul((float) lambda)).mean();
    }
}
