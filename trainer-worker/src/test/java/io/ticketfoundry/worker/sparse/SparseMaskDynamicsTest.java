package io.ticketfoundry.worker.sparse;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.ticketfoundry.common.spec.SparseTrainingSpec;
import io.ticketfoundry.common.spec.TrainingSpec;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.DatasetLoader;
import io.ticketfoundry.worker.data.InMemoryDataset;
import io.ticketfoundry.worker.data.Split;
import io.ticketfoundry.worker.data.SyntheticIdx;
import io.ticketfoundry.worker.model.LeNet300100;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.Weights;
import io.ticketfoundry.worker.prune.LayerDensities;
import io.ticketfoundry.worker.prune.Mask;
import io.ticketfoundry.worker.train.MaskDynamics;
import io.ticketfoundry.worker.train.StepAccess;
import io.ticketfoundry.worker.train.TrainingCallback;
import io.ticketfoundry.worker.train.TrainingLoop;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RigL and SET inside the training loop on LeNet-300-100 masks at 90% sparsity (ERK), with the
 * mask updated after every second step: every tensor keeps its count exactly after every update,
 * and the weights grown are exactly zero after their update step, because their gradient is
 * zeroed and their optimizer state (momentum, Adam's moments, which pruned weights accumulate from
 * their dense gradients) is reset; without that reset they would move.
 */
class SparseMaskDynamicsTest {

    @TempDir
    static Path datasetRoot;

    private static final ModelDefinition LENET = new LeNet300100();
    private static final long SEED = 5;

    @BeforeAll
    static void generateData() throws Exception {
        SyntheticIdx.write(datasetRoot, DatasetInfo.MNIST, 192, 10, 9, false);
    }

    /** Records the mask before and after each update and the positions grown. */
    private static final class Recording implements MaskDynamics {
        final SparseMaskDynamics inner;
        final boolean skipReset;
        final Map<Long, Mask> before = new LinkedHashMap<>();
        final Map<Long, Mask> after = new LinkedHashMap<>();
        final List<Integer> resetCalls = new ArrayList<>();

        Recording(SparseMaskDynamics inner, boolean skipReset) {
            this.inner = inner;
            this.skipReset = skipReset;
        }

        @Override
        public Mask mask() {
            return inner.mask();
        }

        @Override
        public void beforeForward(long step, StepAccess access) {
            inner.beforeForward(step, access);
        }

        @Override
        public boolean afterBackward(long step, StepAccess access) {
            Mask was = inner.mask();
            StepAccess seen = new StepAccess() {
                @Override
                public NDManager manager() {
                    return access.manager();
                }

                @Override
                public NDArray parameter(String name) {
                    return access.parameter(name);
                }

                @Override
                public float[] values(String name) {
                    return access.values(name);
                }

                @Override
                public float[] gradient(String name) {
                    return access.gradient(name);
                }

                @Override
                public void multiplyGradient(String name, NDArray factor) {
                    access.multiplyGradient(name, factor);
                }

                @Override
                public void resetOptimizerState(String name, byte[] positions) {
                    int count = 0;
                    for (byte b : positions) {
                        count += b;
                    }
                    resetCalls.add(count);
                    if (!skipReset) {
                        access.resetOptimizerState(name, positions);
                    }
                }
            };
            boolean changed = inner.afterBackward(step, seen);
            if (changed) {
                before.put(step + 1, was);
                after.put(step + 1, inner.mask());
            }
            return changed;
        }
    }

    private static Map<Long, Weights> train(Recording dynamics, TrainingSpec training, InMemoryDataset data) {
        Map<Long, Weights> weights = new LinkedHashMap<>();
        Weights init = LENET.initialWeights(SEED);
        TrainingLoop.builder().setModel(LENET).setTraining(training).setData(data)
                .setInitialWeights(init).setSeed(SEED).optMaskDynamics(dynamics)
                .optCallback(new TrainingCallback() {
                    @Override
                    public void afterStep(long step, Supplier<Weights> current) {
                        if (dynamics.after.containsKey(step)) {
                            weights.put(step, current.get());
                        }
                    }
                }).build().run();
        return weights;
    }

