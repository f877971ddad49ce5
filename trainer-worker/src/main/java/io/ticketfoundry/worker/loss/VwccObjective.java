package io.ticketfoundry.worker.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * {@code vwcc} (Seo et al. 2019) over T stochastic (dropout) passes with softmax outputs
 * {@code p_t} and mean {@code p̄}: {@code α_i = (1/T) Σ_t (1 − BC(p_t,i, p̄_i))}, the Bhattacharyya
 * coefficient {@code BC(p, q) = Σ_k √(p_k q_k)}, held constant (no gradient); per sample
 * {@code (1/T) Σ_t [(1 − α_i) CE(y, p_t) + α_i KL(U ‖ p_t)]}, mean over the batch. α is 0 when the
 * passes agree (then it is plain cross-entropy) and grows with their disagreement.
 */
public final class VwccObjective implements TrainingObjective {

    private final int passes;
    private final double dropout;
    private final boolean convDropout;

    public VwccObjective(int passes, double dropout) {
        this(passes, dropout, false);
    }

    /** @param convDropout dropout in the convolutional slots too ({@code hidden-and-conv}) */
    public VwccObjective(int passes, double dropout, boolean convDropout) {
        this.passes = passes;
        this.dropout = dropout;
        this.convDropout = convDropout;
    }

    @Override
    public String kind() {
        return "vwcc";
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

    /** α_i [N] of the passes' probabilities, without gradient. */
    static NDArray alpha(NDList probabilities) {
        NDList constant = new NDList();
        for (NDArray p : probabilities) {
            constant.add(p.stopGradient());
        }
        NDArray mean = NDArrays.stack(constant).mean(new int[] {0});
        NDArray sum = null;
        for (NDArray p : constant) {
            NDArray oneMinusBc = p.mul(mean).sqrt().sum(new int[] {1}).neg().add(1);
            sum = sum == null ? oneMinusBc : sum.add(oneMinusBc);
        }
        return sum.div(constant.size());
    }

    @Override
    public NDArray loss(NDList logits, NDArray targets) {
        NDArray oneHot = Losses.oneHot(targets, Losses.numClasses(logits.get(0)));
        NDList logPs = new NDList();
        NDList ps = new NDList();
        for (NDArray z : logits) {
            NDArray logP = z.logSoftmax(1);
            logPs.add(logP);
            ps.add(logP.exp());
        }
        NDArray a = alpha(ps);
        NDArray oneMinusA = a.neg().add(1);
        NDArray total = null;
        for (NDArray logP : logPs) {
            NDArray term = Losses.crossEntropy(oneHot, logP).mul(oneMinusA).add(Losses.klFromUniform(logP).mul(a));
            total = total == null ? term : total.add(term);
        }
        return total.div(logPs.size()).mean();
    }
}
