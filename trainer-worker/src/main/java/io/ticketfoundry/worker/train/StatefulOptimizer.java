package io.ticketfoundry.worker.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import io.ticketfoundry.common.spec.TrainingSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SGD (with momentum, optionally Nesterov), Adam and AdamW whose state can be read out and put back, so that a run resumed
 * from a checkpoint continues bit for bit as if it had never stopped. DJL's own {@code Sgd} and
 * {@code Adam} keep their momentum, moments and update counts in private fields; this class
 * makes the same calls into the engine (the fused {@code sgdUpdate}/{@code adamUpdate} kernels
 * with the same arguments) but owns its state.
 *
 * <p>The update count works as in DJL: the t-th update of a parameter uses t (1-based) for the
 * learning-rate tracker and Adam's bias correction; t continues from {@link #restore} after a resume.
 */
public final class StatefulOptimizer extends Optimizer {

    public static final String MOMENTUM = "momentum";
    public static final String ADAM_MEAN = "adam_mean";
    public static final String ADAM_VARIANCE = "adam_variance";

    private final String kind;
    private final ParameterTracker learningRate;
    private final float momentum;
    private final boolean nesterov;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final Map<String, NDArray[]> state = new ConcurrentHashMap<>();
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private volatile int updates;
    private volatile int restoredUpdates;
    private volatile Map<String, float[][]> restored = Map.of();

    private StatefulOptimizer(Builder builder) {
        super(builder);
        kind = Objects.requireNonNull(builder.kind);
        learningRate = Objects.requireNonNull(builder.learningRate, "learning rate tracker");
        momentum = builder.momentum;
        nesterov = builder.nesterov;
        beta1 = builder.beta1;
        beta2 = builder.beta2;
        epsilon = builder.epsilon;
    }

    public static Builder sgd(float momentum) {
        Builder builder = new Builder(TrainingSpec.SGD);
        builder.momentum = momentum;
        return builder;
    }

    public static Builder adam(float beta1, float beta2, float epsilon) {
        Builder builder = new Builder(TrainingSpec.ADAM);
        builder.beta1 = beta1;
        builder.beta2 = beta2;
        builder.epsilon = epsilon;
        return builder;
    }

    /** AdamW: Adam with decoupled weight decay (DJL's AdamW, the same fused kernel with its adamw flag). */
    public static Builder adamW(float beta1, float beta2, float epsilon) {
        Builder builder = adam(beta1, beta2, epsilon);
        return new Builder(TrainingSpec.ADAMW, builder);
    }

    public String kind() {
        return kind;
    }

    private boolean adamFamily() {
        return TrainingSpec.ADAM.equals(kind) || TrainingSpec.ADAMW.equals(kind);
    }