    private static Recording dynamics(String method, boolean skipReset) {
        SparseTrainingSpec spec = new SparseTrainingSpec(method, 0.9, "erk", 2, 1.0, 0.3, "constant", null, null, null,
                null).withDefaults(2);
        Map<String, Long> kept = LayerDensities.keptCounts(LENET, List.of(), "erk", 0.9);
        Mask initial = randomMask(kept);
        return new Recording(new SparseMaskDynamics(LENET, spec, new SparseSchedule(spec, 12), initial,
                List.copyOf(kept.keySet()), SEED, 0), skipReset);
    }

    private static Mask randomMask(Map<String, Long> kept) {
        Map<String, byte[]> values = new LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(1);
        for (var p : LENET.prunableParameters()) {
            byte[] m = new byte[p.size()];
            long left = kept.get(p.name());
            for (int i = 0; i < m.length && left > 0; i++) {
                // sequential selection sampling: exactly `left` of the remaining positions
                if (random.nextInt(m.length - i) < left) {
                    m[i] = 1;
                    left--;
                }
            }
            values.put(p.name(), m);
        }
        return Mask.of(LENET, values);
    }

    @ParameterizedTest
    @CsvSource({"rigl, sgd", "set, sgd", "rigl, adam"})
    void everyUpdateKeepsEachCountAndGrownWeightsStartAtZero(String method, String optimizer) throws Exception {
        TrainingSpec training = optimizer.equals("sgd") ? new TrainingSpec("sgd", 0.05, 0.9, 1e-4, 32, 2)
                : new TrainingSpec("adam", 1e-3, 0.0, 0.0, 32, 2);
        Map<String, Long> kept = LayerDensities.keptCounts(LENET, List.of(), "erk", 0.9);
        try (NDManager manager = NDManager.newBaseManager();
                InMemoryDataset data = new DatasetLoader(datasetRoot).load(manager, "mnist", Split.TRAIN)) {
            Recording dynamics = dynamics(method, false);
            Map<Long, Weights> weights = train(dynamics, training, data);
            // 6 steps an epoch, 12 in all: updates after steps 2, 4, ..., 12
            assertThat(dynamics.after.keySet()).containsExactly(2L, 4L, 6L, 8L, 10L, 12L);
            assertThat(dynamics.inner.updates()).isEqualTo(6);
            long grownInAll = 0;
            for (long step : dynamics.after.keySet()) {
                Mask before = dynamics.before.get(step);
                Mask after = dynamics.after.get(step);
                assertThat(after).as("step %d changes the mask", step).isNotEqualTo(before);
                for (String name : kept.keySet()) {
                    assertThat(after.remaining(name)).as("%s after step %d", name, step).isEqualTo(kept.get(name));
                    float[] w = weights.get(step).values(name);
                    for (int i = 0; i < w.length; i++) {
                        if (after.kept(name, i) && !before.kept(name, i)) {
                            grownInAll++;
                            assertThat(w[i]).as("%s[%d] grown at step %d", name, i, step).isZero();
                        }
                        if (!after.kept(name, i)) {
                            assertThat(w[i]).isZero();
                        }
                    }
                }
            }
            assertThat(grownInAll).isEqualTo(dynamics.inner.newConnections()).isPositive();
            assertThat(dynamics.resetCalls.stream().mapToLong(Integer::longValue).sum()).isEqualTo(grownInAll);
        }
    }

    @ParameterizedTest
    @CsvSource({"rigl, sgd", "rigl, adam"})
    void withoutTheResetGrownWeightsWouldMove(String method, String optimizer) throws Exception {
        TrainingSpec training = optimizer.equals("sgd") ? new TrainingSpec("sgd", 0.05, 0.9, 0.0, 32, 2)
                : new TrainingSpec("adam", 1e-3, 0.0, 0.0, 32, 2);
        try (NDManager manager = NDManager.newBaseManager();
                InMemoryDataset data = new DatasetLoader(datasetRoot).load(manager, "mnist", Split.TRAIN)) {
            Recording dynamics = dynamics(method, true);
            Map<Long, Weights> weights = train(dynamics, training, data);
            long moved = 0;
            for (long step : dynamics.after.keySet()) {
                Mask before = dynamics.before.get(step);
                Mask after = dynamics.after.get(step);
                for (String name : List.of("fc1.weight", "fc2.weight")) {
                    float[] w = weights.get(step).values(name);
                    for (int i = 0; i < w.length; i++) {
                        if (after.kept(name, i) && !before.kept(name, i) && w[i] != 0f) {
                            moved++;
                        }
                    }
                }
            }
            assertThat(moved).isPositive();
        }
    }
}
