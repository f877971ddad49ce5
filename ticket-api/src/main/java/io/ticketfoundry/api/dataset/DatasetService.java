package io.ticketfoundry.api.dataset;

import io.ticketfoundry.api.artifact.ArtifactService;
import io.ticketfoundry.api.artifact.ArtifactStore;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.web.ApiException;
import io.ticketfoundry.api.web.FieldProblem;
import io.ticketfoundry.common.dataset.BaseDatasets;
import io.ticketfoundry.common.dataset.DatasetRecipe;
import io.ticketfoundry.common.dataset.DatasetRef;
import io.ticketfoundry.common.dataset.DatasetUpload;
import io.ticketfoundry.common.spec.ModelCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dataset registry: base datasets (in code, {@link BaseDatasets}), derived datasets (recipes,
 * identified by their hash) and uploaded datasets (artifact files, team-scoped).
 */
@Service
public class DatasetService {

    public static final int MAX_NAME_LENGTH = 200;
    private static final Set<String> REQUEST_FIELDS = Set.of("name", "recipe");
    private static final Set<String> RECIPE_FIELDS = Set.of("kind", "base", "seed", "half", "perClass", "fraction",
            "corruption", "severity", "source", "trainFraction");

    /** The outcome of a registration: whether it made a new dataset, and the dataset. */
    public record Registration(boolean created, DatasetView dataset) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ArtifactService artifacts;
    private final TransactionTemplate transaction;

    public DatasetService(JdbcClient jdbc, JsonMapper json, ArtifactService artifacts, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.json = json;
        this.artifacts = artifacts;
        this.transaction = transaction;
    }

    // ---- reading ---------------------------------------------------------------------------

    public DatasetView.DatasetList list(Caller caller) {
        requireUser(caller);
        List<DatasetView> items = new ArrayList<>();
        for (BaseDatasets.Base base : BaseDatasets.all()) {
            items.add(baseView(base));
        }
        items.addAll(jdbc.sql(SELECT + " WHERE d.team_id IS NULL OR d.team_id = :team ORDER BY d.created_at, d.id")
                .param("team", caller.teamId())
                .query(this::row).list());
        return new DatasetView.DatasetList(items);
    }

    public DatasetView get(Caller caller, String id) {
        requireUser(caller);
        Optional<BaseDatasets.Base> base = BaseDatasets.named(id);
        if (base.isPresent()) {
            return baseView(base.get());
        }
        return find(caller.teamId(), id).orElseThrow(() -> ApiException.notFound("dataset " + id));
    }

    /** A dataset the team may name in a spec, as the spec validator needs it (classes and shape). */
    public Optional<ModelCatalog.DatasetInfo> lookup(UUID teamId, String id) {
        Optional<ModelCatalog.DatasetInfo> base = ModelCatalog.dataset(id);
        if (base.isPresent() || !(DatasetRecipe.isDerivedId(id) || DatasetUpload.isUploadId(id)) || teamId == null) {
            return base;
        }
        return find(teamId, id).map(v -> new ModelCatalog.DatasetInfo(v.id(), v.numClasses(), v.inputShape()));
    }

    /** The splits a dataset the team may name has: train and test, plus validation for validation-split recipes. */
    public List<String> splits(UUID teamId, String id) {
        if (ModelCatalog.dataset(id).isPresent()) {
            return List.of("train", "test");
        }
        return find(teamId, id).map(view -> view.recipe() != null
                        && DatasetRecipe.VALIDATION_SPLIT.equals(view.recipe().kind())
                        ? List.of("train", "validation", "test") : List.of("train", "test"))
                .orElse(List.of());
    }

