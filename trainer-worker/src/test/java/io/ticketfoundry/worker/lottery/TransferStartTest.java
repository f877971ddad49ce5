package io.ticketfoundry.worker.lottery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ticketfoundry.common.spec.PruningSpec;
import io.ticketfoundry.worker.model.BufferSpec;
import io.ticketfoundry.worker.model.Initializers;
import io.ticketfoundry.worker.model.LeNet300100;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ModelRegistry;
import io.ticketfoundry.worker.model.Weights;
import io.ticketfoundry.worker.prune.MagnitudePruning;
import io.ticketfoundry.worker.prune.Mask;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start of a transferred ticket: mask and rewind weights carried over, the output layer re-initialised on a class change. */
class TransferStartTest {

    private static final ModelDefinition SOURCE = new LeNet300100(10);

    /** A level-3 layerwise ticket (fc3 at half the rate), so every layer, the output one included, is sparse. */
    private static Mask ticket(ModelDefinition model) {
        Weights trained = model.initialWeights(11);
        PruningSpec spec = new PruningSpec("layerwise", 0.2, 3, Map.of("fc3.weight", 0.1), List.of());
        Mask mask = Mask.allOnes(model);
        for (int level = 0; level < 3; level++) {
            mask = MagnitudePruning.prune(trained, mask, spec);
        }
        return mask;
    }

    @Test
    void sameClassCountKeepsEveryMaskEntryAndRewindValue() {
        Mask mask = ticket(SOURCE);
        Weights rewind = SOURCE.initialWeights(5);
        TransferStart start = TransferStart.of(mask, rewind, new LeNet300100(10), null, 3);

        assertThat(start.outputLayerReinitialized()).isFalse();
        assertThat(start.mask()).isEqualTo(mask);
        assertThat(start.mask().isDense("fc3.weight")).isFalse();
        assertThat(start.weights().bitEquals(rewind)).isTrue();
        assertThat(start.startWeights().bitEquals(Rewinding.resetTo(rewind, mask))).isTrue();
        // copies, not the source's arrays
        start.weights().values("fc1.weight")[0] += 1f;
        assertThat(rewind.values("fc1.weight")[0]).isEqualTo(SOURCE.initialWeights(5).values("fc1.weight")[0]);
    }

    @Test
    void aDifferentClassCountReinitialisesTheOutputLayerSeededAndKeepsItDense() {
        Mask mask = ticket(SOURCE);
        Weights rewind = SOURCE.initialWeights(5);
        ModelDefinition target = new LeNet300100(4);
        TransferStart start = TransferStart.of(mask, rewind, target, null, 3);

        assertThat(start.outputLayerReinitialized()).isTrue();
        assertThat(start.mask().model()).isSameAs(target);
        for (String name : List.of("fc1.weight", "fc2.weight")) {
            assertThat(start.mask().values(name)).as(name).isEqualTo(mask.values(name));
        }
        for (String name : List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")) {
            assertThat(start.weights().values(name)).as(name).isEqualTo(rewind.values(name));
        }
        assertThat(start.mask().total("fc3.weight")).isEqualTo(4 * 100);
        assertThat(start.mask().isDense("fc3.weight")).isTrue();
        float[] startFc1 = start.startWeights().values("fc1.weight");
        byte[] keptFc1 = mask.values("fc1.weight");
        for (int i = 0; i < startFc1.length; i++) {
            assertThat(startFc1[i]).isEqualTo(keptFc1[i] == 0 ? 0f : rewind.values("fc1.weight")[i]);
        }
        Weights fresh = Initializers.create(null, target, TransferStart.outputSeed(3));
        assertThat(start.weights().values("fc3.weight")).isEqualTo(fresh.values("fc3.weight"));
        assertThat(start.startWeights().values("fc3.weight")).isEqualTo(fresh.values("fc3.weight"));
        assertThat(start.weights().values("fc3.bias")).isEqualTo(fresh.values("fc3.bias")).hasSize(4);
        // the mask's survivors apart from the new output layer are exactly the source's
        assertThat(start.mask().remaining() - start.mask().remaining("fc3.weight"))
                .isEqualTo(mask.remaining() - mask.remaining("fc3.weight"));

        TransferStart again = TransferStart.of(mask, rewind, target, null, 3);
        assertThat(again.weights().bitEquals(start.weights())).isTrue();
        TransferStart otherSeed = TransferStart.of(mask, rewind, target, null, 4);
        assertThat(otherSeed.weights().values("fc3.weight")).isNotEqualTo(start.weights().values("fc3.weight"));
        assertThat(otherSeed.weights().values("fc1.weight")).isEqualTo(start.weights().values("fc1.weight"));
        TransferStart xavier = TransferStart.of(mask, rewind, target, "xavier-normal", 3);
        assertThat(xavier.weights().values("fc3.weight"))
                .isEqualTo(Initializers.create("xavier-normal", target, TransferStart.outputSeed(3)).values("fc3.weight"));
    }