    private String[] slotNames() {
        if (adamFamily()) {
            return new String[] {ADAM_MEAN, ADAM_VARIANCE};
        }
        return momentum != 0f ? new String[] {MOMENTUM} : new String[0];
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = counts.merge(parameterId, restoredUpdates + 1, (old, one) -> old + 1);
        if (t > updates) {
            updates = t;
        }
        float weightDecay = getWeightDecay();
        NDArray[] slots = state.computeIfAbsent(parameterId, id -> newSlots(id, weight));
        if (adamFamily()) {
            // as ai.djl.training.optimizer.Adam and AdamW in DJL 0.34 (AdamW sets the kernel's adamw flag)
            double coef1 = 1.0 - Math.pow(beta1, updates);
            double coef2 = 1.0 - Math.pow(beta2, updates);
            float lr = learningRate.getNewValue(parameterId, updates);
            float corrected = (float) (lr * Math.sqrt(coef2) / coef1);
            if (!Float.isFinite(lr) || !Float.isFinite(corrected) || !Float.isFinite(weightDecay)) {
                throw new IllegalStateException("learning rate or weight decay is nan or infinite");
            }
            weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, slots[0], slots[1]), new NDList(weight),
                    lr, corrected, weightDecay, rescaleGrad, clipGrad, beta1, beta2, epsilon, true,
                    TrainingSpec.ADAMW.equals(kind));
        } else if (nesterov) {
            // torch.optim.SGD(nesterov=True): d = g + wd·w; v = μ·v + d; w -= lr·(d + μ·v).
            // The PyTorch engine has no fused NAG kernel, so this is written out with in-place ops.
            float lr = learningRate.getNewValue(parameterId, updates);
            try (NDArray step = grad.mul(rescaleGrad)) {
                if (weightDecay != 0f) {
                    try (NDArray decay = weight.mul(weightDecay)) {
                        step.addi(decay);
                    }
                }
                slots[0].muli(momentum).addi(step);
                try (NDArray lookahead = slots[0].mul(momentum)) {
                    weight.subi(step.addi(lookahead).muli(lr));
                }
            }
        } else {
            // as ai.djl.training.optimizer.Sgd in DJL 0.34
            float lr = learningRate.getNewValue(parameterId, updates);
            NDList inputs = momentum != 0f ? new NDList(weight, grad, slots[0]) : new NDList(weight, grad);
            weight.getNDArrayInternal().sgdUpdate(inputs, new NDList(weight), lr, weightDecay, rescaleGrad, clipGrad,
                    momentum, true);
        }
    }

    private NDArray[] newSlots(String parameterId, NDArray weight) {
        String[] names = slotNames();
        float[][] saved = restored.get(parameterId);
        NDArray[] slots = new NDArray[names.length];
        for (int i = 0; i < names.length; i++) {
            slots[i] = saved == null ? weight.zerosLike() : weight.getManager().create(saved[i], weight.getShape());
        }
        return slots;
    }

    /**
     * Zeroes the state of the elements of one parameter where {@code positions} is 1 (dynamic sparse
     * training: weights that are grown start without momentum). State not made yet is zero anyway;
     * state put back by {@link #restore} and not used yet is changed in a copy. The update count
     * (Adam's bias correction, the schedule) is per run and stays.
     */
    public void resetElements(String parameterId, byte[] positions) {
        NDArray[] slots = state.get(parameterId);
        if (slots != null) {
            float[] keep = new float[positions.length];
            for (int i = 0; i < keep.length; i++) {
                keep[i] = positions[i] != 0 ? 0f : 1f;
            }
            for (NDArray slot : slots) {
                if (slot.size() != keep.length) {
                    throw new IllegalArgumentException("state of " + parameterId + " has " + slot.size() + " elements, not "
                            + keep.length);
                }
                try (NDArray factor = slot.getManager().create(keep, slot.getShape())) {
                    slot.muli(factor);
                }
            }
            return;
        }
        float[][] saved = restored.get(parameterId);
        if (saved != null) {
            float[][] copy = new float[saved.length][];
            for (int s = 0; s < saved.length; s++) {
                copy[s] = saved[s].clone();
                for (int i = 0; i < positions.length; i++) {
                    if (positions[i] != 0) {
                        copy[s][i] = 0f;
                    }
                }
            }
            Map<String, float[][]> updated = new LinkedHashMap<>(restored);
            updated.put(parameterId, copy);
            restored = updated;
        }
    }

    /**
     * Puts saved state back before the first update. {@code parameterIds} maps reference names to
     * the DJL parameter ids the trainer will pass to {@link #update}.
     */
    public void restore(OptimizerState saved, Map<String, String> parameterIds) {
        if (!kind.equals(saved.optimizer())) {
            throw new IllegalArgumentException("checkpoint holds " + saved.optimizer() + " state, this run uses " + kind);
        }
        if (!state.isEmpty()) {
            throw new IllegalStateException("restore before the first update");
        }
        String[] names = slotNames();
        Map<String, float[][]> byId = new LinkedHashMap<>();
        parameterIds.forEach((name, id) -> {
            float[][] values = new float[names.length][];
            for (int i = 0; i < names.length; i++) {
                values[i] = saved.values(names[i], name);
                if (values[i] == null && saved.updates() > 0) {
                    throw new IllegalArgumentException("checkpoint has no " + names[i] + " state for " + name);
                }
            }
            if (saved.updates() > 0 && names.length > 0) {
                byId.put(id, values);
            }
        });
        restored = byId;
        restoredUpdates = saved.updates();
        updates = saved.updates();
    }

    /** Copies the current state out of the engine, by reference name. */
    public OptimizerState export(Map<String, String> parameterIds) {
        Map<String, Map<String, float[]>> slots = new LinkedHashMap<>();
        String[] names = slotNames();
        for (String slot : names) {
            slots.put(slot, new LinkedHashMap<>());
        }
        if (updates > 0) {
            parameterIds.forEach((name, id) -> {
                NDArray[] arrays = state.get(id);
                float[][] saved = restored.get(id);
                for (int i = 0; i < names.length; i++) {
                    float[] values = arrays != null ? arrays[i].toFloatArray() : saved != null ? saved[i].clone() : null;
                    if (values != null) {
                        slots.get(names[i]).put(name, values);
                    }
                }
            });
        }
        return new OptimizerState(kind, updates, slots);
    }

    public static final class Builder extends OptimizerBuilder<Builder> {
        private final String kind;
        private ParameterTracker learningRate;
        private float momentum;
        private boolean nesterov;
        private float beta1 = 0.9f;
        private float beta2 = 0.999f;
        private float epsilon = 1e-8f;

        private Builder(String kind) {
            this.kind = kind;
        }

        private Builder(String kind, Builder adam) {
            this.kind = kind;
            this.beta1 = adam.beta1;
            this.beta2 = adam.beta2;
            this.epsilon = adam.epsilon;
        }

        /** Nesterov momentum for SGD ({@code torch.optim.SGD(nesterov=True)}'s role; DJL's NAG kernel). */
        public Builder optNesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        public Builder setLearningRateTracker(ParameterTracker learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        public StatefulOptimizer build() {
            return new StatefulOptimizer(this);
        }
    }
}
