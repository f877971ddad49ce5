package io.ticketfoundry.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every model ends in a Linear layer with a bias, which temperature scaling is folded into. */
class OutputLayerTest {

    @Test
    void everyModelNamesItsOutputLayer() {
        ModelRegistry registry = ModelRegistry.standard();
        for (String name : registry.names()) {
            for (int classes : new int[] {10, 100}) {
                ModelDefinition model = registry.get(name, classes);
                ModelDefinition.OutputLayer output = model.outputLayer();
                assertThat(model.parameter(output.weight()).shape()).as(name).hasSize(2).startsWith(classes);
                assertThat(model.parameter(output.bias()).shape()).as(name).containsExactly(classes);
                assertThat(output.weight()).endsWith(".weight");
                assertThat(output.bias()).endsWith(".bias");
            }
        }
        assertThat(registry.get("lenet-300-100", 10).outputLayer())
                .isEqualTo(new ModelDefinition.OutputLayer("fc3.weight", "fc3.bias"));
        assertThat(registry.get("resnet-18-imagenet-stem", 10).outputLayer().weight()).isEqualTo("fc.weight");
    }
}
