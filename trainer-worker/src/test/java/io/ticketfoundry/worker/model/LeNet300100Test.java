package io.ticketfoundry.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ticketfoundry.common.safetensors.DType;
import io.ticketfoundry.common.safetensors.SafeTensors;
import io.ticketfoundry.common.safetensors.SafeTensorsReader;
import io.ticketfoundry.worker.io.CheckpointFiles;
import io.ticketfoundry.worker.prune.MagnitudePruning;
import io.ticketfoundry.worker.prune.Mask;
import io.ticketfoundry.common.spec.PruningSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeNet300100Test {

    @TempDir
    Path dir;

    private final ModelDefinition lenet = ModelRegistry.standard().get("lenet-300-100");

    @Test
    void parametersAreNamedAndShapedAsThePyTorchReference() {
        assertThat(lenet.parameters()).extracting(ParameterSpec::name)
                .containsExactly("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias");
        assertThat(lenet.parameter("fc1.weight").shape()).containsExactly(300, 784);
        assertThat(lenet.parameter("fc2.weight").shape()).containsExactly(100, 300);
        assertThat(lenet.parameter("fc3.weight").shape()).containsExactly(10, 100);
        assertThat(lenet.parameter("fc3.bias").shape()).containsExactly(10);
        assertThat(lenet.prunableParameters()).extracting(ParameterSpec::name)
                .containsExactly("fc1.weight", "fc2.weight", "fc3.weight");
        assertThat(lenet.totalParameterCount()).isEqualTo(266_610);
        assertThatThrownBy(() -> ModelRegistry.standard().get("resnet-1000")).hasMessageContaining("lenet-300-100");
    }

    @Test
    void sameSeedGivesBitIdenticalInitAndOtherSeedsDiffer() {
        Weights a = lenet.initialWeights(42);
        Weights b = lenet.initialWeights(42);
        Weights c = lenet.initialWeights(43);
        for (ParameterSpec spec : lenet.parameters()) {
            assertThat(Arrays.equals(a.values(spec.name()), b.values(spec.name()))).isTrue();
            assertThat(Arrays.equals(a.values(spec.name()), c.values(spec.name()))).isFalse();
        }
    }

    @Test
    void initIsKaimingNormalForWeightsAndPyTorchUniformForBiases() {
        Weights w = lenet.initialWeights(1);
        float[] fc1 = w.values("fc1.weight");
        double mean = 0;
        double sq = 0;
        for (float v : fc1) {
            mean += v;
            sq += (double) v * v;
        }
        mean /= fc1.length;
        double std = Math.sqrt(sq / fc1.length - mean * mean);
        assertThat(mean).isCloseTo(0, within(0.001));
        assertThat(std).isCloseTo(Math.sqrt(2.0 / 784), within(0.0005));
        double bound = 1 / Math.sqrt(300);
        for (float v : w.values("fc2.bias")) {
            assertThat((double) Math.abs(v)).isLessThanOrEqualTo(bound);
        }
    }

    @Test
    void checkpointsAndMasksRoundTripThroughSafetensorsWithReferenceNames() throws Exception {
        Weights init = lenet.initialWeights(9);
        Path weightsFile = dir.resolve("w.safetensors");
        CheckpointFiles.writeWeights(init, weightsFile, Map.of("kind", "init"));

        SafeTensors raw = SafeTensorsReader.read(weightsFile);
        assertThat(raw.names()).containsExactlyInAnyOrder("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias",
                "fc3.weight", "fc3.bias");
        assertThat(raw.get("fc1.weight").dtype()).isEqualTo(DType.F32);
        assertThat(raw.get("fc1.weight").shape()).containsExactly(300, 784);
        assertThat(raw.metadata()).containsEntry("format", "pt").containsEntry("kind", "init");
        Weights back = CheckpointFiles.readWeights(weightsFile, lenet);
        for (ParameterSpec spec : lenet.parameters()) {
            assertThat(Arrays.equals(back.values(spec.name()), init.values(spec.name()))).isTrue();
        }

        Mask mask = MagnitudePruning.prune(init, Mask.allOnes(lenet), PruningSpec.defaults());
        Path maskFile = dir.resolve("m.safetensors");
        CheckpointFiles.writeMask(mask, maskFile, Map.of());
        SafeTensors rawMask = SafeTensorsReader.read(maskFile);
        assertThat(rawMask.names()).containsExactlyInAnyOrder("fc1.weight", "fc2.weight", "fc3.weight");
        assertThat(rawMask.get("fc2.weight").dtype()).isEqualTo(DType.U8);
        assertThat(CheckpointFiles.readMask(maskFile, lenet)).isEqualTo(mask);
        assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("w.safetensors", "m.safetensors");
    }

    @Test
    void loadingACheckpointOfAnotherShapeFailsClearly() throws Exception {
        Path maskFile = dir.resolve("m.safetensors");
        CheckpointFiles.writeMask(Mask.allOnes(io.ticketfoundry.worker.TestModels.tiny()), maskFile, Map.of());
        assertThatThrownBy(() -> CheckpointFiles.readMask(maskFile, lenet))
                .hasMessageContaining("missing [fc1.weight, fc2.weight, fc3.weight]");
    }
}
