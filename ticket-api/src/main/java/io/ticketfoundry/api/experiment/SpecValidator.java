package io.ticketfoundry.api.experiment;

import io.ticketfoundry.api.web.FieldProblem;
import io.ticketfoundry.common.spec.EvaluationSpec;
import io.ticketfoundry.common.spec.ExperimentSpec;
import io.ticketfoundry.common.spec.LearningRateSchedule;
import io.ticketfoundry.common.spec.ModelCatalog;
import io.ticketfoundry.common.spec.ObjectiveSpec;
import io.ticketfoundry.common.spec.PruningSpec;
import io.ticketfoundry.common.spec.RewindSpec;
import io.ticketfoundry.common.spec.SparseTrainingSpec;
import io.ticketfoundry.common.spec.TrainingSpec;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads a submitted experiment spec strictly and checks its values, collecting every problem.
 *
 * <p>First the JSON shape is checked against the spec records: an unknown field or a value of the
 * wrong JSON type (a string for a number, 0.5 for an integer) is a problem named by its full path.
 * Offending fields are set aside so that the values of the remaining ones are still checked, on
 * the defaults-filled spec, in the same pass. A {@code null} field means "use the default".
 */
public final class SpecValidator {

    public static final int MAX_BATCH_SIZE = 65_536;
    public static final int MAX_EPOCHS = 100_000;
    public static final int MAX_LEVELS = 100;
    public static final int MAX_ECE_BINS = 1_000;