    /**
     * What a worker needs to build an experiment's dataset; for an uploaded dataset (or a recipe
     * over one) its files become inputs of the job, so the worker may download them.
     */
    public DatasetRef refForJob(UUID experimentId, String datasetId, UUID jobId) {
        if (BaseDatasets.named(datasetId).isPresent()) {
            return DatasetRef.base(datasetId);
        }
        UUID teamId = jdbc.sql("SELECT team_id FROM experiment WHERE id = :id").param("id", experimentId)
                .query(UUID.class).single();
        Optional<DatasetView> view = find(teamId, datasetId);
        if (view.isEmpty()) {
            return null;
        }
        DatasetRef ref;
        if ("derived".equals(view.get().kind())) {
            DatasetRecipe recipe = view.get().recipe();
            DatasetUpload baseUpload = DatasetUpload.isUploadId(recipe.base())
                    ? find(teamId, recipe.base()).map(this::uploadOf).orElse(null) : null;
            ref = DatasetRef.derived(recipe, baseUpload);
        } else {
            ref = DatasetRef.upload(uploadOf(view.get()));
        }
        if (ref.upload() != null) {
            for (String sha : ref.upload().files().values()) {
                jdbc.sql("INSERT INTO job_artifact (job_id, sha256, role) VALUES (:job, :sha, 'input') ON CONFLICT DO NOTHING")
                        .param("job", jobId).param("sha", sha).update();
            }
        }
        return ref;
    }

    private DatasetUpload uploadOf(DatasetView view) {
        Map<String, String> files = new LinkedHashMap<>();
        view.files().forEach((role, file) -> files.put(role, file.sha256()));
        return new DatasetUpload(view.format(), view.numClasses(), view.inputShape(), files);
    }

    private Optional<DatasetView> find(UUID teamId, String id) {
        return jdbc.sql(SELECT + " WHERE d.id = :id AND (d.team_id IS NULL OR d.team_id = :team)")
                .param("id", id).param("team", teamId)
                .query(this::row).optional();
    }

    private static final String SELECT = """
            SELECT d.id, d.kind, d.name, d.base, d.description::text AS description, d.num_classes, d.input_shape,
                   d.team_id, d.created_at,
                   (SELECT json_object_agg(f.role, json_build_object('sha256', f.sha256, 'sizeBytes', f.size_bytes))::text
                      FROM dataset_file f WHERE f.scope = d.scope AND f.dataset_id = d.id) AS files
            FROM dataset d""";

    private DatasetView row(ResultSet rs, int n) throws SQLException {
        String id = rs.getString("id");
        String kind = rs.getString("kind");
        JsonNode description = json.readTree(rs.getString("description"));
        List<Integer> shape = new ArrayList<>();
        Array array = rs.getArray("input_shape");
        for (Object v : (Object[]) array.getArray()) {
            shape.add(((Number) v).intValue());
        }
        Map<String, DatasetView.FileView> files = null;
        DatasetRecipe recipe = null;
        String format = null;
        if ("derived".equals(kind)) {
            recipe = json.treeToValue(description, DatasetRecipe.class);
        } else {
            format = description.path("format").asString();
            files = new java.util.TreeMap<>();
            String fileJson = rs.getString("files");
            if (fileJson != null) {
                for (Map.Entry<String, JsonNode> e : json.readTree(fileJson).properties()) {
                    files.put(e.getKey(), new DatasetView.FileView(e.getValue().path("sha256").asString(),
                            e.getValue().path("sizeBytes").asLong()));
                }
            }
        }
        String hash = id.substring(id.indexOf('-') + 1);
        return new DatasetView(id, kind, rs.getString("name"), rs.getInt("num_classes"), shape, hash,
                rs.getString("base"), recipe, format, files, null, rs.getObject("team_id") == null,
                rs.getTimestamp("created_at").toInstant());
    }

    private static DatasetView baseView(BaseDatasets.Base base) {
        Map<String, DatasetView.FileView> files = new LinkedHashMap<>();
        base.files().forEach((name, sha) -> files.put(name, new DatasetView.FileView(sha, null)));
        return new DatasetView(base.name(), "base", base.name(), base.numClasses(), base.inputShape(),
                base.contentHash(), null, null, null, files, base.source(), true, null);
    }

