package io.ticketfoundry.worker.model;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * PyTorch's {@code nn.BatchNorm2d(C)} (eps 1e-5, momentum 0.1, affine, running statistics) on
 * [N, C, H, W]. In training the batch statistics normalise and the running ones are updated in
 * place by the engine (running = 0.9 × running + 0.1 × batch, the variance unbiased, as PyTorch);
 * in evaluation the running statistics normalise. {@code num_batches_tracked} counts training
 * forwards, as PyTorch does; with a fixed momentum it does not affect the result but is part of
 * the state_dict.
 */
public final class BatchNorm2d extends AbstractBlock {

    public static final float EPSILON = 1e-5f;
    /** PyTorch's momentum: the weight of the new batch in the running statistics. */
    public static final float MOMENTUM = 0.1f;

    private final Parameter weight;
    private final Parameter bias;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private long numBatchesTracked;
    private float momentum = MOMENTUM;

    public BatchNorm2d(int channels) {
        Shape shape = new Shape(channels);
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA)
                .optShape(shape).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BETA)
                .optShape(shape).build());
        runningMean = addParameter(Parameter.builder().setName("running_mean").setType(Parameter.Type.RUNNING_MEAN)
                .optShape(shape).optRequiresGrad(false).build());
        runningVar = addParameter(Parameter.builder().setName("running_var").setType(Parameter.Type.RUNNING_VAR)
                .optShape(shape).optRequiresGrad(false).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        var x = inputs.singletonOrThrow();
        Device device = x.getDevice();
        // DJL's momentum is the weight of the old running value (MXNet's convention).
        NDList out = BatchNorm.batchNorm(x,
                store.getValue(runningMean, device, training), store.getValue(runningVar, device, training),
                store.getValue(weight, device, training), store.getValue(bias, device, training),
                1, 1f - momentum, EPSILON, training);
        if (training) {
            numBatchesTracked++;
        }
        return out;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public Parameter runningMean() {
        return runningMean;
    }

    public Parameter runningVar() {
        return runningVar;
    }

    public long numBatchesTracked() {
        return numBatchesTracked;
    }

    public void setNumBatchesTracked(long value) {
        numBatchesTracked = value;
    }

    /**
     * The weight of the new batch in the running statistics ({@value #MOMENTUM} unless set):
     * re-estimating the statistics of a finished network sets b / (n + b) before each batch (b its
     * size, n the samples seen), PyTorch's cumulative average ({@code momentum=None}).
     */
    public void setMomentum(float momentum) {
        if (!(momentum > 0 && momentum <= 1)) {
            throw new IllegalArgumentException("momentum must be in (0, 1], is " + momentum);
        }
        this.momentum = momentum;
    }
}
