package io.ticketfoundry.api.mask;

import io.ticketfoundry.api.web.FieldProblem;
import io.ticketfoundry.common.model.StateDictTable;
import io.ticketfoundry.common.protocol.LayerDensity;
import io.ticketfoundry.common.safetensors.DType;
import io.ticketfoundry.common.safetensors.SafeTensors;
import io.ticketfoundry.common.safetensors.SafeTensorsFormatException;
import io.ticketfoundry.common.safetensors.SafeTensorsReader;
import io.ticketfoundry.common.safetensors.SafeTensorsWriter;
import io.ticketfoundry.common.safetensors.Tensor;
import io.ticketfoundry.common.spec.ModelCatalog;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a mask made elsewhere against the architecture it claims, and the weights that may come
 * with it. A mask is a safetensors file whose tensors carry the model's reference names
 * ({@code fc1.weight}, {@code layers.0.conv.weight}, ...) with the weights' shapes and only the
 * values 0 and 1, in any integer, bool or float dtype (PyTorch masks are often float32 or bool).
 * Every prunable tensor (Linear and Conv weights) must be there. Masks of tensors this platform
 * never prunes (biases, BatchNorm) are accepted only when all ones, and then ignored. The class
 * count is read from the output layer's rows. The mask is stored as the worker writes masks: U8,
 * the model's tensor order.
 *
 * <p>Weights, when given, are a whole state_dict of the model built for that class count:
 * parameters and running statistics F32, {@code num_batches_tracked} I64, every value finite.
 *
 * <p>Problems name the part and tensor, e.g. {@code file["fc1.weight"]}.
 */
final class MaskFileValidator {

    static final int MAX_CLASSES = 100_000;

    /** The accepted mask: its model and class count, the normalised file, per-layer counts and what was ignored. */
    record ValidMask(String model, int numClasses, byte[] normalised, Map<String, LayerDensity> layers,
            long prunable, long remaining, List<String> ignored) {
    }

    /** The result: a valid mask or the problems found. */
    record Result(ValidMask mask, List<FieldProblem> problems) {
        boolean valid() {
            return problems.isEmpty();
        }
    }

    private static final Set<DType> MASK_DTYPES = Set.of(DType.BOOL, DType.U8, DType.I8, DType.I16, DType.U16,
            DType.I32, DType.U32, DType.I64, DType.U64, DType.F16, DType.BF16, DType.F32, DType.F64);

    private MaskFileValidator() {
    }

