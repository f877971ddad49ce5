package io.ticketfoundry.worker.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.ticketfoundry.common.spec.PruningSpec;
import io.ticketfoundry.worker.data.DatasetInfo;
import io.ticketfoundry.worker.data.DatasetLoader;
import io.ticketfoundry.worker.data.InMemoryDataset;
import io.ticketfoundry.worker.data.Split;
import io.ticketfoundry.worker.data.SyntheticIdx;
import io.ticketfoundry.worker.model.LeNet300100;
import io.ticketfoundry.worker.model.LeNet5;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ParameterSpec;
import io.ticketfoundry.worker.model.ResNet20;
import io.ticketfoundry.worker.model.Weights;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OneShotPruningTest {

    @TempDir
    static Path root;

    private static NDManager manager;
    private static InMemoryDataset train;
    private static ScoringData data;
    private static final ModelDefinition LENET = new LeNet300100();
    private static final ModelDefinition LENET5 = new LeNet5(10);

    @BeforeAll
    static void generateData() throws Exception {
        SyntheticIdx.write(root, DatasetInfo.MNIST, 300, 10, 11, false);
        manager = NDManager.newBaseManager();
        train = new DatasetLoader(root).load(manager, "mnist", Split.TRAIN);
        data = ScoringData.of(train);
    }

    @AfterAll
    static void close() {
        train.close();
        manager.close();
    }

    private static OneShotRequest.Builder request(ModelDefinition model, Weights weights, String method, double sparsity) {
        OneShotRequest.Builder builder = OneShotRequest.builder(model, weights, method, sparsity).seed(4);
        return PruningMethods.get(method) instanceof PruningMethod.DataDriven ? builder.scoringData(data) : builder;
    }

    @Test
    void everyMethodScopeAndDistributionKeepsExactlyTheBudget() {
        for (ModelDefinition model : List.of(LENET, LENET5)) {
            Weights weights = model.initialWeights(3);
            List<String> ignore = model == LENET5 ? List.of("fc3.weight") : List.of();
            long total = model.prunableParameters().stream().filter(p -> !ignore.contains(p.name()))
                    .mapToLong(ParameterSpec::size).sum();
            for (String method : PruningMethods.names()) {
                for (String distribution : new String[] {null, LayerDensities.UNIFORM, LayerDensities.ERK}) {
                    String label = model.name() + " " + method + " " + (distribution == null ? "global" : distribution);
                    OneShotRequest.Builder builder = request(model, weights, method, 0.9).ignore(ignore);
                    if (distribution != null) {
                        builder.scope(OneShotRequest.LAYERWISE).distribution(distribution);
                    }
                    OneShotResult result = OneShotPruning.prune(builder.build());

                    Mask mask = result.mask();
                    long kept = mask.remaining() - ignore.stream().mapToLong(mask::remaining).sum();
                    assertThat(kept).as(label).isEqualTo((long) Math.floor(0.1 * total)).isEqualTo(
                            MagnitudePruning.targetRemaining(total, 0.9));
                    if (distribution != null) {
                        LayerDensities.keptCounts(model, ignore, distribution, 0.9).forEach((name, count) ->
                                assertThat(mask.remaining(name)).as(label + " " + name).isEqualTo(count));
                    }
                    for (String name : ignore) {
                        assertThat(mask.isDense(name)).as(label + " " + name).isTrue();
                    }
                    assertThat(result.record()).as(label).containsEntry("method", method).containsEntry("kept", kept);
                }
            }
        }
    }

    @Test
    void batchNormAndResidualModelsScoreToo() {
        ModelDefinition resnet = new ResNet20(10);
        try (NDManager arrays = NDManager.newBaseManager()) {
            long[] labels = new long[20];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = i % 10;
            }
            InMemoryDataset cifarLike = InMemoryDataset.ofArrays("random", Split.TRAIN, arrays,
                    arrays.randomNormal(new ai.djl.ndarray.types.Shape(20, 3, 32, 32)), arrays.create(labels), 10);
            Weights weights = resnet.initialWeights(1);
            long total = resnet.prunableParameters().stream().mapToLong(ParameterSpec::size).sum();
            for (String method : PruningMethods.names()) {
                OneShotRequest.Builder builder = OneShotRequest.builder(resnet, weights, method, 0.9)
                        .scope(OneShotRequest.LAYERWISE).distribution(LayerDensities.ERK);
                if (PruningMethods.get(method) instanceof PruningMethod.DataDriven) {
                    builder.scoringData(ScoringData.of(cifarLike)).samplesPerClass(1);
                } else if (method.equals(PruningMethods.SYNFLOW)) {
                    builder.rounds(3);
                }
                Mask mask = OneShotPruning.prune(builder.build()).mask();
                assertThat(mask.remaining()).as(method).isEqualTo(MagnitudePruning.targetRemaining(total, 0.9));
            }
        }
    }

    @Test
    void ignoredTensorsKeepTheCurrentMaskAndPrunedWeightsStayPruned() {
        Random random = new Random(8);
        Map<String, byte[]> values = new LinkedHashMap<>();
        for (ParameterSpec p : LENET.prunableParameters()) {
            byte[] v = new byte[p.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (byte) (random.nextDouble() < 0.7 ? 1 : 0);
            }
            values.put(p.name(), v);
        }
        Mask current = Mask.of(LENET, values);
        for (String method : PruningMethods.names()) {
            OneShotResult result = OneShotPruning.prune(request(LENET, LENET.initialWeights(1), method, 0.8)
                    .mask(current).ignore(List.of("fc3.weight")).rounds(3).build());
            Mask mask = result.mask();
            assertThat(mask.values("fc3.weight")).as(method).isEqualTo(current.values("fc3.weight"));
            assertThat(mask.remaining("fc1.weight") + mask.remaining("fc2.weight")).as(method)
                    .isEqualTo(MagnitudePruning.targetRemaining(235_200 + 30_000, 0.8));
            for (String name : List.of("fc1.weight", "fc2.weight")) {
                byte[] before = current.values(name);
                byte[] after = mask.values(name);
                for (int i = 0; i < before.length; i++) {
                    if (before[i] == 0) {
                        assertThat(after[i]).as(method + " " + name + " " + i).isZero();
                    }
                }
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameMask() {
        Weights weights = LENET.initialWeights(2);
        for (String method : PruningMethods.names()) {
            Mask first = OneShotPruning.prune(request(LENET, weights, method, 0.95).rounds(2).build()).mask();
            Mask second = OneShotPruning.prune(request(LENET, weights, method, 0.95).rounds(2).build()).mask();
            assertThat(second).as(method).isEqualTo(first);
        }
        Mask seed4 = OneShotPruning.prune(request(LENET, weights, PruningMethods.RANDOM, 0.5).build()).mask();
        Mask seed5 = OneShotPruning.prune(request(LENET, weights, PruningMethods.RANDOM, 0.5).seed(5).build()).mask();
        assertThat(seed5).isNotEqualTo(seed4);
        assertThat(seed5.remaining()).isEqualTo(seed4.remaining());
    }

    @Test
    void globalMagnitudeIsMagnitudePruningsRanking() {
        Weights weights = LENET.initialWeights(6);
        List<String> ignore = List.of("fc3.weight");
        Mask ours = OneShotPruning.prune(request(LENET, weights, PruningMethods.MAGNITUDE, 0.83).ignore(ignore).build())
                .mask();
        long target = MagnitudePruning.targetRemaining(265_200, 0.83) + 1_000; // pruneToRemaining counts fc3 too
        Mask theirs = MagnitudePruning.pruneToRemaining(weights, Mask.allOnes(LENET),
                new PruningSpec(PruningSpec.GLOBAL, 0.2, 1, Map.of(), ignore), target);
        assertThat(ours).isEqualTo(theirs);
    }

    @Test
    void synflowNeverReadsTheScoringData() {
        OneShotResult result = OneShotPruning.prune(OneShotRequest.builder(LENET5, LENET5.initialWeights(1),
                PruningMethods.SYNFLOW, 0.9).scoringData(TinyNets.untouchable()).rounds(5).build());
        assertThat(result.record()).containsEntry("data", "none").containsEntry("rounds", 5)
                .containsEntry("batchNorm", "eval").containsEntry("schedule", "exponential");
        // a data-driven method does read the same source
        assertThatThrownBy(() -> OneShotPruning.prune(OneShotRequest.builder(LENET5, LENET5.initialWeights(1),
                PruningMethods.SNIP, 0.9).scoringData(TinyNets.untouchable()).build()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("scoring data was read");
        assertThat(OneShotPruning.prune(OneShotRequest.builder(LENET5, LENET5.initialWeights(1), PruningMethods.SYNFLOW,
                0.9).rounds(5).build()).mask()).isEqualTo(result.mask());
    }

    @Test
    void theRecordSaysWhatRan() {
        OneShotResult grasp = OneShotPruning.prune(request(LENET, LENET.initialWeights(1), PruningMethods.GRASP, 0.9)
                .scope(OneShotRequest.LAYERWISE).distribution(LayerDensities.ERK).samplesPerClass(3).build());
        assertThat(grasp.record()).containsEntry("method", "grasp").containsEntry("scope", "layerwise")
                .containsEntry("distribution", "erk").containsEntry("removes", "highest")
                .containsEntry("samplesPerClass", 3).containsEntry("scoringSamples", 30)
                .containsEntry("scoringSamplesPerClass", List.of(3, 3, 3, 3, 3, 3, 3, 3, 3, 3))
                .containsEntry("scoringData", "mnist train").containsEntry("temperature", 200.0)
                .containsEntry("batchNorm", "train").containsEntry("hvp", "central-difference")
                .containsEntry("rounds", 1).containsEntry("schedule", "one-shot").containsEntry("precision", "float64")
                .containsKeys("hvpStep", "hvpOneSidedEntries", "keptPerTensor", "score", "ties");
        OneShotResult synflow = OneShotPruning.prune(request(LENET, LENET.initialWeights(1), PruningMethods.SYNFLOW, 0.9)
                .build());
        assertThat(synflow.record()).containsEntry("removes", "lowest").containsEntry("rounds", 100)
                .doesNotContainKeys("distribution", "samplesPerClass", "temperature");
        OneShotResult snip = OneShotPruning.prune(request(LENET, LENET.initialWeights(1), PruningMethods.SNIP, 0.9).build());
        assertThat(snip.record()).containsEntry("samplesPerClass", 10).containsEntry("scoringSamples", 100)
                .containsEntry("batchNorm", "eval").doesNotContainKey("temperature");
    }

    @Test
    void roundsFollowTheExponentialSchedule() {
        // 1000 weights to 10% in 4 rounds: 1000 × 0.1^(k/4)
        assertThat(OneShotPruning.keptAfterRound(1000, 0.1, 100, 1, 4)).isEqualTo(562);
        assertThat(OneShotPruning.keptAfterRound(1000, 0.1, 100, 2, 4)).isEqualTo(316);
        assertThat(OneShotPruning.keptAfterRound(1000, 0.1, 100, 3, 4)).isEqualTo(177);
        assertThat(OneShotPruning.keptAfterRound(1000, 0.1, 100, 4, 4)).isEqualTo(100);
        assertThat(OneShotPruning.keptAfterRound(1000, 0.1, 100, 1, 1)).isEqualTo(100);
    }

    @Test
    void requestsAreCheckedAgainstTheMethod() {
        Weights weights = LENET.initialWeights(1);
        assertThatThrownBy(() -> request(LENET, weights, PruningMethods.SNIP, 0.5).temperature(10).build())
                .hasMessageContaining("temperature is not used by method snip");
        assertThatThrownBy(() -> request(LENET, weights, PruningMethods.SYNFLOW, 0.5).samplesPerClass(5).build())
                .hasMessageContaining("samplesPerClass is not used by method synflow");
        assertThatThrownBy(() -> request(LENET, weights, PruningMethods.SYNFLOW, 0.5).batchNorm("train").build())
                .hasMessageContaining("eval mode only");
        assertThatThrownBy(() -> request(LENET, weights, PruningMethods.MAGNITUDE, 0.5).distribution("erk").build())
                .hasMessageContaining("only used with scope layerwise");
        assertThatThrownBy(() -> request(LENET, weights, "obd", 0.5).build()).hasMessageContaining("unknown pruning method");
        assertThatThrownBy(() -> OneShotRequest.builder(LENET, weights, PruningMethods.GRASP, 0.5).build())
                .hasMessageContaining("grasp needs scoring data");
        assertThatThrownBy(() -> request(LENET, weights, PruningMethods.RANDOM, 1.0).build())
                .hasMessageContaining("targetSparsity");
        Mask sparse = OneShotPruning.prune(request(LENET, weights, PruningMethods.RANDOM, 0.9).build()).mask();
        assertThatThrownBy(() -> OneShotPruning.prune(request(LENET, weights, PruningMethods.RANDOM, 0.5).mask(sparse)
                .build())).hasMessageContaining("fewer than");
    }
}
