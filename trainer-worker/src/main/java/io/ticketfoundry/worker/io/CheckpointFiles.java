package io.ticketfoundry.worker.io;

import io.ticketfoundry.common.safetensors.DType;
import io.ticketfoundry.common.safetensors.SafeTensors;
import io.ticketfoundry.common.safetensors.SafeTensorsFormatException;
import io.ticketfoundry.common.safetensors.SafeTensorsReader;
import io.ticketfoundry.common.safetensors.SafeTensorsWriter;
import io.ticketfoundry.common.safetensors.Tensor;
import io.ticketfoundry.worker.model.BufferSpec;
import io.ticketfoundry.worker.model.ModelDefinition;
import io.ticketfoundry.worker.model.ParameterSpec;
import io.ticketfoundry.worker.model.Weights;
import io.ticketfoundry.worker.prune.Mask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps weights and masks to safetensors files named like the PyTorch reference's state_dict:
 * checkpoints hold every parameter and buffer (F32; BatchNorm's num_batches_tracked I64), masks hold every prunable weight tensor as U8 0/1
 * (BOOL is accepted on reading). Loading checks names, shapes and dtypes against the model.
 */
public final class CheckpointFiles {

    private CheckpointFiles() {
    }

    /**
     * Writes the whole state_dict: parameters and F32 buffers as F32, {@code num_batches_tracked}
     * as an I64 scalar (shape []). (The file's own tensor order is the writer's; names matter.)
     */
    public static void writeWeights(Weights weights, Path path, Map<String, String> metadata) throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        weights.specs().forEach(p -> shapes.put(p.name(), p.shape()));
        weights.buffers().forEach(b -> shapes.put(b.name(), b.shape()));
        List<Tensor> tensors = new ArrayList<>();
        for (String name : weights.stateDictOrder()) {
            if (weights.longsAsMap().containsKey(name)) {
                tensors.add(Tensor.ofLongs(name, shapes.get(name), weights.longValues(name)));
            } else {
                tensors.add(Tensor.ofFloats(name, shapes.get(name), weights.values(name)));
            }
        }
        AtomicFiles.write(path, SafeTensorsWriter.toBytes(new SafeTensors(withFormat(metadata), tensors)));
    }

    /** Reads a checkpoint of the whole state_dict, checking names, shapes and dtypes. */
    public static Weights readWeights(Path path, ModelDefinition model) throws IOException {
        SafeTensors file = SafeTensorsReader.read(path);
        Set<String> want = new LinkedHashSet<>(model.stateDictOrder());
        requireNames(path, file, want);
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, long[]> longs = new LinkedHashMap<>();
        for (ParameterSpec spec : model.parameters()) {
            Tensor tensor = file.get(spec.name());
            requireShape(path, tensor, spec.name(), spec.shape());
            requireDType(path, tensor, DType.F32);
            values.put(spec.name(), tensor.toFloatArray());
        }
        for (BufferSpec spec : model.buffers()) {
            Tensor tensor = file.get(spec.name());
            requireShape(path, tensor, spec.name(), spec.shape());
            requireDType(path, tensor, spec.dtype());
            if (spec.dtype() == DType.I64) {
                longs.put(spec.name(), tensor.toLongArray());
            } else {
                values.put(spec.name(), tensor.toFloatArray());
            }
        }
        return Weights.of(model, values, longs);
    }

    private static void requireDType(Path path, Tensor tensor, DType expected) throws SafeTensorsFormatException {
        if (tensor.dtype() != expected) {
            throw new SafeTensorsFormatException(path + ": " + tensor.name() + " is " + tensor.dtype() + ", expected "
                    + expected);
        }
    }

    public static void writeMask(Mask mask, Path path, Map<String, String> metadata) throws IOException {
        List<Tensor> tensors = new ArrayList<>();
        for (ParameterSpec spec : mask.model().prunableParameters()) {
            tensors.add(Tensor.ofBytes(spec.name(), DType.U8, spec.shape(), mask.values(spec.name())));
        }
        AtomicFiles.write(path, SafeTensorsWriter.toBytes(new SafeTensors(withFormat(metadata), tensors)));
    }

    public static Mask readMask(Path path, ModelDefinition model) throws IOException {
        SafeTensors file = SafeTensorsReader.read(path);
        requireNames(path, file, names(model.prunableParameters()));
        Map<String, byte[]> values = new LinkedHashMap<>();
        for (ParameterSpec spec : model.prunableParameters()) {
            Tensor tensor = file.get(spec.name());
            requireShape(path, tensor, spec.name(), spec.shape());
            if (tensor.dtype() != DType.U8 && tensor.dtype() != DType.BOOL) {
                throw new SafeTensorsFormatException(path + ": mask " + spec.name() + " is " + tensor.dtype()
                        + ", expected U8 or BOOL");
            }
            values.put(spec.name(), tensor.toByteArray());
        }
        try {
            return Mask.of(model, values);
        } catch (IllegalArgumentException e) {
            throw new SafeTensorsFormatException(path + ": " + e.getMessage(), e);
        }
    }

    /** {@code format: pt} tells Hugging Face tooling the names follow a PyTorch state_dict. */
    private static Map<String, String> withFormat(Map<String, String> metadata) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("format", "pt");
        all.putAll(metadata);
        return all;
    }

    private static Set<String> names(List<ParameterSpec> specs) {
        Set<String> names = new LinkedHashSet<>();
        specs.forEach(p -> names.add(p.name()));
        return names;
    }

    private static void requireNames(Path path, SafeTensors file, Set<String> want)
            throws SafeTensorsFormatException {
        Set<String> have = new LinkedHashSet<>(file.names());
        if (!have.equals(want)) {
            Set<String> missing = new LinkedHashSet<>(want);
            missing.removeAll(have);
            Set<String> extra = new LinkedHashSet<>(have);
            extra.removeAll(want);
            throw new SafeTensorsFormatException(path + ": tensor names do not match the model; missing "
                    + missing + ", unexpected " + extra);
        }
    }

    private static void requireShape(Path path, Tensor tensor, String name, long[] shape)
            throws SafeTensorsFormatException {
        if (!Arrays.equals(tensor.shape(), shape)) {
            throw new SafeTensorsFormatException(path + ": " + name + " has shape " + Arrays.toString(tensor.shape())
                    + ", expected " + Arrays.toString(shape));
        }
    }
}
