package io.ticketfoundry.worker.sparse;

import ai.djl.ndarray.NDArray;
import io.ticketfoundry.common.spec.SparseTrainingSpec;
import io.ticketfoundry.worker.Seeds;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.prune.Mask;
import io.ticketfoundry.worker.train.MaskDynamics;
import io.ticketfoundry.worker.train.StepAccess;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mask of a sparse-training run as it changes (docs/experiments.md, "Sparse training").
 *
 * <ul>
 *   <li>{@code static}: never changes.
 *   <li>{@code set}, {@code rigl}: after the backward pass of every update step (see
 *       {@link SparseSchedule}) each sparse tensor drops and grows {@code int(active × f_t)} weights
 *       ({@link MaskUpdate}), RigL from the dense gradient of that step. New connections have their
 *       optimizer state reset and their gradient of that step zeroed, so they are exactly zero
 *       after it and start training at the next step. The step's optimizer update is made as usual
 *       (the references skip it at update steps; keeping it keeps our step count, schedule and
 *       checkpoints aligned).
 *   <li>{@code cigl}: RigL, plus before every forward pass each active weight of a sparse tensor is
 *       kept with probability (n−1)/n and scaled by n/(n−1) ({@link RandomWeightMask}, seeded by
 *       (seed, step, tensor)); after the backward pass the weights are put back and the gradient is
 *       multiplied by the same factors (the chain rule through the random mask), so a dropped
 *       weight gets no gradient that step. RigL's growth criterion at an update step is the dense
 *       gradient with respect to the masked weights the forward pass used, as in the reference code.
 * </ul>
 * Tensors in {@code pruning.ignore} are dense and untouched. Deterministic: every random draw
 * derives from (seed, step, tensor), never from engine state.
 */
public final class SparseMaskDynamics implements MaskDynamics {

    private final ModelDefinition model;
    private final SparseTrainingSpec spec;
    private final SparseSchedule schedule;
    private final List<String> sparseTensors;
    private final long seed;
    private final boolean rigl;
    private final boolean cigl;
    private final Map<String, byte[]> values = new LinkedHashMap<>();
    private Mask mask;
    private long updates;
    private long newConnections;

    // CigL: this step's weights before the random mask, and its factors
    private final Map<String, NDArray> saved = new LinkedHashMap<>();
    private final Map<String, NDArray> factors = new LinkedHashMap<>();

    /**
     * @param mask          the mask the run starts (or resumes) with
     * @param sparseTensors the prunable tensors not ignored, in the model's order
     * @param updatesSoFar  mask updates made before the run starts (a resumed run's)
     */
    public SparseMaskDynamics(ModelDefinition model, SparseTrainingSpec spec, SparseSchedule schedule, Mask mask,
            List<String> sparseTensors, long seed, long updatesSoFar) {
        this.model = model;
        this.spec = spec;
        this.schedule = schedule;
        this.sparseTensors = List.copyOf(sparseTensors);
        this.seed = seed;
        this.rigl = SparseTrainingSpec.RIGL.equals(spec.method()) || SparseTrainingSpec.CIGL.equals(spec.method());
        this.cigl = SparseTrainingSpec.CIGL.equals(spec.method());
        if (!SparseTrainingSpec.METHODS.contains(spec.method())) {
            throw new IllegalArgumentException("unknown sparseTraining.method \"" + spec.method() + "\"; expected "
                    + SparseTrainingSpec.METHODS);
        }
        this.mask = mask;
        for (String name : model.prunableParameters().stream().map(p -> p.name()).toList()) {
            values.put(name, mask.values(name));
        }
        this.updates = updatesSoFar;
    }

    @Override
    public Mask mask() {
        return mask;
    }

    /** Mask updates made so far (by this run and, when resumed, before it). */
    public long updates() {
        return updates;
    }

    /** New connections grown by this run's updates (not counting the run before a resume). */
    public long newConnections() {
        return newConnections;
    }

    @Override
    public void beforeForward(long step, StepAccess access) {
        if (!cigl) {
            return;
        }
        for (int k = 0; k < sparseTensors.size(); k++) {
            String name = sparseTensors.get(k);
            NDArray parameter = access.parameter(name);
            float[] f = RandomWeightMask.factors(values.get(name), spec.randomMaskDenominator(),
                    Seeds.derive(seed, "cigl-weight-mask", step, k));
            NDArray copy = parameter.duplicate();
            copy.attach(access.manager());
            NDArray factor = access.manager().create(f, parameter.getShape());
            saved.put(name, copy);
            factors.put(name, factor);
            parameter.muli(factor);
        }
    }

    @Override
    public boolean afterBackward(long step, StepAccess access) {
        if (cigl) {
            for (String name : sparseTensors) {
                saved.get(name).copyTo(access.parameter(name));
            }
        }
        long taken = step + 1;
        boolean update = schedule.isUpdate(taken);
        Map<String, byte[]> grownByTensor = new LinkedHashMap<>();
        if (update) {
            double fraction = schedule.dropFraction(taken);
            for (int k = 0; k < sparseTensors.size(); k++) {
                String name = sparseTensors.get(k);
                byte[] current = values.get(name);
                int drop = (int) SparseSchedule.dropCount(active(current), fraction);
                if (drop == 0) {
                    continue;
                }
                float[] weights = access.values(name);
                MaskUpdate.Result result = rigl
                        ? MaskUpdate.rigl(weights, access.gradient(name), current, drop)
                        : MaskUpdate.set(weights, current, drop, Seeds.derive(seed, "set-grow", taken, k));
                values.put(name, result.mask());
                if (result.newConnections() > 0) {
                    access.resetOptimizerState(name, result.grown());
                    grownByTensor.put(name, result.grown());
                    newConnections += result.newConnections();
                }
            }
            mask = Mask.of(model, values);
            updates++;
        }
        if (cigl) {
            // the chain rule through the random mask; its factors are 0 where the weight was inactive,
            // so new connections get no gradient either
            for (String name : sparseTensors) {
                access.multiplyGradient(name, factors.get(name));
            }
            saved.clear();
            factors.clear();
        } else {
            for (Map.Entry<String, byte[]> grown : grownByTensor.entrySet()) {
                byte[] positions = grown.getValue();
                float[] keep = new float[positions.length];
                for (int i = 0; i < keep.length; i++) {
                    keep[i] = positions[i] != 0 ? 0f : 1f;
                }
                NDArray parameter = access.parameter(grown.getKey());
                access.multiplyGradient(grown.getKey(), access.manager().create(keep, parameter.getShape()));
            }
        }
        return update;
    }

    static int active(byte[] mask) {
        int count = 0;
        for (byte b : mask) {
            count += b != 0 ? 1 : 0;
        }
        return count;
    }
}