    // ---- derived ---------------------------------------------------------------------------

    /** Registers a recipe: {@code {"name": optional, "recipe": {...}}}. The same recipe gives the same dataset. */
    public Registration register(Caller caller, JsonNode body) {
        caller.requireWriter();
        List<FieldProblem> problems = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("body", "must be an object {\"name\": ..., \"recipe\": {...}}");
        }
        for (String field : body.propertyNames()) {
            if (!REQUEST_FIELDS.contains(field)) {
                problems.add(new FieldProblem(field, "is not a known field"));
            }
        }
        String name = readName(body.get("name"), problems);
        JsonNode node = body.get("recipe");
        DatasetRecipe recipe = null;
        if (node == null || node.isNull()) {
            problems.add(new FieldProblem("recipe", "is required"));
        } else if (!node.isObject()) {
            problems.add(new FieldProblem("recipe", "must be an object"));
        } else {
            recipe = readRecipe(node, problems);
        }
        Optional<ModelCatalog.DatasetInfo> base = Optional.empty();
        if (recipe != null && problems.isEmpty()) {
            for (DatasetRecipe.Problem p : recipe.problems()) {
                problems.add(new FieldProblem("recipe." + p.field(), p.message()));
            }
            if (recipe.base() != null && !recipe.base().isBlank() && !DatasetRecipe.isDerivedId(recipe.base())) {
                base = ModelCatalog.dataset(recipe.base()).isPresent() ? ModelCatalog.dataset(recipe.base())
                        : DatasetUpload.isUploadId(recipe.base()) ? lookup(caller.teamId(), recipe.base()) : Optional.empty();
                if (base.isEmpty()) {
                    problems.add(new FieldProblem("recipe.base", "must be a base dataset ("
                            + String.join(", ", ModelCatalog.datasetNames()) + ") or one of the team's uploaded datasets"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        DatasetRecipe resolved = recipe.withDefaults();
        String id = resolved.id();
        UUID team = DatasetUpload.isUploadId(resolved.base()) ? caller.teamId() : null;
        ModelCatalog.DatasetInfo info = base.orElseThrow();
        boolean created = Boolean.TRUE.equals(transaction.execute(status -> insert(id, team, "derived", name,
                resolved.base(), json.writeValueAsString(resolved), info.numClasses(), info.inputShape(), caller)));
        return new Registration(created, find(caller.teamId(), id).orElseThrow());
    }

    private boolean insert(String id, UUID team, String kind, String name, String base, String description,
            int numClasses, List<Integer> shape, Caller caller) {
        return jdbc.sql("""
                INSERT INTO dataset (id, team_id, kind, name, base, description, num_classes, input_shape, created_by)
                VALUES (:id, :team, :kind, :name, :base, CAST(:description AS jsonb), :classes,
                        CAST(:shape AS integer[]), :createdBy)
                ON CONFLICT (scope, id) DO NOTHING""")
                .param("id", id).param("team", team).param("kind", kind).param("name", name).param("base", base)
                .param("description", description).param("classes", numClasses)
                .param("shape", "{" + String.join(",", shape.stream().map(String::valueOf).toList()) + "}")
                .param("createdBy", caller.tokenId())
                .update() == 1;
    }

    private static String readName(JsonNode node, List<FieldProblem> problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            problems.add(new FieldProblem("name", "must be a string"));
            return null;
        }
        String name = node.stringValue().strip();
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            problems.add(new FieldProblem("name", "must have 1 to " + MAX_NAME_LENGTH + " characters"));
        }
        return name;
    }

    private static DatasetRecipe readRecipe(JsonNode node, List<FieldProblem> problems) {
        int before = problems.size();
        for (String field : node.propertyNames()) {
            if (!RECIPE_FIELDS.contains(field)) {
                problems.add(new FieldProblem("recipe." + field, "is not a known field"));
            }
        }
        String kind = string(node, "kind", problems);
        String base = string(node, "base", problems);
        String half = string(node, "half", problems);
        Long seed = whole(node, "seed", Long.MAX_VALUE, problems);
        Long perClass = whole(node, "perClass", Integer.MAX_VALUE, problems);
        Double fraction = number(node, "fraction", problems);
        String corruption = string(node, "corruption", problems);
        Long severity = whole(node, "severity", Integer.MAX_VALUE, problems);
        String source = string(node, "source", problems);
        Double trainFraction = number(node, "trainFraction", problems);
        if (problems.size() > before) {
            return null;
        }
        return new DatasetRecipe(kind, base, seed, half, perClass == null ? null : perClass.intValue(), fraction,
                corruption, severity == null ? null : severity.intValue(), source, trainFraction);
    }

    private static Double number(JsonNode node, String field, List<FieldProblem> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            problems.add(new FieldProblem("recipe." + field, "must be a number"));
            return null;
        }
        return value.doubleValue();
    }

    private static String string(JsonNode node, String field, List<FieldProblem> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            problems.add(new FieldProblem("recipe." + field, "must be a string"));
            return null;
        }
        return value.stringValue();
    }

