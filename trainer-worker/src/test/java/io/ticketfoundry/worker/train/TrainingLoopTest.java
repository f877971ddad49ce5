package io.ticketfoundry.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.ticketfoundry.common.protocol.MetricReport;
import io.ticketfoundry.common.spec.TrainingSpec;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.DatasetLoader;
import io.ticketfoundry.worker.data.InMemoryDataset;
import io.ticketfoundry.worker.data.Split;
import io.ticketfoundry.worker.data.SyntheticIdx;
import io.ticketfoundry.worker.evaluate.ModelEvaluator;
import io.ticketfoundry.worker.lottery.Rewinding;
import io.ticketfoundry.worker.model.LeNet300100;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ParameterSpec;
import io.ticketfoundry.worker.model.Weights;
import io.ticketfoundry.worker.prune.Mask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingLoopTest {

    @TempDir
    static Path root;

    private static NDManager manager;
    private static InMemoryDataset train;
    private static InMemoryDataset test;
    private static final ModelDefinition LENET = new LeNet300100();

    @BeforeAll
    static void generateData() throws Exception {
        SyntheticIdx.write(root, DatasetInfo.MNIST, 400, 200, 11, false);
        manager = NDManager.newBaseManager();
        DatasetLoader loader = new DatasetLoader(root);
        train = loader.load(manager, "mnist", Split.TRAIN);
        test = loader.load(manager, "mnist", Split.TEST);
    }

    @AfterAll
    static void close() {
        train.close();
        test.close();
        manager.close();
    }

    private static TrainingLoop.Builder loop(TrainingSpec spec, Weights init) {
        return TrainingLoop.builder().setModel(LENET).setTraining(spec).setData(train).setInitialWeights(init).setSeed(5);
    }

    private static Mask randomMask(double keep, long seed) {
        Random random = new Random(seed);
        Map<String, byte[]> values = new LinkedHashMap<>();
        for (ParameterSpec spec : LENET.prunableParameters()) {
            byte[] v = new byte[spec.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (byte) (random.nextDouble() < keep ? 1 : 0);
            }
            values.put(spec.name(), v);
        }
        return Mask.of(LENET, values);
    }

    @Test
    void trainingBeatsChanceClearly() {
        TrainingSpec spec = new TrainingSpec("sgd", 0.01, 0.9, 0.0, 32, 2);
        TrainingResult result = loop(spec, LENET.initialWeights(1)).build().run();

        List<MetricReport> metrics = new ModelEvaluator(128).evaluate(LENET, result.weights(), test, 15);
        double accuracy = metrics.get(0).value();
        assertThat(metrics.get(0).name()).isEqualTo("accuracy");
        assertThat(accuracy).isGreaterThan(0.9);
        assertThat(result.finalStep()).isEqualTo(2 * 13);
        assertThat(result.lastEpochMeanLoss()).isLessThan(Math.log(10));
    }

    @Test
    void maskedWeightsStayExactlyZeroThroughTrainingWithMomentumWeightDecayAndAdam() {
        Mask mask = randomMask(0.3, 2);
        for (TrainingSpec spec : List.of(new TrainingSpec("sgd", 0.05, 0.9, 1e-3, 32, 1),
                new TrainingSpec("adam", 1e-3, 0.0, 1e-3, 32, 1))) {
            List<Long> checkedSteps = new ArrayList<>();
            TrainingResult result = loop(spec, LENET.initialWeights(3)).optMask(mask)
                    .optCallback(new TrainingCallback() {
                        @Override
                        public void afterStep(long step, Supplier<Weights> weights) {
                            if (step % 5 == 0) {
                                assertMasked(weights.get(), mask, false);
                                checkedSteps.add(step);
                            }
                        }
                    })
                    .build().run();
            assertMasked(result.weights(), mask, true);
            assertThat(checkedSteps).contains(0L, 5L, 10L);
        }
    }

    private static void assertMasked(Weights weights, Mask mask, boolean requireSurvivorsChanged) {
        Weights init = LENET.initialWeights(3);
        for (ParameterSpec spec : LENET.prunableParameters()) {
            float[] w = weights.values(spec.name());
            float[] w0 = init.values(spec.name());
            byte[] kept = mask.values(spec.name());
            int changed = 0;
            for (int i = 0; i < w.length; i++) {
                if (kept[i] == 0) {
                    // exactly +0.0 or -0.0, nothing else
                    assertThat(w[i] == 0f).as("%s[%d] = %s", spec.name(), i, w[i]).isTrue();
                } else if (w[i] != w0[i]) {
                    changed++;
                }
            }
            if (requireSurvivorsChanged) {
                assertThat(changed).as(spec.name()).isGreaterThan(0);
            }
        }
    }

    @Test
    void sameSeedGivesBitIdenticalTraining() {
        TrainingSpec spec = new TrainingSpec("sgd", 0.05, 0.9, 1e-4, 32, 1);
        Mask mask = randomMask(0.5, 4);
        Weights a = loop(spec, LENET.initialWeights(8)).optMask(mask).build().run().weights();
        Weights b = loop(spec, LENET.initialWeights(8)).optMask(mask).build().run().weights();
        Weights otherOrder = loop(spec, LENET.initialWeights(8)).optMask(mask).setSeed(6).build().run().weights();
        for (ParameterSpec p : LENET.parameters()) {
            assertThat(Arrays.equals(a.values(p.name()), b.values(p.name()))).as(p.name()).isTrue();
        }
        assertThat(Arrays.equals(a.values("fc1.weight"), otherOrder.values("fc1.weight"))).isFalse();
    }

    @Test
    void lateStartBeginsFromTheRewoundWeightsBitForBit() {
        TrainingSpec spec = new TrainingSpec("sgd", 0.05, 0.0, 0.0, 32, 2);
        // weights at step 7 of a dense run act as the rewind point
        Weights[] atSeven = new Weights[1];
        loop(spec, LENET.initialWeights(2)).optCallback(new TrainingCallback() {
            @Override
            public void afterStep(long step, Supplier<Weights> weights) {
                if (step == 7) {
                    atSeven[0] = weights.get();
                }
            }
        }).build().run();
        Mask mask = randomMask(0.6, 9);
        Weights reset = Rewinding.resetTo(atSeven[0], mask);

        Weights[] firstSeen = new Weights[1];
        AtomicInteger steps = new AtomicInteger();
        TrainingResult result = loop(spec, reset).optMask(mask).optStartStep(7).optCallback(new TrainingCallback() {
            @Override
            public void afterStep(long step, Supplier<Weights> weights) {
                if (firstSeen[0] == null) {
                    assertThat(step).isEqualTo(7);
                    firstSeen[0] = weights.get();
                }
                steps.incrementAndGet();
            }
        }).build().run();

        for (ParameterSpec p : LENET.parameters()) {
            float[] seen = firstSeen[0].values(p.name());
            float[] rewind = atSeven[0].values(p.name());
            for (int i = 0; i < seen.length; i++) {
                boolean kept = !p.prunable() || mask.kept(p.name(), i);
                float expected = kept ? rewind[i] : 0f;
                if (Float.floatToIntBits(seen[i]) != Float.floatToIntBits(expected)) {
                    throw new AssertionError(p.name() + "[" + i + "] = " + seen[i] + ", expected " + expected);
                }
            }
        }
        assertThat(result.finalStep()).isEqualTo(26);
        assertThat(steps.get()).isEqualTo(1 + 26 - 7);
    }

    @Test
    void cancellationStopsWithASpecificException() {
        AtomicInteger polls = new AtomicInteger();
        TrainingLoop run = loop(new TrainingSpec("sgd", 0.05, 0.0, 0.0, 32, 3), LENET.initialWeights(1))
                .optCancellation(() -> polls.incrementAndGet() > 2, 4).build();
        assertThatThrownBy(run::run).isInstanceOf(TrainingCancelledException.class)
                .satisfies(e -> assertThat(((TrainingCancelledException) e).step()).isEqualTo(8));
    }

    @Test
    void progressReportsEpochsAndRunningLoss() {
        List<String> seen = new ArrayList<>();
        loop(new TrainingSpec("adam", 1e-3, 0.0, 0.0, 64, 2), LENET.initialWeights(1)).optProgressInterval(5)
                .optCallback(new TrainingCallback() {
                    @Override
                    public void progress(int epoch, long step, double meanLoss) {
                        assertThat(meanLoss).isFinite().isPositive();
                        seen.add(epoch + "@" + step);
                    }
                }).build().run();
        // 7 steps per epoch: every 5th step plus every epoch end
        assertThat(seen).containsExactly("1@5", "1@7", "2@10", "2@14");
    }
}
