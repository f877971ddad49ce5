package io.ticketfoundry.worker.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/** {@code basic}: DJL's softmax cross-entropy, mean over the batch (what every run used before). */
public final class BasicObjective implements TrainingObjective {

    private final Loss loss = Loss.softmaxCrossEntropyLoss();

    @Override
    public String kind() {
        return "basic";
    }

    @Override
    public NDArray loss(NDList logits, NDArray targets) {
        return loss.evaluate(new NDList(targets), new NDList(logits.singletonOrThrow()));
    }
}
