package io.ticketfoundry.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Objects;

/** Inverted dropout with masks from a {@link HiddenDropout}; the identity outside training. */
final class SeededDropout extends AbstractBlock {

    private final HiddenDropout source;

    SeededDropout(HiddenDropout source) {
        this.source = Objects.requireNonNull(source);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (!training || source.rate() == 0) {
            return inputs;
        }
        NDArray x = inputs.singletonOrThrow();
        NDArray mask = x.getManager().create(source.nextMask(Math.toIntExact(x.size())), x.getShape())
                .toDevice(x.getDevice(), false);
        return new NDList(x.mul(mask));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
