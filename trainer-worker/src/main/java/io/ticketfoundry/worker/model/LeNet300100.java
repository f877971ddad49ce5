package io.ticketfoundry.worker.model;

import ai.djl.ndarray.types.Shape;
import io.ticketfoundry.common.model.Architectures;
import io.ticketfoundry.common.model.Layers;

/**
 * LeNet-300-100 (Frankle &amp; Carbin; open_lth's {@code mnist_lenet_300_100}, renamed) on 1×28×28
 * images, which it flattens itself. Reference definition: {@code LeNet300100} in docs/models.md.
 * Default init: open_lth's {@code kaiming_normal}.
 */
public final class LeNet300100 extends LayeredModel {

    public static final String NAME = "lenet-300-100";

    public LeNet300100() {
        this(10);
    }

    public LeNet300100(int numClasses) {
        super(NAME, new Shape(1, 28, 28), numClasses);
    }

    @Override
    protected void define(Layers l) {
        Architectures.lenet300100(l, numClasses());
    }
}