    @Test
    void batchNormBuffersAreCarriedOver() {
        ModelRegistry registry = ModelRegistry.standard();
        ModelDefinition source = registry.get("resnet-20", 10);
        ModelDefinition target = registry.get("resnet-20", 100);
        Weights rewind = source.initialWeights(2);
        BufferSpec mean = source.buffers().stream().filter(b -> b.name().endsWith("running_mean")).findFirst().orElseThrow();
        rewind.values(mean.name())[0] = 0.25f;
        BufferSpec counter = source.buffers().stream().filter(b -> b.name().endsWith("num_batches_tracked"))
                .findFirst().orElseThrow();
        rewind.longValues(counter.name())[0] = 7;

        TransferStart start = TransferStart.of(Mask.allOnes(source), rewind, target, null, 1);

        assertThat(start.outputLayerReinitialized()).isTrue();
        assertThat(start.weights().values(mean.name())[0]).isEqualTo(0.25f);
        assertThat(start.weights().longValues(counter.name())[0]).isEqualTo(7);
        assertThat(start.weights().values(target.outputLayer().bias())).hasSize(100);
    }

    @Test
    void onlyTheSameArchitectureTransfers() {
        ModelRegistry registry = ModelRegistry.standard();
        ModelDefinition other = registry.get("lenet-5", 10);
        assertThatThrownBy(() -> TransferStart.of(ticket(SOURCE), SOURCE.initialWeights(1), other, null, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be transferred");
        assertThatThrownBy(() -> TransferStart.of(ticket(SOURCE), other.initialWeights(1), SOURCE, null, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rewind weights");
    }

    @Test
    void theRandomBaselineKeepsEveryLayersDensityAndTheStartWeights() {
        Mask mask = ticket(SOURCE);
        Weights rewind = SOURCE.initialWeights(5);
        TransferStart transferred = TransferStart.of(mask, rewind, new LeNet300100(4), null, 3);
        TransferStart random = transferred.randomBaseline(3, 3);

        for (String name : transferred.mask().names()) {
            assertThat(random.mask().remaining(name)).as(name).isEqualTo(transferred.mask().remaining(name));
        }
        assertThat(random.mask().values("fc1.weight")).isNotEqualTo(transferred.mask().values("fc1.weight"));
        assertThat(random.mask().isDense("fc3.weight")).isTrue();
        assertThat(random.weights().bitEquals(transferred.weights())).isTrue();
        assertThat(random.startWeights().bitEquals(Rewinding.resetTo(transferred.weights(), random.mask()))).isTrue();
        assertThat(random.outputLayerReinitialized()).isTrue();

        assertThat(transferred.randomBaseline(3, 3).mask()).isEqualTo(random.mask());
        assertThat(transferred.randomBaseline(4, 3).mask()).isNotEqualTo(random.mask());
        assertThat(transferred.randomBaseline(3, 2).mask()).isNotEqualTo(random.mask());

        TransferStart sameClasses = TransferStart.of(mask, rewind, new LeNet300100(10), null, 3).randomBaseline(3, 3);
        assertThat(sameClasses.mask().remaining("fc3.weight")).isEqualTo(mask.remaining("fc3.weight"));
        assertThat(sameClasses.mask().isDense("fc3.weight")).isFalse();
    }
}
