package io.ticketfoundry.worker.io;

import io.ticketfoundry.common.Digests;
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
import io.ticketfoundry.worker.train.OptimizerState;
import io.ticketfoundry.worker.train.TrainingState;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A level's training stopped at the end of an epoch, as one safetensors file: {@code model.<name>}
 * (every parameter and buffer of the state_dict: F32, and {@code num_batches_tracked} I64),
 * {@code optimizer.<slot>.<name>} (the optimizer's state) and, once the level has captured it,
 * {@code rewind.<name>} (the rewind point), named by the reference names. A checkpoint written
 * before buffers were kept has none; its buffers read as fresh (running mean 0, variance 1). The metadata carries the level, seed, epoch, global step, optimizer and its
 * update count, and the SHA-256 of the level's mask, so a checkpoint is never resumed under a
 * different mask or level. This is a worker-internal format, not a download for users.
 */
public record EpochCheckpoint(int level, long seed, int epoch, String maskSha256, TrainingState state, Weights rewind,
        SparseCheckpoint sparse) {

    public static final String KIND = "epoch-checkpoint";

    /** A checkpoint of a level with a fixed mask. */
    public EpochCheckpoint(int level, long seed, int epoch, String maskSha256, TrainingState state, Weights rewind) {
        this(level, seed, epoch, maskSha256, state, rewind, null);
    }

    public void write(Path path) throws IOException {
        List<Tensor> tensors = new ArrayList<>();
        Weights weights = state.weights();
        addStateDict(tensors, "model.", weights);
        OptimizerState optimizer = state.optimizer();
        optimizer.slots().forEach((slot, values) -> {
            for (ParameterSpec spec : weights.specs()) {
                float[] v = values.get(spec.name());
                if (v != null) {
                    tensors.add(Tensor.ofFloats("optimizer." + slot + "." + spec.name(), spec.shape(), v));
                }
            }
        });
        if (rewind != null) {
            for (ParameterSpec spec : rewind.specs()) {
                tensors.add(Tensor.ofFloats("rewind." + spec.name(), spec.shape(), rewind.values(spec.name())));
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("kind", KIND);
        metadata.put("level", String.valueOf(level));
        metadata.put("seed", String.valueOf(seed));
        metadata.put("epoch", String.valueOf(epoch));
        metadata.put("step", String.valueOf(state.step()));
        metadata.put("optimizer", optimizer.optimizer());
        metadata.put("optimizerUpdates", String.valueOf(optimizer.updates()));
        metadata.put("optimizerSlots", String.join(",", optimizer.slots().keySet()));
        metadata.put("maskSha256", maskSha256);
        if (sparse != null) {
            writeSparse(sparse, tensors, metadata);
        }
        AtomicFiles.write(path, SafeTensorsWriter.toBytes(new SafeTensors(metadata, tensors)));
    }

    public static EpochCheckpoint read(Path path, ModelDefinition model) throws IOException {
        SafeTensors file = SafeTensorsReader.read(path);
        Map<String, String> metadata = file.metadata();
        if (!KIND.equals(metadata.get("kind"))) {
            throw new SafeTensorsFormatException(path + " is not an epoch checkpoint (kind " + metadata.get("kind") + ")");
        }
        try {
            Weights weights = stateDict(file, "model.", model, path);
            Weights rewind = file.contains("rewind." + model.parameters().get(0).name())
                    ? weights(file, "rewind.", model, path) : null;
            Map<String, Map<String, float[]>> slots = new LinkedHashMap<>();
            String slotList = metadata.getOrDefault("optimizerSlots", "");
            for (String slot : slotList.isEmpty() ? new String[0] : slotList.split(",")) {
                slots.put(slot, weights(file, "optimizer." + slot + ".", model, path).asMap());
            }
            OptimizerState optimizer = new OptimizerState(metadata.get("optimizer"),
                    Integer.parseInt(metadata.get("optimizerUpdates")), slots);
            TrainingState state = new TrainingState(Long.parseLong(metadata.get("step")), weights, optimizer);
            SparseCheckpoint sparse = metadata.containsKey("sparse") ? readSparse(file, model, path) : null;
            return new EpochCheckpoint(Integer.parseInt(metadata.get("level")), Long.parseLong(metadata.get("seed")),
                    Integer.parseInt(metadata.get("epoch")), metadata.get("maskSha256"), state, rewind, sparse);
        } catch (RuntimeException e) {
            throw new SafeTensorsFormatException(path + ": not a usable epoch checkpoint: " + e.getMessage(), e);
        }
    }

    private static void writeSparse(SparseCheckpoint sparse, List<Tensor> tensors, Map<String, String> metadata) {
        Mask mask = sparse.mask();
        addMask(tensors, "sparse.mask.", mask);
        if (sparse.averaged() > 0) {
            for (ParameterSpec spec : mask.model().parameters()) {
                tensors.add(Tensor.ofFloats("sparse.average." + spec.name(), spec.shape(), sparse.average().get(spec.name())));
            }
            addMask(tensors, "sparse.averageSupport.", sparse.averageSupport());
        }
        List<String> steps = new ArrayList<>();
        for (SparseCheckpoint.Snapshot snapshot : sparse.snapshots()) {
            addMask(tensors, "snapshot." + snapshot.step() + ".mask.", snapshot.mask());
            addStateDict(tensors, "snapshot." + snapshot.step() + ".model.", snapshot.weights());
            steps.add(String.valueOf(snapshot.step()));
        }
        metadata.put("sparse", "1");
        metadata.put("sparseMaskUpdates", String.valueOf(sparse.maskUpdates()));
        metadata.put("sparseAveraged", String.valueOf(sparse.averaged()));
        metadata.put("snapshotSteps", String.join(",", steps));
    }

    private static SparseCheckpoint readSparse(SafeTensors file, ModelDefinition model, Path path)
            throws SafeTensorsFormatException {
        Map<String, String> metadata = file.metadata();
        Mask mask = mask(file, "sparse.mask.", model, path);
        int averaged = Integer.parseInt(metadata.get("sparseAveraged"));
        Map<String, float[]> average = null;
        Mask support = null;
        if (averaged > 0) {
            average = weights(file, "sparse.average.", model, path).asMap();
            support = mask(file, "sparse.averageSupport.", model, path);
        }
        List<SparseCheckpoint.Snapshot> snapshots = new ArrayList<>();
        String steps = metadata.getOrDefault("snapshotSteps", "");
        for (String step : steps.isEmpty() ? new String[0] : steps.split(",")) {
            snapshots.add(new SparseCheckpoint.Snapshot(Long.parseLong(step),
                    mask(file, "snapshot." + step + ".mask.", model, path),
                    stateDict(file, "snapshot." + step + ".model.", model, path)));
        }
        return new SparseCheckpoint(mask, Long.parseLong(metadata.get("sparseMaskUpdates")), average, averaged, support,
                snapshots);
    }

    private static void addMask(List<Tensor> tensors, String prefix, Mask mask) {
        for (ParameterSpec spec : mask.model().prunableParameters()) {
            tensors.add(Tensor.ofBytes(prefix + spec.name(), DType.U8, spec.shape(), mask.values(spec.name())));
        }
    }

    private static Mask mask(SafeTensors file, String prefix, ModelDefinition model, Path path)
            throws SafeTensorsFormatException {
        Map<String, byte[]> values = new LinkedHashMap<>();
        for (ParameterSpec spec : model.prunableParameters()) {
            String name = prefix + spec.name();
            if (!file.contains(name)) {
                throw new SafeTensorsFormatException(path + ": missing tensor " + name);
            }
            Tensor tensor = file.get(name);
            if (tensor.dtype() != DType.U8 || !Arrays.equals(tensor.shape(), spec.shape())) {
                throw new SafeTensorsFormatException(path + ": " + name + " is " + tensor.dtype() + " "
                        + Arrays.toString(tensor.shape()) + ", expected U8 " + Arrays.toString(spec.shape()));
            }
            values.put(spec.name(), tensor.toByteArray());
        }
        return Mask.of(model, values);
    }

    /** Every parameter and buffer of {@code weights} under {@code prefix}: F32, and I64 for batch counters. */
    static void addStateDict(List<Tensor> tensors, String prefix, Weights weights) {
        for (ParameterSpec spec : weights.specs()) {
            tensors.add(Tensor.ofFloats(prefix + spec.name(), spec.shape(), weights.values(spec.name())));
        }
        for (BufferSpec spec : weights.buffers()) {
            tensors.add(spec.dtype() == DType.I64
                    ? Tensor.ofLongs(prefix + spec.name(), spec.shape(), weights.longValues(spec.name()))
                    : Tensor.ofFloats(prefix + spec.name(), spec.shape(), weights.values(spec.name())));
        }
    }

    /** The parameters and buffers under {@code prefix}; buffers absent altogether read as fresh. */
    static Weights stateDict(SafeTensors file, String prefix, ModelDefinition model, Path path)
            throws SafeTensorsFormatException {
        Weights parameters = weights(file, prefix, model, path);
        List<BufferSpec> buffers = model.buffers();
        long present = buffers.stream().filter(b -> file.contains(prefix + b.name())).count();
        if (present == 0) {
            return parameters;
        }
        if (present != buffers.size()) {
            throw new SafeTensorsFormatException(path + ": only " + present + " of the " + buffers.size()
                    + " buffers under " + prefix);
        }
        Map<String, float[]> floats = new LinkedHashMap<>();
        for (ParameterSpec spec : model.parameters()) {
            floats.put(spec.name(), parameters.values(spec.name()));
        }
        Map<String, long[]> longs = new LinkedHashMap<>();
        for (BufferSpec spec : buffers) {
            Tensor tensor = file.get(prefix + spec.name());
            if (tensor.dtype() != spec.dtype() || !Arrays.equals(tensor.shape(), spec.shape())) {
                throw new SafeTensorsFormatException(path + ": " + tensor.name() + " is " + tensor.dtype() + " "
                        + Arrays.toString(tensor.shape()) + ", expected " + spec.dtype() + " " + Arrays.toString(spec.shape()));
            }
            if (spec.dtype() == DType.I64) {
                longs.put(spec.name(), tensor.toLongArray());
            } else {
                floats.put(spec.name(), tensor.toFloatArray());
            }
        }
        return Weights.of(model, floats, longs);
    }

    private static Weights weights(SafeTensors file, String prefix, ModelDefinition model, Path path)
            throws SafeTensorsFormatException {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (ParameterSpec spec : model.parameters()) {
            String name = prefix + spec.name();
            if (!file.contains(name)) {
                throw new SafeTensorsFormatException(path + ": missing tensor " + name);
            }
            Tensor tensor = file.get(name);
            if (tensor.dtype() != DType.F32 || !Arrays.equals(tensor.shape(), spec.shape())) {
                throw new SafeTensorsFormatException(path + ": " + name + " is " + tensor.dtype() + " "
                        + Arrays.toString(tensor.shape()) + ", expected F32 " + Arrays.toString(spec.shape()));
            }
            values.put(spec.name(), tensor.toFloatArray());
        }
        return Weights.of(model, values);
    }

    /** SHA-256 over the mask's bytes, tensor by tensor in the model's order. */
    public static String maskDigest(Mask mask) {
        MessageDigest digest = Digests.newSha256();
        for (ParameterSpec spec : mask.model().prunableParameters()) {
            digest.update(spec.name().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            digest.update(mask.values(spec.name()));
        }
        return Digests.hex(digest);
    }
}