    private static Long whole(JsonNode node, String field, long max, List<FieldProblem> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            BigDecimal decimal = value.decimalValue();
            if (decimal.stripTrailingZeros().scale() <= 0 && decimal.compareTo(BigDecimal.valueOf(max)) <= 0
                    && decimal.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0) {
                return decimal.longValueExact();
            }
        }
        problems.add(new FieldProblem("recipe." + field, "must be a whole number"));
        return null;
    }

    // ---- uploads ---------------------------------------------------------------------------

    /**
     * Validates and stores an uploaded dataset: {@code format} idx (parts trainImages, trainLabels,
     * testImages, testLabels) or cifar10 / cifar100 (parts train, test). Every file goes to the
     * artifact store; the dataset is the team's. The same files give the same dataset (200).
     */
    public Registration upload(Caller caller, String format, String name, Integer numClasses, Map<String, MultipartFile> parts) {
        caller.requireWriter();
        List<FieldProblem> problems = new ArrayList<>();
        if (format == null || !DatasetUpload.FORMATS.contains(format)) {
            throw ApiException.invalid("format", "must be one of " + String.join(", ", DatasetUpload.FORMATS));
        }
        String cleanName = name == null ? null : name.strip();
        if (cleanName != null && (cleanName.isEmpty() || cleanName.length() > MAX_NAME_LENGTH)) {
            problems.add(new FieldProblem("name", "must have 1 to " + MAX_NAME_LENGTH + " characters"));
        }
        List<String> roles = DatasetUpload.roles(format);
        for (String part : parts.keySet()) {
            if (!roles.contains(part)) {
                problems.add(new FieldProblem(part, "is not a file of a " + format + " upload (expected " + roles + ")"));
            }
        }
        for (String role : roles) {
            if (parts.get(role) == null || parts.get(role).isEmpty()) {
                problems.add(new FieldProblem(role, "is required (a " + format + " upload has " + roles + ")"));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        long max = maxUploadSize();
        Map<String, UploadValidator.FileSummary> summaries = new LinkedHashMap<>();
        for (String role : roles) {
            MultipartFile file = parts.get(role);
            if (file.getSize() > max) {
                throw new ApiException(org.springframework.http.HttpStatus.CONTENT_TOO_LARGE, "Content Too Large",
                        role + " has " + file.getSize() + " bytes; a dataset file may have at most " + max);
            }
            UploadValidator.Kind kind = switch (format) {
                case DatasetUpload.IDX -> role.endsWith("Images") ? UploadValidator.Kind.IDX_IMAGES : UploadValidator.Kind.IDX_LABELS;
                case DatasetUpload.CIFAR100 -> UploadValidator.Kind.CIFAR100;
                default -> UploadValidator.Kind.CIFAR10;
            };
            try (InputStream in = file.getInputStream()) {
                summaries.put(role, UploadValidator.check(in, kind));
            } catch (UploadValidator.Invalid e) {
                problems.add(new FieldProblem(role, e.getMessage()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        int maxLabel = summaries.values().stream().mapToInt(UploadValidator.FileSummary::maxLabel).max().orElse(-1);
        List<Integer> shape;
        int classes;
        if (DatasetUpload.IDX.equals(format)) {
            UploadValidator.FileSummary trainImages = summaries.get("trainImages");
            UploadValidator.FileSummary testImages = summaries.get("testImages");
            if (trainImages.count() != summaries.get("trainLabels").count()) {
                problems.add(new FieldProblem("trainLabels", "has " + summaries.get("trainLabels").count()
                        + " labels for " + trainImages.count() + " images"));
            }
            if (testImages.count() != summaries.get("testLabels").count()) {
                problems.add(new FieldProblem("testLabels", "has " + summaries.get("testLabels").count()
                        + " labels for " + testImages.count() + " images"));
            }
            if (trainImages.rows() != testImages.rows() || trainImages.columns() != testImages.columns()) {
                problems.add(new FieldProblem("testImages", "has " + testImages.rows() + "x" + testImages.columns()
                        + " images, the training images are " + trainImages.rows() + "x" + trainImages.columns()));
            }
            shape = List.of(1, trainImages.rows(), trainImages.columns());
            classes = numClasses != null ? numClasses : Math.max(2, maxLabel + 1);
        } else {
            shape = List.of(3, 32, 32);
            classes = DatasetUpload.CIFAR100.equals(format) ? 100 : 10;
            if (numClasses != null && numClasses != classes) {
                problems.add(new FieldProblem("numClasses", "must be " + classes + " for " + format + " (or left out)"));
            }
        }
        if (numClasses != null && (numClasses < 2 || numClasses > 1000)) {
            problems.add(new FieldProblem("numClasses", "must be 2 to 1000"));
        } else if (maxLabel >= classes) {
            problems.add(new FieldProblem("numClasses", "is " + classes + " but a label is " + maxLabel));
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        Map<String, String> hashes = new LinkedHashMap<>();
        for (String role : roles) {
            MultipartFile file = parts.get(role);
            UploadValidator.FileSummary summary = summaries.get(role);
            ArtifactStore.StoredObject stored;
            try (InputStream in = file.getInputStream()) {
                stored = artifacts.store(in, file.getSize(), summary.sha256());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            transaction.executeWithoutResult(status -> artifacts.record(stored, "application/octet-stream"));
            hashes.put(role, stored.sha256());
        }
        DatasetUpload upload = new DatasetUpload(format, classes, shape, hashes);
        String id = upload.id();
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("format", format);
        description.put("numClasses", classes);
        description.put("inputShape", shape);
        description.put("files", new java.util.TreeMap<>(hashes));
        boolean created = Boolean.TRUE.equals(transaction.execute(status -> {
            boolean inserted = insert(id, caller.teamId(), "upload", cleanName, null, json.writeValueAsString(description),
                    classes, shape, caller);
            if (inserted) {
                for (String role : roles) {
                    jdbc.sql("""
                            INSERT INTO dataset_file (scope, dataset_id, role, sha256, size_bytes)
                            VALUES (:scope, :id, :role, :sha, :size)""")
                            .param("scope", caller.teamId().toString()).param("id", id).param("role", role)
                            .param("sha", hashes.get(role)).param("size", summaries.get(role).size())
                            .update();
                }
            }
            return inserted;
        }));
        return new Registration(created, find(caller.teamId(), id).orElseThrow());
    }

    private long maxUploadSize() {
        return artifacts.maxUploadSize();
    }

    private static void requireUser(Caller caller) {
        if (!caller.isUser()) {
            throw ApiException.forbidden("datasets are read with a team's token");
        }
    }
}
