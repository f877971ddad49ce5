package io.ticketfoundry.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.common.safetensors.DType;
import io.ticketfoundry.common.spec.ModelCatalog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every model's state_dict (name, shape, dtype, in order) against a listing written by hand from
 * its PyTorch reference definition in docs/models.md (torchvision's for ResNet-18). A line
 * {@code bn NAME C} stands for the five entries of {@code nn.BatchNorm2d(C)}: weight, bias,
 * running_mean, running_var (F32 [C]) and num_batches_tracked (I64 []).
 */
class StateDictListingTest {

    private static final ModelRegistry MODELS = ModelRegistry.standard();

    /** "name shape dtype" for every state_dict entry of {@code model}, in order. */
    static List<String> listing(ModelDefinition model) {
        Map<String, String> byName = new LinkedHashMap<>();
        model.parameters().forEach(p -> byName.put(p.name(), Arrays.toString(p.shape()) + " F32"));
        model.buffers().forEach(b -> byName.put(b.name(), Arrays.toString(b.shape()) + " " + b.dtype()));
        List<String> out = new ArrayList<>();
        for (String name : model.stateDictOrder()) {
            out.add(name + " " + byName.get(name));
        }
        assertThat(out).hasSize(byName.size());
        return out;
    }

    static List<String> expected(String text) {
        List<String> out = new ArrayList<>();
        for (String raw : text.strip().split("\n")) {
            String[] f = raw.strip().split("\\s+");
            if (f[0].equals("bn")) {
                String c = "[" + f[2] + "]";
                out.add(f[1] + ".weight " + c + " F32");
                out.add(f[1] + ".bias " + c + " F32");
                out.add(f[1] + ".running_mean " + c + " F32");
                out.add(f[1] + ".running_var " + c + " F32");
                out.add(f[1] + ".num_batches_tracked [] I64");
            } else {
                out.add(f[0] + " [" + f[1].replace(",", ", ") + "] F32");
            }
        }
        return out;
    }

    @Test
    void lenet300100() {
        assertThat(listing(MODELS.get("lenet-300-100"))).containsExactlyElementsOf(expected("""
                fc1.weight 300,784
                fc1.bias 300
                fc2.weight 100,300
                fc2.bias 100
                fc3.weight 10,100
                fc3.bias 10
                """));
        assertThat(MODELS.get("lenet-300-100").totalParameterCount()).isEqualTo(266_610);
    }

    @Test
    void lenet5() {
        assertThat(listing(MODELS.get("lenet-5"))).containsExactlyElementsOf(expected("""
                conv1.weight 6,1,5,5
                conv1.bias 6
                conv2.weight 16,6,5,5
                conv2.bias 16
                fc1.weight 120,400
                fc1.bias 120
                fc2.weight 84,120
                fc2.bias 84
                fc3.weight 10,84
                fc3.bias 10
                """));
        assertThat(MODELS.get("lenet-5").totalParameterCount()).isEqualTo(61_706);
    }

    @Test
    void convNets() {
        assertThat(listing(MODELS.get("conv-2"))).containsExactlyElementsOf(expected("""
                conv1.weight 64,3,3,3
                conv1.bias 64
                conv2.weight 64,64,3,3
                conv2.bias 64
                fc1.weight 256,16384
                fc1.bias 256
                fc2.weight 256,256
                fc2.bias 256
                fc3.weight 10,256
                fc3.bias 10
                """));
        assertThat(listing(MODELS.get("conv-4"))).containsExactlyElementsOf(expected("""
                conv1.weight 64,3,3,3
                conv1.bias 64
                conv2.weight 64,64,3,3
                conv2.bias 64
                conv3.weight 128,64,3,3
                conv3.bias 128
                conv4.weight 128,128,3,3
                conv4.bias 128
                fc1.weight 256,8192
                fc1.bias 256
                fc2.weight 256,256
                fc2.bias 256
                fc3.weight 10,256
                fc3.bias 10
                """));
        assertThat(listing(MODELS.get("conv-6"))).containsExactlyElementsOf(expected("""
                conv1.weight 64,3,3,3
                conv1.bias 64
                conv2.weight 64,64,3,3
                conv2.bias 64
                conv3.weight 128,64,3,3
                conv3.bias 128
                conv4.weight 128,128,3,3
                conv4.bias 128
                conv5.weight 256,128,3,3
                conv5.bias 256
                conv6.weight 256,256,3,3
                conv6.bias 256
                fc1.weight 256,4096
                fc1.bias 256
                fc2.weight 256,256
                fc2.bias 256
                fc3.weight 10,256
                fc3.bias 10
                """));
        assertThat(MODELS.get("conv-2").totalParameterCount()).isEqualTo(4_301_642);
        assertThat(MODELS.get("conv-4").totalParameterCount()).isEqualTo(2_425_930);
        assertThat(MODELS.get("conv-6").totalParameterCount()).isEqualTo(2_262_602);
    }

    @Test
    void vgg11() {
        assertThat(listing(MODELS.get("vgg-11"))).containsExactlyElementsOf(expected("""
                layers.0.conv.weight 64,3,3,3
                layers.0.conv.bias 64
                bn layers.0.bn 64
                layers.2.conv.weight 128,64,3,3
                layers.2.conv.bias 128
                bn layers.2.bn 128
                layers.4.conv.weight 256,128,3,3
                layers.4.conv.bias 256
                bn layers.4.bn 256
                layers.5.conv.weight 256,256,3,3
                layers.5.conv.bias 256
                bn layers.5.bn 256
                layers.7.conv.weight 512,256,3,3
                layers.7.conv.bias 512
                bn layers.7.bn 512
                layers.8.conv.weight 512,512,3,3
                layers.8.conv.bias 512
                bn layers.8.bn 512
                layers.10.conv.weight 512,512,3,3
                layers.10.conv.bias 512
                bn layers.10.bn 512
                layers.11.conv.weight 512,512,3,3
                layers.11.conv.bias 512
                bn layers.11.bn 512
                fc.weight 10,512
                fc.bias 10
                """));
        assertThat(MODELS.get("vgg-11").totalParameterCount()).isEqualTo(9_231_114);
    }

    @Test
    void vgg16And19ConvModulesSitAtTheirSequentialIndices() {
        ModelDefinition vgg16 = MODELS.get("vgg-16");
        assertThat(vgg16.prunableParameters()).extracting(ParameterSpec::name).containsExactly(
                "layers.0.conv.weight", "layers.1.conv.weight", "layers.3.conv.weight", "layers.4.conv.weight",
                "layers.6.conv.weight", "layers.7.conv.weight", "layers.8.conv.weight", "layers.10.conv.weight",
                "layers.11.conv.weight", "layers.12.conv.weight", "layers.14.conv.weight", "layers.15.conv.weight",
                "layers.16.conv.weight", "fc.weight");
        assertThat(listing(vgg16)).hasSize(13 * 7 + 2).contains(
                "layers.16.conv.weight [512, 512, 3, 3] F32", "layers.16.bn.num_batches_tracked [] I64",
                "layers.6.conv.weight [256, 128, 3, 3] F32");
        assertThat(vgg16.totalParameterCount()).isEqualTo(14_728_266);
        ModelDefinition vgg19 = MODELS.get("vgg-19");
        assertThat(vgg19.prunableParameters()).hasSize(17);
        assertThat(listing(vgg19)).hasSize(16 * 7 + 2).contains("layers.9.conv.weight [256, 256, 3, 3] F32",
                "layers.19.bn.running_var [512] F32", "fc.weight [10, 512] F32");
        assertThat(vgg19.totalParameterCount()).isEqualTo(20_040_522);
    }

    @Test
    void resnet20() {
        StringBuilder text = new StringBuilder("""
                conv.weight 16,3,3,3
                bn bn 16
                """);
        // written out block by block from open_lth's cifar_resnet (plan [(16, 3), (32, 3), (64, 3)])
        String[] blocks = {
            "blocks.0.conv1.weight 16,16,3,3 | bn blocks.0.bn1 16 | blocks.0.conv2.weight 16,16,3,3 | bn blocks.0.bn2 16",
            "blocks.1.conv1.weight 16,16,3,3 | bn blocks.1.bn1 16 | blocks.1.conv2.weight 16,16,3,3 | bn blocks.1.bn2 16",
            "blocks.2.conv1.weight 16,16,3,3 | bn blocks.2.bn1 16 | blocks.2.conv2.weight 16,16,3,3 | bn blocks.2.bn2 16",
            "blocks.3.conv1.weight 32,16,3,3 | bn blocks.3.bn1 32 | blocks.3.conv2.weight 32,32,3,3 | bn blocks.3.bn2 32"
                    + " | blocks.3.shortcut.0.weight 32,16,1,1 | bn blocks.3.shortcut.1 32",
            "blocks.4.conv1.weight 32,32,3,3 | bn blocks.4.bn1 32 | blocks.4.conv2.weight 32,32,3,3 | bn blocks.4.bn2 32",
            "blocks.5.conv1.weight 32,32,3,3 | bn blocks.5.bn1 32 | blocks.5.conv2.weight 32,32,3,3 | bn blocks.5.bn2 32",
            "blocks.6.conv1.weight 64,32,3,3 | bn blocks.6.bn1 64 | blocks.6.conv2.weight 64,64,3,3 | bn blocks.6.bn2 64"
                    + " | blocks.6.shortcut.0.weight 64,32,1,1 | bn blocks.6.shortcut.1 64",
            "blocks.7.conv1.weight 64,64,3,3 | bn blocks.7.bn1 64 | blocks.7.conv2.weight 64,64,3,3 | bn blocks.7.bn2 64",
            "blocks.8.conv1.weight 64,64,3,3 | bn blocks.8.bn1 64 | blocks.8.conv2.weight 64,64,3,3 | bn blocks.8.bn2 64",
        };
        for (String block : blocks) {
            text.append(block.replace(" | ", "\n")).append('\n');
        }
        text.append("fc.weight 10,64\nfc.bias 10\n");
        ModelDefinition model = MODELS.get("resnet-20");
        assertThat(listing(model)).containsExactlyElementsOf(expected(text.toString()));
        // 432 + 32 (stem) + 14,016 + 51,648 + 205,696 (stages) + 650 (fc)
        assertThat(model.totalParameterCount()).isEqualTo(272_474);
        assertThat(model.prunableParameters()).hasSize(22);
        assertThat(model.buffers()).hasSize(21 * 3);
    }

    @Test
    void resnet18KeysAreTorchvisions() {
        ModelDefinition imagenet = MODELS.get("resnet-18-imagenet-stem", 1000);
        List<String> listing = listing(imagenet);
        // torchvision.models.resnet18().state_dict(): the first entries in order, then a sample
        assertThat(listing.subList(0, 18)).containsExactlyElementsOf(expected("""
                conv1.weight 64,3,7,7
                bn bn1 64
                layer1.0.conv1.weight 64,64,3,3
                bn layer1.0.bn1 64
                layer1.0.conv2.weight 64,64,3,3
                bn layer1.0.bn2 64
                """));
        assertThat(listing).contains(
                "layer1.1.conv2.weight [64, 64, 3, 3] F32",
                "layer2.0.conv1.weight [128, 64, 3, 3] F32",
                "layer2.0.bn1.running_mean [128] F32",
                "layer2.0.conv2.weight [128, 128, 3, 3] F32",
                "layer2.0.downsample.0.weight [128, 64, 1, 1] F32",
                "layer2.0.downsample.1.weight [128] F32",
                "layer2.0.downsample.1.bias [128] F32",
                "layer2.0.downsample.1.running_mean [128] F32",
                "layer2.0.downsample.1.running_var [128] F32",
                "layer2.0.downsample.1.num_batches_tracked [] I64",
                "layer2.1.conv1.weight [128, 128, 3, 3] F32",
                "layer3.0.conv1.weight [256, 128, 3, 3] F32",
                "layer3.0.downsample.0.weight [256, 128, 1, 1] F32",
                "layer3.1.bn2.num_batches_tracked [] I64",
                "layer4.0.conv1.weight [512, 256, 3, 3] F32",
                "layer4.0.downsample.0.weight [512, 256, 1, 1] F32",
                "layer4.0.downsample.1.running_var [512] F32",
                "layer4.1.conv2.weight [512, 512, 3, 3] F32",
                "layer4.1.bn2.weight [512] F32");
        assertThat(listing.subList(listing.size() - 2, listing.size()))
                .containsExactly("fc.weight [1000, 512] F32", "fc.bias [1000] F32");
        assertThat(listing).noneMatch(s -> s.startsWith("layer1.0.downsample"));
        // 20 conv + 1 linear weights; 20 BatchNorms; 122 entries in torchvision's state_dict
        assertThat(imagenet.prunableParameters()).hasSize(21);
        assertThat(listing).hasSize(122);
        assertThat(imagenet.totalParameterCount()).isEqualTo(11_689_512);

        ModelDefinition cifar = MODELS.get("resnet-18");
        assertThat(listing(cifar).get(0)).isEqualTo("conv1.weight [64, 3, 3, 3] F32");
        assertThat(listing(cifar).subList(1, listing(cifar).size()))
                .isEqualTo(listing(MODELS.get("resnet-18-imagenet-stem")).subList(1, listing.size()));
        assertThat(cifar.totalParameterCount()).isEqualTo(11_173_962);
    }

    @Test
    void theCatalogueTheApiValidatesWithAgreesWithTheWorker() {
        assertThat(ModelCatalog.modelNames()).containsExactlyElementsOf(MODELS.names());
        for (String name : MODELS.names()) {
            ModelDefinition model = MODELS.get(name);
            ModelCatalog.ModelInfo info = ModelCatalog.model(name).orElseThrow();
            assertThat(info.prunableTensors()).as(name)
                    .containsExactlyElementsOf(model.prunableParameters().stream().map(ParameterSpec::name).toList());
            assertThat(info.numClasses()).isEqualTo(model.numClasses());
            List<Integer> shape = Arrays.stream(model.sampleShape().getShape()).mapToInt(Math::toIntExact).boxed().toList();
            assertThat(info.inputShape()).as(name).isEqualTo(shape);
            assertThat(model.buffers()).allMatch(b -> b.dtype() == DType.F32 || b.name().endsWith(".num_batches_tracked"));
        }
    }

    @Test
    void theOutputLayerFollowsTheClassCount() {
        assertThat(MODELS.get("vgg-16", 100).parameter("fc.weight").shape()).containsExactly(100, 512);
        assertThat(MODELS.get("resnet-20", 100).parameter("fc.bias").shape()).containsExactly(100);
    }
}
