package io.ticketfoundry.api.mask;

import static org.assertj.core.api.Assertions.assertThat;

import io.ticketfoundry.api.web.FieldProblem;
import io.ticketfoundry.common.safetensors.DType;
import io.ticketfoundry.common.safetensors.SafeTensors;
import io.ticketfoundry.common.safetensors.SafeTensorsReader;
import io.ticketfoundry.common.safetensors.SafeTensorsWriter;
import io.ticketfoundry.common.safetensors.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskFileValidatorTest {

    private static final String LENET = "lenet-300-100";

    private static List<String> fields(MaskFileValidator.Result result) {
        return result.problems().stream().map(FieldProblem::field).toList();
    }

    @Test
    void aFloatMaskIsStoredAsU8InTheModelsOrderWithItsCounts() throws Exception {
        Map<String, float[]> values = MaskFiles.randomMask(LENET, 10, 0.2, 1);
        // saved in another order than the state_dict's
        Map<String, float[]> reversed = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(values.keySet());
        for (int i = names.size() - 1; i >= 0; i--) {
            reversed.put(names.get(i), values.get(names.get(i)));
        }
        MaskFileValidator.Result result = MaskFileValidator.validate(LENET, null, MaskFiles.asF32(LENET, 10, reversed),
                null);
        assertThat(result.problems()).isEmpty();
        MaskFileValidator.ValidMask mask = result.mask();
        assertThat(mask.numClasses()).isEqualTo(10);
        assertThat(mask.prunable()).isEqualTo(266_200);
        assertThat(mask.remaining()).isEqualTo(MaskFiles.kept(values));
        assertThat(mask.layers().get("fc2.weight").total()).isEqualTo(30_000);

        SafeTensors stored = SafeTensorsReader.read(mask.normalised());
        assertThat(stored.names()).containsExactly("fc1.weight", "fc2.weight", "fc3.weight");
        Tensor fc1 = stored.get("fc1.weight");
        assertThat(fc1.dtype()).isEqualTo(DType.U8);
        byte[] bits = fc1.toByteArray();
        float[] original = values.get("fc1.weight");
        for (int i = 0; i < bits.length; i++) {
            assertThat(bits[i]).isEqualTo((byte) (original[i] == 1f ? 1 : 0));
        }
    }

    @Test
    void boolAndHalfMasksGiveTheSameStoredFile() {
        Map<String, float[]> values = MaskFiles.randomMask(LENET, 10, 0.5, 2);
        byte[] fromFloat = MaskFileValidator.validate(LENET, null, MaskFiles.asF32(LENET, 10, values), null).mask()
                .normalised();
        assertThat(MaskFileValidator.validate(LENET, null, MaskFiles.asBool(LENET, 10, values), null).mask().normalised())
                .isEqualTo(fromFloat);
        assertThat(MaskFileValidator.validate(LENET, 10, MaskFiles.asF16(LENET, 10, values), null).mask().normalised())
                .isEqualTo(fromFloat);
    }

    @Test
    void theClassCountComesFromTheOutputLayer() {
        Map<String, float[]> values = MaskFiles.randomMask(LENET, 100, 0.3, 3);
        MaskFileValidator.Result result = MaskFileValidator.validate(LENET, null, MaskFiles.asF32(LENET, 100, values),
                null);
        assertThat(result.mask().numClasses()).isEqualTo(100);
        assertThat(fields(MaskFileValidator.validate(LENET, 10, MaskFiles.asF32(LENET, 100, values), null)))
                .containsExactly("numClasses");
    }

    @Test
    void wrongNamesShapesAndValuesAreNamedPerTensor() {
        Map<String, float[]> values = MaskFiles.randomMask(LENET, 10, 0.5, 4);
        List<Tensor> tensors = new ArrayList<>();
        float[] half = values.get("fc1.weight").clone();
        half[17] = 0.5f;
        tensors.add(Tensor.ofFloats("fc1.weight", new long[] {300, 784}, half));
        tensors.add(Tensor.ofFloats("fc2.weight", new long[] {100, 299}, new float[29_900]));
        tensors.add(Tensor.ofFloats("fc9.weight", new long[] {2}, new float[] {1, 1}));
        tensors.add(Tensor.ofFloats("fc3.weight", new long[] {10, 100}, values.get("fc3.weight")));
        byte[] file = SafeTensorsWriter.toBytes(new SafeTensors(Map.of(), tensors));

        MaskFileValidator.Result result = MaskFileValidator.validate(LENET, null, file, null);
        assertThat(fields(result)).containsExactlyInAnyOrder("file[\"fc1.weight\"]", "file[\"fc2.weight\"]",
                "file[\"fc9.weight\"]");
        assertThat(result.problems()).anySatisfy(p -> assertThat(p.message()).contains("0.5 at flat index 17"));
        assertThat(result.problems()).anySatisfy(p -> assertThat(p.message()).contains("[100, 299]").contains("[100, 300]"));
        assertThat(result.mask()).isNull();
    }

    @Test
    void aMissingLayerIsNamedWithItsShape() {
        Map<String, float[]> values = MaskFiles.randomMask(LENET, 10, 0.5, 5);
        values.remove("fc2.weight");
        MaskFileValidator.Result result = MaskFileValidator.validate(LENET, null, MaskFiles.asF32(LENET, 10, values),
                null);
        assertThat(fields(result)).containsExactly("file[\"fc2.weight\"]");
        assertThat(result.problems().get(0).message()).contains("missing").contains("[100, 300]");
    }

    @Test
    void biasMasksAreIgnoredWhenAllOnesAndRefusedOtherwise() {
        Map<String, float[]> values = MaskFiles.randomMask(LENET, 10, 0.5, 6);
        List<Tensor> tensors = new ArrayList<>();
        values.forEach((name, v) -> tensors.add(Tensor.ofFloats(name, MaskFiles.shape(LENET, 10, name), v)));
        float[] ones = new float[300];
        java.util.Arrays.fill(ones, 1f);
        tensors.add(Tensor.ofFloats("fc1.bias", new long[] {300}, ones));
        MaskFileValidator.Result accepted = MaskFileValidator.validate(LENET, null,
                SafeTensorsWriter.toBytes(new SafeTensors(Map.of(), tensors)), null);
        assertThat(accepted.problems()).isEmpty();
        assertThat(accepted.mask().ignored()).containsExactly("fc1.bias");

        ones[3] = 0f;
        tensors.set(tensors.size() - 1, Tensor.ofFloats("fc1.bias", new long[] {300}, ones));
        MaskFileValidator.Result refused = MaskFileValidator.validate(LENET, null,
                SafeTensorsWriter.toBytes(new SafeTensors(Map.of(), tensors)), null);
        assertThat(fields(refused)).containsExactly("file[\"fc1.bias\"]");
        assertThat(refused.problems().get(0).message()).contains("bias").contains("all ones");
    }

    @Test
    void notSafetensorsUnknownModelsAndEmptyMasksAreRefused() {
        assertThat(fields(MaskFileValidator.validate(LENET, null, "not a mask".getBytes(), null)))
                .containsExactly("file");
        assertThat(fields(MaskFileValidator.validate(LENET, null, null, null))).containsExactly("file");
        Map<String, float[]> values = MaskFiles.randomMask(LENET, 10, 0.5, 7);
        assertThat(fields(MaskFileValidator.validate("resnet-1000", null, MaskFiles.asF32(LENET, 10, values), null)))
                .containsExactly("model");
        values.values().forEach(v -> java.util.Arrays.fill(v, 0f));
        assertThat(fields(MaskFileValidator.validate(LENET, null, MaskFiles.asF32(LENET, 10, values), null)))
                .containsExactly("file");
    }

    @Test
    void weightsMustBeTheWholeStateDictInFloat32() throws Exception {
        String model = "resnet-20";
        Map<String, float[]> values = MaskFiles.randomMask(model, 10, 0.1, 8);
        byte[] mask = MaskFiles.asBool(model, 10, values);
        assertThat(MaskFileValidator.validate(model, null, mask, MaskFiles.weights(model, 10, 1)).problems()).isEmpty();

        SafeTensors whole = SafeTensorsReader.read(MaskFiles.weights(model, 10, 1));
        List<Tensor> broken = new ArrayList<>();
        for (Tensor t : whole.tensors()) {
            if (t.name().equals("bn.running_var")) {
                continue; // missing
            }
            if (t.name().equals("fc.bias")) {
                float[] v = t.toFloatArray();
                v[2] = Float.NaN;
                broken.add(Tensor.ofFloats(t.name(), t.shape(), v));
            } else if (t.name().equals("conv.weight")) {
                broken.add(new Tensor(t.name(), DType.F16, t.shape(), new byte[Math.toIntExact(t.elementCount()) * 2]));
            } else {
                broken.add(t);
            }
        }
        broken.add(Tensor.ofFloats("extra", new long[] {1}, new float[] {0}));
        MaskFileValidator.Result result = MaskFileValidator.validate(model, null, mask,
                SafeTensorsWriter.toBytes(new SafeTensors(Map.of(), broken)));
        assertThat(fields(result)).containsExactlyInAnyOrder("weights[\"bn.running_var\"]", "weights[\"fc.bias\"]",
                "weights[\"conv.weight\"]", "weights[\"extra\"]");
    }
}
