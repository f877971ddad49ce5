package io.ticketfoundry.worker.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** {@code focal} (Lin et al.; Mukhoti et al. 2020): {@code −(1 − p_y)^γ log p_y}, mean over the batch. */
public final class FocalObjective implements TrainingObjective {

    private final double gamma;

    public FocalObjective(double gamma) {
        this.gamma = gamma;
    }

    @Override
    public String kind() {
        return "focal";
    }

    @Override
    public NDArray loss(NDList logits, NDArray targets) {
        NDArray z = logits.singletonOrThrow();
        NDArray oneHot = Losses.oneHot(targets, Losses.numClasses(z));
        NDArray logPy = z.logSoftmax(1).mul(oneHot).sum(new int[] {1});
        NDArray focus = logPy.exp().neg().add(1).pow((float) gamma);
        return focus.mul(logPy).neg().mean();
    }
}
