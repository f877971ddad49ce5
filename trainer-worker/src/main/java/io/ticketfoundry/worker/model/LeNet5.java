package io.ticketfoundry.worker.model;

import ai.djl.ndarray.types.Shape;
import io.ticketfoundry.common.model.Architectures;
import io.ticketfoundry.common.model.Layers;

/**
 * LeNet-5 (LeCun et al. 1998) for 1×28×28 images in its common modern form: 5×5 convolutions with
 * 6 and 16 filters (the first padded by 2, so 28×28 works like the original 32×32), ReLU, 2×2 max
 * pooling, then 400 → 120 → 84 → classes. Reference definition: {@code LeNet5} in docs/models.md.
 * Default init: Kaiming normal (open_lth's rule; open_lth has no LeNet-5).
 */
public final class LeNet5 extends LayeredModel {

    public static final String NAME = "lenet-5";

    public LeNet5(int numClasses) {
        super(NAME, new Shape(1, 28, 28), numClasses);
    }

    @Override
    protected void define(Layers l) {
        Architectures.lenet5(l, numClasses());
    }
}