    static final int MAX_SCORE_SAMPLES_PER_CLASS = 1000;
    static final int MAX_SYNFLOW_ROUNDS = 1000;

    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** The spec as submitted (unfilled) when there are no problems; otherwise the problems. */
    public record Result(ExperimentSpec spec, List<FieldProblem> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    private SpecValidator() {
    }

    /**
     * @param submitted the spec object from the request ({@code null} or a JSON null means {})
     * @param root      its path from the request root, e.g. {@code spec}
     */
    public static Result read(JsonNode submitted, String root) {
        return read(submitted, root, ModelCatalog::dataset);
    }

    /**
     * As {@link #read(JsonNode, String)}, with {@code datasets} telling which dataset ids the
     * submitter may name (base datasets, registered derived ones, the team's uploads) and their shape.
     */
    public static Result read(JsonNode submitted, String root, Function<String, Optional<ModelCatalog.DatasetInfo>> datasets) {
        List<FieldProblem> problems = new ArrayList<>();
        ObjectNode cleaned;
        if (submitted == null || submitted.isNull() || submitted.isMissingNode()) {
            cleaned = JsonNodeFactory.instance.objectNode();
        } else if (!submitted.isObject()) {
            return new Result(null, List.of(new FieldProblem(root, "must be an object")));
        } else {
            cleaned = (ObjectNode) submitted.deepCopy();
            checkRecord(cleaned, ExperimentSpec.class, root, problems);
        }
        ExperimentSpec spec = STRICT.treeToValue(cleaned, ExperimentSpec.class);
        problems.addAll(check(spec.withDefaults(), root, datasets));
        return problems.isEmpty() ? new Result(spec, List.of()) : new Result(null, List.copyOf(problems));
    }

    /**
     * Reads a request body into {@code type} (a record) the way specs are read: unknown fields and
     * values of the wrong type are problems named by their path from {@code root}; null when the
     * body cannot be read at all. A missing or null body reads as {}.
     */
    public static <T> T readRecord(JsonNode body, Class<T> type, String root, List<FieldProblem> problems) {
        ObjectNode cleaned;
        if (body == null || body.isNull() || body.isMissingNode()) {
            cleaned = JsonNodeFactory.instance.objectNode();
        } else if (!body.isObject()) {
            problems.add(new FieldProblem(root, "must be an object"));
            return null;
        } else {
            cleaned = (ObjectNode) body.deepCopy();
            List<FieldProblem> found = new ArrayList<>();
            checkRecord(cleaned, type, root, found);
            // at the root of a body, fields are named without a leading dot
            found.forEach(p -> problems.add(root.isEmpty() && p.field().startsWith(".")
                    ? new FieldProblem(p.field().substring(1), p.message()) : p));
        }
        return STRICT.treeToValue(cleaned, type);
    }

    /** Problems of an evaluation section (ECE bin count, edge rule, binning), all fields set. */
    public static List<FieldProblem> checkEvaluation(EvaluationSpec evaluation, String path) {
        List<FieldProblem> problems = new ArrayList<>();
        checkEvaluation(evaluation, path, problems);
        return problems;
    }

    // ---- shape -------------------------------------------------------------------------------

    private static void checkRecord(ObjectNode node, Class<?> type, String path, List<FieldProblem> problems) {
        Map<String, RecordComponent> components = new LinkedHashMap<>();
        for (RecordComponent component : type.getRecordComponents()) {
            components.put(component.getName(), component);
        }
        for (String name : new ArrayList<>(node.propertyNames())) {
            String fieldPath = path + "." + name;
            RecordComponent component = components.get(name);
            if (component == null) {
                problems.add(new FieldProblem(fieldPath, "is not a known field"));
                node.remove(name);
                continue;
            }
            JsonNode value = node.get(name);
            if (value.isNull()) {
                continue;
            }
            JsonNode checked = checkValue(value, component.getGenericType(), fieldPath, problems);
            if (checked == null) {
                node.remove(name);
            } else {
                node.set(name, checked);
            }
        }
    }

    /** The value to keep (possibly normalised), or null when it is of the wrong type. */
    private static JsonNode checkValue(JsonNode value, Type type, String path, List<FieldProblem> problems) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == String.class) {
            return expect(value.isString(), value, path, "must be a string", problems);
        }
        if (raw == java.util.UUID.class) {
            if (value.isString()) {
                try {
                    java.util.UUID.fromString(value.asString());
                    return value;
                } catch (IllegalArgumentException e) {
                    // fall through to the problem
                }
            }
            problems.add(new FieldProblem(path, "must be a UUID string"));
            return null;
        }
        if (raw == Integer.class || raw == int.class) {
            if (value.isNumber()) {
                BigDecimal decimal = value.decimalValue();
                if (isWhole(decimal) && decimal.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0
                        && decimal.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) >= 0) {
                    return JsonNodeFactory.instance.numberNode(decimal.intValueExact());
                }
            }
            problems.add(new FieldProblem(path, "must be a whole number (32-bit)"));
            return null;
        }
        if (raw == Long.class || raw == long.class) {
            if (value.isNumber()) {
                BigDecimal decimal = value.decimalValue();
                if (isWhole(decimal) && decimal.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0
                        && decimal.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0) {
                    return JsonNodeFactory.instance.numberNode(decimal.longValueExact());
                }
            }
            problems.add(new FieldProblem(path, "must be a whole number (64-bit)"));
            return null;
        }
        if (raw == Double.class || raw == double.class) {
            return expect(value.isNumber(), value, path, "must be a number", problems);
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return expect(value.isBoolean(), value, path, "must be true or false", problems);
        }
        if (Map.class.isAssignableFrom(raw)) {
            if (!value.isObject()) {
                problems.add(new FieldProblem(path, "must be an object"));
                return null;
            }
            Type valueType = ((ParameterizedType) type).getActualTypeArguments()[1];
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            boolean ok = true;
            for (Map.Entry<String, JsonNode> entry : value.properties()) {
                String entryPath = path + "." + entry.getKey();
                if (entry.getValue().isNull()) {
                    problems.add(new FieldProblem(entryPath, "must not be null"));
                    ok = false;
                    continue;
                }
                JsonNode checked = checkValue(entry.getValue(), valueType, entryPath, problems);
                if (checked == null) {
                    ok = false;
                } else {
                    out.set(entry.getKey(), checked);
                }
            }
            return ok ? out : null;
        }
        if (List.class.isAssignableFrom(raw)) {
            if (!value.isArray()) {
                problems.add(new FieldProblem(path, "must be an array"));
                return null;
            }
            Type elementType = ((ParameterizedType) type).getActualTypeArguments()[0];
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            boolean ok = true;
            for (int i = 0; i < value.size(); i++) {
                String elementPath = path + "[" + i + "]";
                if (value.get(i).isNull()) {
                    problems.add(new FieldProblem(elementPath, "must not be null"));
                    ok = false;
                    continue;
                }
                JsonNode checked = checkValue(value.get(i), elementType, elementPath, problems);
                if (checked == null) {
                    ok = false;
                } else {
                    out.add(checked);
                }
            }
            return ok ? out : null;
        }
        if (raw.isRecord()) {
            if (!value.isObject()) {
                problems.add(new FieldProblem(path, "must be an object"));
                return null;
            }
            ObjectNode copy = (ObjectNode) value.deepCopy();
            checkRecord(copy, raw, path, problems);
            return copy;
        }
        throw new IllegalStateException("the spec reader does not know the type " + type + " of " + path);
    }

    private static JsonNode expect(boolean ok, JsonNode value, String path, String message, List<FieldProblem> problems) {
        if (ok) {
            return value;
        }
        problems.add(new FieldProblem(path, message));
        return null;
    }

    private static boolean isWhole(BigDecimal value) {
        return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    }

    // ---- values ------------------------------------------------------------------------------

    /** Every problem of a defaults-filled spec, in field order; paths start with {@code root}. */
    public static List<FieldProblem> check(ExperimentSpec spec, String root) {
        return check(spec, root, ModelCatalog::dataset);
    }

    public static List<FieldProblem> check(ExperimentSpec spec, String root,
            Function<String, Optional<ModelCatalog.DatasetInfo>> datasets) {
        List<FieldProblem> problems = new ArrayList<>();
        if (spec.schemaVersion() != ExperimentSpec.CURRENT_SCHEMA_VERSION) {
            problems.add(new FieldProblem(root + ".schemaVersion",
                    "must be " + ExperimentSpec.CURRENT_SCHEMA_VERSION + " (the schema version this server reads)"));
        }
        var model = ModelCatalog.model(spec.model());
        var dataset = spec.dataset() == null ? Optional.<ModelCatalog.DatasetInfo>empty() : datasets.apply(spec.dataset());
        if (model.isEmpty()) {
            problems.add(new FieldProblem(root + ".model", "must be one of " + String.join(", ", ModelCatalog.modelNames())));
        }
        if (dataset.isEmpty()) {
            problems.add(new FieldProblem(root + ".dataset", "must be one of " + String.join(", ", ModelCatalog.datasetNames())
                    + " or the id of a registered dataset (GET /api/v1/datasets)"));
        }
        if (model.isPresent() && dataset.isPresent() && !ModelCatalog.compatible(model.get(), dataset.get())) {
            problems.add(new FieldProblem(root + ".dataset", "does not fit model " + model.get().name()
                    + " (its images are " + dataset.get().inputShape() + ", the model takes " + model.get().inputShape()
                    + (model.get().otherInputShapes().isEmpty() ? "" : " or " + model.get().otherInputShapes()) + ")"));
        }
        checkTraining(spec.training(), root + ".training", problems);
        if (model.isPresent()) {
            checkDropoutSlots(spec.training().objective(), spec.model(), root + ".training.objective", problems);
        }
        checkPruning(spec.pruning(), model.orElse(null), root + ".pruning", problems);
        checkRewind(spec.rewind(), spec.training(), root + ".rewind", problems);
        checkEvaluation(spec.evaluation(), root + ".evaluation", problems);
        if (spec.transfer() != null) {
            checkTransfer(spec, root, problems);
        }
        if (!ExperimentSpec.INITIALIZERS.contains(spec.initializer())) {
            problems.add(new FieldProblem(root + ".initializer", "must be one of " + String.join(", ", ExperimentSpec.INITIALIZERS)));
        }
        Set<String> controls = new HashSet<>();
        for (int i = 0; i < spec.controls().size(); i++) {
            String control = spec.controls().get(i);
            if (!ExperimentSpec.CONTROLS.contains(control)) {
                problems.add(new FieldProblem(root + ".controls[" + i + "]", "must be one of " + String.join(", ", ExperimentSpec.CONTROLS)));
            } else if (!controls.add(control)) {
                problems.add(new FieldProblem(root + ".controls[" + i + "]", "names " + control + " twice"));
            }
        }
        if (spec.sparseTraining() != null) {
            checkSparseTraining(spec, model.orElse(null), root, problems);
        }
        return problems;
    }

    public static final int MAX_SNAPSHOT_STEPS = 100;
    public static final int MAX_RANDOM_MASK_DENOMINATOR = 1_000_000;

    /**
     * A sparse-training spec: the section's values, and the rest of the spec fitting a run that
     * makes one sparse ticket per seed at level 0 (no IMP levels, target sparsity, per-layer
     * fractions or controls; the rewind point is the initialisation).
     */
    private static void checkSparseTraining(ExperimentSpec spec, ModelCatalog.ModelInfo model, String root,
            List<FieldProblem> problems) {
        SparseTrainingSpec sparse = spec.sparseTraining();
        String path = root + ".sparseTraining";
        if (!SparseTrainingSpec.METHODS.contains(sparse.method())) {
            problems.add(new FieldProblem(path + ".method", "must be one of " + String.join(", ", SparseTrainingSpec.METHODS)));
        } else {
            for (String field : sparse.foreignFields()) {
                problems.add(new FieldProblem(path + "." + field, "is not used by method " + sparse.method()));
            }
        }
        if (sparse.sparsity() == null) {
            problems.add(new FieldProblem(path + ".sparsity", "is required (the target sparsity over the prunable tensors not ignored)"));
        } else if (!(sparse.sparsity() > 0 && sparse.sparsity() < 1)) {
            problems.add(new FieldProblem(path + ".sparsity", "must be > 0 and < 1"));
        }
        if (!SparseTrainingSpec.DISTRIBUTIONS.contains(sparse.distribution())) {
            problems.add(new FieldProblem(path + ".distribution",
                    "must be one of " + String.join(", ", SparseTrainingSpec.DISTRIBUTIONS)));
        }
        if (sparse.updateInterval() != null && sparse.updateInterval() < 1) {
            problems.add(new FieldProblem(path + ".updateInterval", "must be at least 1 (steps)"));
        }
        if (sparse.endFraction() != null && !(sparse.endFraction() > 0 && sparse.endFraction() <= 1)) {
            problems.add(new FieldProblem(path + ".endFraction", "must be > 0 and <= 1"));
        }
        if (sparse.dropFraction() != null && !(sparse.dropFraction() > 0 && sparse.dropFraction() < 1)) {
            problems.add(new FieldProblem(path + ".dropFraction", "must be > 0 and < 1"));
        }
        if (sparse.dropSchedule() != null && !SparseTrainingSpec.DROP_SCHEDULES.contains(sparse.dropSchedule())) {
            problems.add(new FieldProblem(path + ".dropSchedule",
                    "must be one of " + String.join(", ", SparseTrainingSpec.DROP_SCHEDULES)));
        }
        if (sparse.randomMaskDenominator() != null
                && (sparse.randomMaskDenominator() < 2 || sparse.randomMaskDenominator() > MAX_RANDOM_MASK_DENOMINATOR)) {
            problems.add(new FieldProblem(path + ".randomMaskDenominator",
                    "must be between 2 and " + MAX_RANDOM_MASK_DENOMINATOR));
        }
        int epochs = spec.training().epochs();
        if (sparse.averageFromEpoch() != null && epochs >= 1
                && (sparse.averageFromEpoch() < 1 || sparse.averageFromEpoch() > epochs)) {
            problems.add(new FieldProblem(path + ".averageFromEpoch", "must be between 1 and the training budget of "
                    + epochs + " epochs"));
        }
        if (sparse.averaging() != null && !SparseTrainingSpec.AVERAGINGS.contains(sparse.averaging())) {
            problems.add(new FieldProblem(path + ".averaging", "must be one of " + String.join(", ", SparseTrainingSpec.AVERAGINGS)));
        }
        List<Integer> steps = sparse.snapshotSteps();
        if (steps.size() > MAX_SNAPSHOT_STEPS) {
            problems.add(new FieldProblem(path + ".snapshotSteps", "must name at most " + MAX_SNAPSHOT_STEPS + " steps"));
        }
        int previous = 0;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) <= previous) {
                problems.add(new FieldProblem(path + ".snapshotSteps[" + i + "]", "must be > 0 and above the step before it"));
            }
            previous = Math.max(previous, steps.get(i));
        }

        PruningSpec pruning = spec.pruning();
        if (pruning.levels() != 0) {
            problems.add(new FieldProblem(root + ".pruning.levels",
                    "must be 0 with sparseTraining (it makes one sparse ticket per seed at level 0, no IMP levels)"));
        }
        if (pruning.targetSparsity() != null) {
            problems.add(new FieldProblem(root + ".pruning.targetSparsity",
                    "is not used with sparseTraining; its target is sparseTraining.sparsity"));
        }
        if (!pruning.layerFractions().isEmpty()) {
            problems.add(new FieldProblem(root + ".pruning.layerFractions",
                    "is not used with sparseTraining; its layer densities come from sparseTraining.distribution"));
        }
        boolean reportedByPruning = pruning.levels() > 0 || pruning.targetSparsity() != null;
        if (model != null && !reportedByPruning && new HashSet<>(pruning.ignore()).containsAll(model.prunableTensors())) {
            problems.add(new FieldProblem(root + ".pruning.ignore", "leaves no tensor to train sparsely"));
        }
        if (!spec.controls().isEmpty()) {
            problems.add(new FieldProblem(root + ".controls", "controls are trained for IMP levels >= 1; sparse training has none"));
        }
        if (spec.rewind().step() != null && spec.rewind().step() != 0) {
            problems.add(new FieldProblem(root + ".rewind.step",
                    "must be 0 with sparseTraining (its ticket's rewind point is the initialisation)"));
        }
    }

    /**
     * {@code vwcc} and {@code lwcc-si} put their dropout in the model's dropout slots: with
     * {@code hidden}, after the hidden activations of the fully connected part; with
     * {@code hidden-and-conv}, also after its convolutional blocks, which that placement requires.
     */
    private static void checkDropoutSlots(ObjectiveSpec objective, String model, String path, List<FieldProblem> problems) {
        if (!objective.stochasticPasses() || !ObjectiveSpec.DROPOUT_PLACEMENTS.contains(objective.dropoutPlacement())) {
            return;
        }
        boolean hidden = ModelCatalog.HIDDEN_DROPOUT_MODELS.contains(model);
        boolean conv = ModelCatalog.CONV_DROPOUT_MODELS.contains(model);
        boolean dropout = objective.dropout() != null && objective.dropout() > 0;
        if (objective.convDropout()) {
            if (!conv) {
                problems.add(new FieldProblem(path + ".dropoutPlacement", ObjectiveSpec.DROPOUT_HIDDEN_AND_CONV
                        + " needs convolutional blocks, and " + model + " has none; use " + ObjectiveSpec.DROPOUT_HIDDEN
                        + " or one of " + String.join(", ", new TreeSet<>(ModelCatalog.CONV_DROPOUT_MODELS))));
            }
        } else if (dropout && !hidden) {
            problems.add(new FieldProblem(path + ".kind", objective.kind() + " needs dropout, and " + model
                    + " has no hidden fully connected layer to put it after; use one of "
                    + String.join(", ", new TreeSet<>(ModelCatalog.HIDDEN_DROPOUT_MODELS))
                    + (conv ? ", or dropoutPlacement " + ObjectiveSpec.DROPOUT_HIDDEN_AND_CONV
                            + " to put it after the convolutional blocks" : "")));
        }
    }

    private static void checkTraining(TrainingSpec training, String path, List<FieldProblem> problems) {
        if (!List.of(TrainingSpec.SGD, TrainingSpec.ADAM, TrainingSpec.ADAMW).contains(training.optimizer())) {
            problems.add(new FieldProblem(path + ".optimizer", "must be one of sgd, adam, adamw"));
        }
        if (!(Double.isFinite(training.learningRate()) && training.learningRate() > 0)) {
            problems.add(new FieldProblem(path + ".learningRate", "must be a finite number > 0"));
        }
        if (!(training.momentum() >= 0 && training.momentum() < 1)) {
            problems.add(new FieldProblem(path + ".momentum", "must be >= 0 and < 1"));
        }
        if (!(Double.isFinite(training.weightDecay()) && training.weightDecay() >= 0)) {
            problems.add(new FieldProblem(path + ".weightDecay", "must be a finite number >= 0"));
        }
        if (training.batchSize() < 1 || training.batchSize() > MAX_BATCH_SIZE) {
            problems.add(new FieldProblem(path + ".batchSize", "must be between 1 and " + MAX_BATCH_SIZE));
        }
        if (training.epochs() < 1 || training.epochs() > MAX_EPOCHS) {
            problems.add(new FieldProblem(path + ".epochs", "must be between 1 and " + MAX_EPOCHS));
        }
        if (training.nesterov() && !(TrainingSpec.SGD.equals(training.optimizer()) && training.momentum() > 0)) {
            problems.add(new FieldProblem(path + ".nesterov", "needs optimizer sgd with momentum > 0"));
        }
        checkSchedule(training.schedule(), training, path + ".schedule", problems);
        checkObjective(training.objective(), path + ".objective", problems);
    }

    public static final int MAX_OBJECTIVE_PASSES = 100;
    public static final int MAX_NBA_BINS = 1_000;

    private static void checkObjective(ObjectiveSpec objective, String path, List<FieldProblem> problems) {
        if (!ObjectiveSpec.KINDS.contains(objective.kind())) {
            problems.add(new FieldProblem(path + ".kind", "must be one of " + String.join(", ", ObjectiveSpec.KINDS)));
            return;
        }
        for (String field : objective.foreignFields()) {
            problems.add(new FieldProblem(path + "." + field, "is not used by kind " + objective.kind()));
        }
        if (objective.alpha() != null && !(Double.isFinite(objective.alpha()) && objective.alpha() > 0)) {
            problems.add(new FieldProblem(path + ".alpha", "must be a finite number > 0"));
        }
        if (objective.passes() != null && (objective.passes() < 1 || objective.passes() > MAX_OBJECTIVE_PASSES)) {
            problems.add(new FieldProblem(path + ".passes", "must be between 1 and " + MAX_OBJECTIVE_PASSES));
        }
        if (objective.dropout() != null && !(objective.dropout() >= 0 && objective.dropout() < 1)) {
            problems.add(new FieldProblem(path + ".dropout", "must be >= 0 and < 1"));
        }
        if (objective.dropoutPlacement() != null && !ObjectiveSpec.DROPOUT_PLACEMENTS.contains(objective.dropoutPlacement())) {
            problems.add(new FieldProblem(path + ".dropoutPlacement",
                    "must be one of " + String.join(", ", ObjectiveSpec.DROPOUT_PLACEMENTS)));
        }
        nonNegative(objective.lambda(), path + ".lambda", problems);
        nonNegative(objective.gammaD(), path + ".gammaD", problems);
        nonNegative(objective.gammaN(), path + ".gammaN", problems);
        if (objective.weighting() != null && !ObjectiveSpec.WEIGHTINGS.contains(objective.weighting())) {
            problems.add(new FieldProblem(path + ".weighting", "must be one of " + String.join(", ", ObjectiveSpec.WEIGHTINGS)));
        }
        nonNegative(objective.gamma(), path + ".gamma", problems);
        if (objective.epsilon() != null && !(objective.epsilon() >= 0 && objective.epsilon() < 1)) {
            problems.add(new FieldProblem(path + ".epsilon", "must be >= 0 and < 1"));
        }
        if (objective.bins() != null && (objective.bins() < 2 || objective.bins() > MAX_NBA_BINS)) {
            problems.add(new FieldProblem(path + ".bins", "must be between 2 and " + MAX_NBA_BINS));
        }
        if (objective.bandwidth() != null && !(Double.isFinite(objective.bandwidth()) && objective.bandwidth() > 0)) {
            problems.add(new FieldProblem(path + ".bandwidth", "must be a finite number > 0"));
        }
        if (objective.binWeights() != null) {
            if (objective.bins() != null && objective.binWeights().size() != objective.bins()) {
                problems.add(new FieldProblem(path + ".binWeights", "must have one weight per bin (" + objective.bins() + ")"));
            }
            for (int i = 0; i < objective.binWeights().size(); i++) {
                double w = objective.binWeights().get(i);
                if (!(Double.isFinite(w) && w >= 0)) {
                    problems.add(new FieldProblem(path + ".binWeights[" + i + "]", "must be a finite number >= 0"));
                }
            }
        }
    }

    private static void nonNegative(Double value, String path, List<FieldProblem> problems) {
        if (value != null && !(Double.isFinite(value) && value >= 0)) {
            problems.add(new FieldProblem(path, "must be a finite number >= 0"));
        }
    }

    private static void checkSchedule(LearningRateSchedule schedule, TrainingSpec training, String path,
            List<FieldProblem> problems) {
        List<String> kinds = List.of(LearningRateSchedule.CONSTANT, LearningRateSchedule.STEP, LearningRateSchedule.COSINE);
        List<String> units = List.of(LearningRateSchedule.EPOCHS, LearningRateSchedule.ITERATIONS);
        if (!kinds.contains(schedule.kind())) {
            problems.add(new FieldProblem(path + ".kind", "must be one of " + String.join(", ", kinds)));
        }
        if (!units.contains(schedule.unit())) {
            problems.add(new FieldProblem(path + ".unit", "must be one of epochs, iterations"));
        }
        if (!units.contains(schedule.warmupUnit())) {
            problems.add(new FieldProblem(path + ".warmupUnit", "must be one of epochs, iterations"));
        }
        if (!(Double.isFinite(schedule.gamma()) && schedule.gamma() > 0 && schedule.gamma() <= 1)) {
            problems.add(new FieldProblem(path + ".gamma", "must be > 0 and <= 1"));
        }
        if (LearningRateSchedule.STEP.equals(schedule.kind()) && schedule.milestones().isEmpty()) {
            problems.add(new FieldProblem(path + ".milestones", "must name at least one step for kind step"));
        }
        if (!schedule.milestones().isEmpty() && !LearningRateSchedule.STEP.equals(schedule.kind())) {
            problems.add(new FieldProblem(path + ".milestones", "are only used by kind step"));
        }
        int previous = 0;
        for (int i = 0; i < schedule.milestones().size(); i++) {
            int milestone = schedule.milestones().get(i);
            if (milestone <= previous) {
                problems.add(new FieldProblem(path + ".milestones[" + i + "]", "must be > 0 and above the milestone before it"));
            } else if (LearningRateSchedule.EPOCHS.equals(schedule.unit()) && milestone >= training.epochs()) {
                problems.add(new FieldProblem(path + ".milestones[" + i + "]",
                        "must be below the training budget of " + training.epochs() + " epochs"));
            }
            previous = Math.max(previous, milestone);
        }
        if (schedule.warmup() < 0) {
            problems.add(new FieldProblem(path + ".warmup", "must be >= 0"));
        } else if (LearningRateSchedule.EPOCHS.equals(schedule.warmupUnit()) && schedule.warmup() > training.epochs()) {
            problems.add(new FieldProblem(path + ".warmup", "must be at most the training budget of " + training.epochs() + " epochs"));
        }
    }

    private static void checkPruning(PruningSpec pruning, ModelCatalog.ModelInfo model, String path, List<FieldProblem> problems) {
        if (!List.of(PruningSpec.GLOBAL, PruningSpec.LAYERWISE).contains(pruning.scope())) {
            problems.add(new FieldProblem(path + ".scope", "must be one of global, layerwise"));
        }
        if (!(pruning.fraction() > 0 && pruning.fraction() < 1)) {
            problems.add(new FieldProblem(path + ".fraction", "must be > 0 and < 1"));
        }
        if (pruning.levels() < 0 || pruning.levels() > MAX_LEVELS) {
            problems.add(new FieldProblem(path + ".levels", "must be between 0 and " + MAX_LEVELS));
        }
        String tensors = model == null ? "" : " (" + String.join(", ", model.prunableTensors()) + ")";
        for (Map.Entry<String, Double> entry : new TreeMap<>(pruning.layerFractions()).entrySet()) {
            String entryPath = path + ".layerFractions." + entry.getKey();
            if (model != null && !model.isPrunable(entry.getKey())) {
                problems.add(new FieldProblem(entryPath, "is not a prunable tensor of " + model.name() + tensors));
            }
            if (!(entry.getValue() >= 0 && entry.getValue() < 1)) {
                problems.add(new FieldProblem(entryPath, "must be >= 0 and < 1"));
            }
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < pruning.ignore().size(); i++) {
            String name = pruning.ignore().get(i);
            String elementPath = path + ".ignore[" + i + "]";
            if (model != null && !model.isPrunable(name)) {
                problems.add(new FieldProblem(elementPath, "is not a prunable tensor of " + model.name() + tensors));
            }
            if (!seen.add(name)) {
                problems.add(new FieldProblem(elementPath, "names " + name + " twice"));
            }
            if (pruning.layerFractions().containsKey(name)) {
                problems.add(new FieldProblem(elementPath, "is also given a fraction in layerFractions"));
            }
        }
        if (model != null && (pruning.levels() > 0 || pruning.targetSparsity() != null)
                && seen.containsAll(model.prunableTensors())) {
            problems.add(new FieldProblem(path + ".ignore", "leaves nothing to prune"));
        }
        if (pruning.targetSparsity() != null && !(pruning.targetSparsity() > 0 && pruning.targetSparsity() < 1)) {
            problems.add(new FieldProblem(path + ".targetSparsity", "must be > 0 and < 1"));
        }
        if (!List.of(PruningSpec.IGNORED_EXCLUDED, PruningSpec.IGNORED_INCLUDED).contains(pruning.counting())) {
            problems.add(new FieldProblem(path + ".counting", "must be one of ignored-excluded, ignored-included"));
        } else if (PruningSpec.IGNORED_INCLUDED.equals(pruning.counting()) && !PruningSpec.GLOBAL.equals(pruning.scope())) {
            problems.add(new FieldProblem(path + ".counting", "ignored-included (open_lth's convention) applies to scope global only"));
        }
        if (!PruningSpec.STRATEGIES.contains(pruning.strategy())) {
            problems.add(new FieldProblem(path + ".strategy", "must be one of " + String.join(", ", PruningSpec.STRATEGIES)));
        } else if (pruning.oneShot() && pruning.targetSparsity() == null) {
            problems.add(new FieldProblem(path + ".targetSparsity", "is required by strategy " + pruning.strategy()
                    + " (one-shot pruning to it)"));
        }
        if (!PruningSpec.LAYER_DISTRIBUTIONS.contains(pruning.layerDistribution())) {
            problems.add(new FieldProblem(path + ".layerDistribution", "must be one of "
                    + String.join(", ", PruningSpec.LAYER_DISTRIBUTIONS)));
        } else if (PruningSpec.ERK.equals(pruning.layerDistribution())
                && (!pruning.oneShot() || !PruningSpec.LAYERWISE.equals(pruning.scope()))) {
            problems.add(new FieldProblem(path + ".layerDistribution", "erk applies to a one-shot strategy with scope "
                    + "layerwise (" + String.join(", ", PruningSpec.ONE_SHOT) + ")"));
        }
        if (pruning.oneShot() && !PruningSpec.OMP.equals(pruning.strategy()) && !pruning.layerFractions().isEmpty()) {
            problems.add(new FieldProblem(path + ".layerFractions", "are IMP's per-level rates; strategy "
                    + pruning.strategy() + " spreads the kept weights by layerDistribution"));
        }
        if (pruning.scoreSamplesPerClass() < 1 || pruning.scoreSamplesPerClass() > MAX_SCORE_SAMPLES_PER_CLASS) {
            problems.add(new FieldProblem(path + ".scoreSamplesPerClass", "must be between 1 and "
                    + MAX_SCORE_SAMPLES_PER_CLASS));
        }
        if (pruning.synflowRounds() < 1 || pruning.synflowRounds() > MAX_SYNFLOW_ROUNDS) {
            problems.add(new FieldProblem(path + ".synflowRounds", "must be between 1 and " + MAX_SYNFLOW_ROUNDS));
        }
    }

    private static void checkRewind(RewindSpec rewind, TrainingSpec training, String path, List<FieldProblem> problems) {
        if (!List.of(RewindSpec.REWIND, RewindSpec.REINIT).contains(rewind.mode())) {
            problems.add(new FieldProblem(path + ".mode", "must be one of rewind, reinit"));
        }
        boolean knownUnit = List.of(RewindSpec.ITERATIONS, RewindSpec.EPOCHS).contains(rewind.unit());
        if (!knownUnit) {
            problems.add(new FieldProblem(path + ".unit", "must be one of iterations, epochs"));
        }
        if (rewind.step() < 0) {
            problems.add(new FieldProblem(path + ".step", "must be >= 0"));
        } else if (RewindSpec.EPOCHS.equals(rewind.unit()) && training.epochs() >= 1 && rewind.step() >= training.epochs()) {
            // levels after the first retrain from the rewind step to the end: it must leave something to train
            problems.add(new FieldProblem(path + ".step", "must be below the training budget of " + training.epochs() + " epochs"));
        }
    }

    /** A transfer experiment retrains its sources once each: no IMP levels, one-shot pruning, sparse training or controls. */
    private static void checkTransfer(ExperimentSpec spec, String root, List<FieldProblem> problems) {
        List<String> sources = spec.transfer().sourceTickets();
        String mask = spec.transfer().sourceMask();
        if (mask != null) {
            if (!sources.isEmpty()) {
                problems.add(new FieldProblem(root + ".transfer.sourceTickets", "must be empty when sourceMask is given"));
            }
            try {
                java.util.UUID.fromString(mask);
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem(root + ".transfer.sourceMask", "must be a mask id"));
            }
        } else if (sources.isEmpty() || sources.size() > io.ticketfoundry.common.spec.TransferSpec.MAX_SOURCES) {
            problems.add(new FieldProblem(root + ".transfer.sourceTickets", "must name 1 to "
                    + io.ticketfoundry.common.spec.TransferSpec.MAX_SOURCES + " tickets"));
        }
        for (int i = 0; i < sources.size(); i++) {
            try {
                java.util.UUID.fromString(String.valueOf(sources.get(i)));
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem(root + ".transfer.sourceTickets[" + i + "]", "must be a ticket id"));
            }
        }
        if (spec.pruning().levels() != 0 || spec.pruning().targetSparsity() != null
                || !PruningSpec.IMP.equals(spec.pruning().strategy())) {
            problems.add(new FieldProblem(root + ".pruning", "a transfer retrains its sources: levels 0, no targetSparsity, "
                    + "strategy imp"));
        }
        if (spec.sparseTraining() != null) {
            problems.add(new FieldProblem(root + ".sparseTraining", "cannot be combined with a transfer"));
        }
        if (!spec.controls().isEmpty()) {
            problems.add(new FieldProblem(root + ".controls", "cannot be combined with a transfer (use randomTickets)"));
        }
    }

    private static void checkEvaluation(EvaluationSpec evaluation, String path, List<FieldProblem> problems) {
        if (evaluation.eceBins() < 1 || evaluation.eceBins() > MAX_ECE_BINS) {
            problems.add(new FieldProblem(path + ".eceBins", "must be between 1 and " + MAX_ECE_BINS));
        }
        if (!EvaluationSpec.EDGE_RULES.contains(evaluation.eceEdges())) {
            problems.add(new FieldProblem(path + ".eceEdges", "must be one of " + String.join(", ", EvaluationSpec.EDGE_RULES)));
        }
        if (!EvaluationSpec.BINNINGS.contains(evaluation.binning())) {
            problems.add(new FieldProblem(path + ".binning", "must be one of " + String.join(", ", EvaluationSpec.BINNINGS)));
        }
    }
}