    /**
     * Validates {@code mask} (and {@code weights}, null when not given) for {@code model};
     * {@code numClasses}, when not null, must agree with the mask's output layer.
     */
    static Result validate(String model, Integer numClasses, byte[] mask, byte[] weights) {
        List<FieldProblem> problems = new ArrayList<>();
        if (model == null || model.isBlank()) {
            problems.add(new FieldProblem("model", "is required: the architecture the mask is for ("
                    + String.join(", ", ModelCatalog.modelNames()) + ")"));
        } else if (ModelCatalog.model(model).isEmpty()) {
            problems.add(new FieldProblem("model", "must be one of " + String.join(", ", ModelCatalog.modelNames())));
        }
        if (numClasses != null && (numClasses < 1 || numClasses > MAX_CLASSES)) {
            problems.add(new FieldProblem("numClasses", "must be between 1 and " + MAX_CLASSES));
        }
        SafeTensors maskFile = read(mask, "file", problems);
        SafeTensors weightsFile = weights == null ? null : read(weights, "weights", problems);
        if (!problems.isEmpty()) {
            return new Result(null, problems);
        }

        int counted = classCount(model, numClasses, maskFile, problems);
        // with the output layer refused, the other tensors are still checked (against the declared or 10 classes)
        int classes = counted > 0 ? counted : numClasses != null ? numClasses : 10;
        StateDictTable table = StateDictTable.of(model, classes);
        String refusedOutput = counted > 0 ? null : table.outputWeight().name();
        Map<String, byte[]> values = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        for (String name : maskFile.names()) {
            if (name.equals(refusedOutput)) {
                continue;
            }
            Tensor tensor = maskFile.get(name);
            String field = field("file", name);
            StateDictTable.Entry entry = table.entry(name).orElse(null);
            if (entry == null) {
                problems.add(new FieldProblem(field, "is not a tensor of " + model + "; its prunable tensors are "
                        + table.prunable().stream().map(StateDictTable.Entry::name).toList()));
                continue;
            }
            if (!Arrays.equals(tensor.shape(), entry.shape())) {
                problems.add(new FieldProblem(field, "has shape " + Arrays.toString(tensor.shape()) + "; " + model
                        + " with " + classes + " classes has " + Arrays.toString(entry.shape())));
                continue;
            }
            if (!MASK_DTYPES.contains(tensor.dtype())) {
                problems.add(new FieldProblem(field, "is " + tensor.dtype() + "; a mask is bool, an integer or a "
                        + "16/32/64-bit float type"));
                continue;
            }
            byte[] bits = zeroOne(tensor, field, problems);
            if (bits == null) {
                continue;
            }
            if (!entry.prunable()) {
                if (count(bits) != bits.length) {
                    problems.add(new FieldProblem(field, "prunes a " + describe(entry.role()) + "; only Linear and Conv "
                            + "weights are pruned here, so a mask of it must be all ones (or left out)"));
                } else {
                    ignored.add(name);
                }
                continue;
            }
            values.put(name, bits);
        }
        for (StateDictTable.Entry entry : table.prunable()) {
            if (!maskFile.contains(entry.name()) && !entry.name().equals(refusedOutput)) {
                problems.add(new FieldProblem(field("file", entry.name()), "is missing (shape "
                        + Arrays.toString(entry.shape()) + "); a layer left dense has a mask of all ones"));
            }
        }
        if (weightsFile != null) {
            checkWeights(table, weightsFile, problems);
        }
        if (!problems.isEmpty()) {
            return new Result(null, problems);
        }

        Map<String, LayerDensity> layers = new LinkedHashMap<>();
        List<Tensor> tensors = new ArrayList<>();
        long total = 0;
        long kept = 0;
        for (StateDictTable.Entry entry : table.prunable()) {
            byte[] bits = values.get(entry.name());
            long layerKept = count(bits);
            layers.put(entry.name(), new LayerDensity(bits.length, layerKept));
            tensors.add(Tensor.ofBytes(entry.name(), DType.U8, entry.shape(), bits));
            total += bits.length;
            kept += layerKept;
        }
        if (kept == 0) {
            return new Result(null, List.of(new FieldProblem("file", "keeps no weight at all")));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("kind", "mask");
        metadata.put("model", model);
        metadata.put("numClasses", Integer.toString(classes));
        byte[] normalised = SafeTensorsWriter.toBytes(new SafeTensors(metadata, tensors));
        return new Result(new ValidMask(model, classes, normalised, layers, total, kept, List.copyOf(ignored)),
                List.of());
    }

    static String field(String part, String tensor) {
        return part + "[\"" + tensor + "\"]";
    }

    private static SafeTensors read(byte[] bytes, String part, List<FieldProblem> problems) {
        if (bytes == null || bytes.length == 0) {
            problems.add(new FieldProblem(part, part.equals("file") ? "is required: the mask as a safetensors file"
                    : "is empty"));
            return null;
        }
        try {
            return SafeTensorsReader.read(bytes);
        } catch (SafeTensorsFormatException e) {
            problems.add(new FieldProblem(part, "is not a safetensors file: " + e.getMessage()));
            return null;
        }
    }

    /** The class count: the output layer's rows, which {@code declared} (if given) must equal; -1 after a problem. */
    private static int classCount(String model, Integer declared, SafeTensors mask, List<FieldProblem> problems) {
        StateDictTable.Entry output = StateDictTable.of(model, 10).outputWeight();
        if (!mask.contains(output.name())) {
            problems.add(new FieldProblem(field("file", output.name()), "is missing: the output layer's mask "
                    + "(a layer left dense has a mask of all ones)"));
            return -1;
        }
        long[] shape = mask.get(output.name()).shape();
        long[] expected = output.shape();
        if (shape.length != 2 || shape[1] != expected[1] || shape[0] < 1 || shape[0] > MAX_CLASSES) {
            problems.add(new FieldProblem(field("file", output.name()), "has shape " + Arrays.toString(shape)
                    + "; the output layer of " + model + " is [classes, " + expected[1] + "]"));
            return -1;
        }
        if (declared != null && declared != shape[0]) {
            problems.add(new FieldProblem("numClasses", "is " + declared + " but the mask's output layer "
                    + output.name() + " has " + shape[0] + " rows"));
            return -1;
        }
        return (int) shape[0];
    }

    /** The tensor's values as bytes 0/1, or null with a problem when a value is neither. */
    private static byte[] zeroOne(Tensor tensor, String field, List<FieldProblem> problems) {
        int n = Math.toIntExact(tensor.elementCount());
        ByteBuffer data = ByteBuffer.wrap(tensor.rawData()).order(ByteOrder.LITTLE_ENDIAN);
        byte[] bits = new byte[n];
        for (int i = 0; i < n; i++) {
            double value = switch (tensor.dtype()) {
                case BOOL, U8 -> data.get(i) & 0xff;
                case I8 -> data.get(i);
                case I16 -> data.getShort(2 * i);
                case U16 -> data.getShort(2 * i) & 0xffff;
                case I32 -> data.getInt(4 * i);
                case U32 -> data.getInt(4 * i) & 0xffffffffL;
                case I64, U64 -> zeroOrOneOrMinus(data.getLong(8 * i));
                case F16 -> half(data.getShort(2 * i));
                case BF16 -> Float.intBitsToFloat((data.getShort(2 * i) & 0xffff) << 16);
                case F32 -> data.getFloat(4 * i);
                case F64 -> data.getDouble(8 * i);
                default -> throw new IllegalStateException(tensor.dtype().name());
            };
            if (value == 1.0) {
                bits[i] = 1;
            } else if (value != 0.0) {
                problems.add(new FieldProblem(field, "holds " + (Double.isNaN(value) ? "NaN" : value) + " at flat index "
                        + i + "; a mask holds only 0 and 1"));
                return null;
            }
        }
        return bits;
    }

    /** A 64-bit integer as 0, 1 or another value (−1), without the precision a double lacks. */
    private static double zeroOrOneOrMinus(long value) {
        return value == 0 || value == 1 ? value : -1;
    }

    /** IEEE half precision to double; exact for every half value. */
    private static double half(short bits) {
        int sign = (bits >> 15) & 1;
        int exponent = (bits >> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        double magnitude;
        if (exponent == 0) {
            magnitude = mantissa * Math.pow(2, -24);
        } else if (exponent == 31) {
            magnitude = mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            magnitude = (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
        }
        return sign == 1 ? -magnitude : magnitude;
    }

    private static long count(byte[] bits) {
        long n = 0;
        for (byte b : bits) {
            n += b;
        }
        return n;
    }

    private static String describe(StateDictTable.Role role) {
        return switch (role) {
            case BIAS -> "bias";
            case NORM_WEIGHT, NORM_BIAS -> "BatchNorm parameter";
            case BUFFER -> "BatchNorm buffer";
            case WEIGHT -> "weight";
        };
    }

    /** A whole state_dict of the model: every tensor, its shape and dtype, finite values, nothing else. */
    private static void checkWeights(StateDictTable table, SafeTensors weights, List<FieldProblem> problems) {
        for (String name : weights.names()) {
            if (table.entry(name).isEmpty()) {
                problems.add(new FieldProblem(field("weights", name), "is not a tensor of " + table.model()
                        + "'s state_dict"));
            }
        }
        for (StateDictTable.Entry entry : table.entries()) {
            String field = field("weights", entry.name());
            if (!weights.contains(entry.name())) {
                problems.add(new FieldProblem(field, "is missing (shape " + Arrays.toString(entry.shape()) + ", "
                        + entry.dtype() + "); the weights are the model's whole state_dict"));
                continue;
            }
            Tensor tensor = weights.get(entry.name());
            if (!Arrays.equals(tensor.shape(), entry.shape())) {
                problems.add(new FieldProblem(field, "has shape " + Arrays.toString(tensor.shape()) + "; expected "
                        + Arrays.toString(entry.shape())));
            } else if (tensor.dtype() != entry.dtype()) {
                problems.add(new FieldProblem(field, "is " + tensor.dtype() + "; expected " + entry.dtype()
                        + (entry.dtype() == DType.F32 ? " (save the model as float32)" : "")));
            } else if (entry.dtype() == DType.F32) {
                float[] values = tensor.toFloatArray();
                for (int i = 0; i < values.length; i++) {
                    if (!Float.isFinite(values[i])) {
                        problems.add(new FieldProblem(field, "holds " + values[i] + " at flat index " + i
                                + "; weights must be finite"));
                        break;
                    }
                }
            }
        }
    }
}
