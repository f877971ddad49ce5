package io.ticketfoundry.worker.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * {@code label-smoothing}: cross-entropy against {@code (1 − ε) onehot(y) + ε/K}, mean over the
 * batch (the convention of {@code torch.nn.CrossEntropyLoss(label_smoothing=ε)}).
 */
public final class LabelSmoothingObjective implements TrainingObjective {

    private final double epsilon;

    public LabelSmoothingObjective(double epsilon) {
        this.epsilon = epsilon;
    }

    @Override
    public String kind() {
        return "label-smoothing";
    }

    @Override
    public NDArray loss(NDList logits, NDArray targets) {
        NDArray z = logits.singletonOrThrow();
        int k = Losses.numClasses(z);
        NDArray smoothed = Losses.oneHot(targets, k).mul((float) (1 - epsilon)).add((float) (epsilon / k));
        return Losses.crossEntropy(smoothed, z.logSoftmax(1)).mean();
    }
}
