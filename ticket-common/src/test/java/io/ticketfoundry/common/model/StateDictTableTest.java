package io.ticketfoundry.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ticketfoundry.common.safetensors.DType;
import org.junit.jupiter.api.Test;

class StateDictTableTest {

    @Test
    void lenet300100IsThreeLinearLayersInStateDictOrder() {
        StateDictTable table = StateDictTable.of("lenet-300-100", 10);
        assertThat(table.entries()).extracting(StateDictTable.Entry::name)
                .containsExactly("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias");
        assertThat(table.entry("fc1.weight").orElseThrow().shape()).containsExactly(300, 784);
        assertThat(table.entries().stream().mapToLong(StateDictTable.Entry::elementCount).sum()).isEqualTo(266_610);
        assertThat(table.prunable()).extracting(StateDictTable.Entry::name)
                .containsExactly("fc1.weight", "fc2.weight", "fc3.weight");
    }

    @Test
    void outputLayerFollowsTheClassCount() {
        StateDictTable table = StateDictTable.of("resnet-20", 100);
        assertThat(table.outputWeight().name()).isEqualTo("fc.weight");
        assertThat(table.outputWeight().shape()).containsExactly(100, 64);
        assertThat(table.entry("fc.bias").orElseThrow().shape()).containsExactly(100);
    }

    @Test
    void batchNormListsItsBuffersWithTheirDtypes() {
        StateDictTable table = StateDictTable.of("resnet-18", 10);
        assertThat(table.entry("bn1.num_batches_tracked").orElseThrow().dtype()).isEqualTo(DType.I64);
        assertThat(table.entry("bn1.num_batches_tracked").orElseThrow().shape()).isEmpty();
        assertThat(table.entry("bn1.running_var").orElseThrow().initialValue()).isEqualTo(1.0);
        assertThat(table.entry("layer2.0.downsample.0.weight").orElseThrow().shape()).containsExactly(128, 64, 1, 1);
        // the CIFAR ResNet-18 as usually quoted: 11,173,962 trainable parameters
        assertThat(table.entries().stream().filter(StateDictTable.Entry::parameter)
                .mapToLong(StateDictTable.Entry::elementCount).sum()).isEqualTo(11_173_962);
    }

    @Test
    void vggCountsPoolsInItsModulePaths() {
        StateDictTable table = StateDictTable.of("vgg-11", 10);
        assertThat(table.prunable()).extracting(StateDictTable.Entry::name).containsExactly("layers.0.conv.weight",
                "layers.2.conv.weight", "layers.4.conv.weight", "layers.5.conv.weight", "layers.7.conv.weight",
                "layers.8.conv.weight", "layers.10.conv.weight", "layers.11.conv.weight", "fc.weight");
    }

    @Test
    void unknownModelsAndClassCountsAreRefused() {
        assertThatThrownBy(() -> StateDictTable.of("resnet-1000", 10)).hasMessageContaining("unknown model");
        assertThatThrownBy(() -> StateDictTable.of("lenet-5", 0)).hasMessageContaining("numClasses");
    }
}
