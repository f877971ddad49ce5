package io.ticketfoundry.api.sweep;

import io.ticketfoundry.api.experiment.ExperimentService;
import io.ticketfoundry.api.experiment.SpecHasher;
import io.ticketfoundry.api.experiment.SpecValidator;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.web.ApiException;
import io.ticketfoundry.api.web.FieldProblem;
import io.ticketfoundry.common.spec.ExperimentSpec;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A sweep: the cross product of a grid over named spec fields, each point an ordinary experiment
 * (with its identity hash, so a point the team already has is returned, not made again), all
 * created in one transaction with the same replicate seeds. Every point is validated before
 * anything is stored; a value's problem is named by its grid entry, e.g.
 * {@code grid.training.learningRate[1]}.
 */
@Service
public class SweepService {

    public static final int MAX_EXPERIMENTS = 64;

    /** One experiment of a sweep: its grid values, and whether this sweep created it. */
    public record SweepExperiment(UUID experimentId, String specHash, boolean created, Map<String, JsonNode> point) {
    }

    public record SweepView(UUID id, String name, List<SweepExperiment> experiments, Instant createdAt) {
    }

    private final ExperimentService experiments;
    private final JdbcClient jdbc;
    private final JsonMapper json;

    public SweepService(ExperimentService experiments, JdbcClient jdbc, JsonMapper json) {
        this.experiments = experiments;
        this.jdbc = jdbc;
        this.json = json;
    }

    @Transactional
    public SweepView create(Caller caller, SweepRequest request) {
        caller.requireWriter();
        List<FieldProblem> problems = new ArrayList<>();
        String name = ExperimentService.readName(request.name(), "name", problems);
        JsonNode base = ExperimentService.withPreset(request.preset(), request.spec(), "preset", problems);
        if (base != null && !base.isNull() && !base.isObject()) {
            problems.add(new FieldProblem("spec", "must be an object"));
        }
        List<Long> seeds = ExperimentService.readSeeds(request.seeds(), problems);
        Map<String, List<String>> paths = new LinkedHashMap<>();
        Map<String, List<JsonNode>> grid = readGrid(request.grid(), paths, problems);
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }

        List<Map<String, Integer>> points = product(grid);
        List<ObjectNode> specs = new ArrayList<>();
        List<ExperimentSpec> valid = new ArrayList<>();
        LinkedHashSet<FieldProblem> pointProblems = new LinkedHashSet<>();
        for (Map<String, Integer> point : points) {
            ObjectNode spec = base == null || base.isNull() ? JsonNodeFactory.instance.objectNode() : (ObjectNode) base.deepCopy();
            point.forEach((key, index) -> set(spec, paths.get(key), grid.get(key).get(index)));
            SpecValidator.Result result = SpecValidator.read(spec, "spec");
            for (FieldProblem problem : result.problems()) {
                pointProblems.add(rename(problem, point));
            }
            specs.add(spec);
            valid.add(result.spec());
        }
        if (!pointProblems.isEmpty()) {
            throw ApiException.invalid(List.copyOf(pointProblems));
        }

        UUID sweepId = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO sweep (id, team_id, name, request, created_by)
                VALUES (:id, :team, :name, CAST(:request AS jsonb), :createdBy)""")
                .param("id", sweepId).param("team", caller.teamId()).param("name", name)
                .param("request", json.writeValueAsString(json.valueToTree(request)))
                .param("createdBy", caller.tokenId())
                .update();
        List<SweepExperiment> out = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Map<String, JsonNode> values = new LinkedHashMap<>();
            points.get(i).forEach((key, index) -> values.put(key, grid.get(key).get(index)));
            String experimentName = experimentName(name, values);
            ExperimentService.Submission submission = experiments.store(caller, experimentName, specs.get(i), valid.get(i), seeds);
            jdbc.sql("""
                    INSERT INTO sweep_experiment (sweep_id, position, experiment_id, point)
                    VALUES (:sweep, :position, :experiment, CAST(:point AS jsonb))""")
                    .param("sweep", sweepId).param("position", i).param("experiment", submission.experiment().id())
                    .param("point", json.writeValueAsString(values))
                    .update();
            out.add(new SweepExperiment(submission.experiment().id(), submission.experiment().specHash(),
                    submission.created(), values));
        }
        Instant created = jdbc.sql("SELECT created_at FROM sweep WHERE id = :id").param("id", sweepId)
                .query(OffsetDateTime.class).single().toInstant();
        return new SweepView(sweepId, name, out, created);
    }

    public SweepView get(Caller caller, UUID id) {
        record Row(UUID team, String name, Instant createdAt) {
        }
        Row row = jdbc.sql("SELECT team_id, name, created_at FROM sweep WHERE id = :id").param("id", id)
                .query((rs, n) -> new Row(rs.getObject("team_id", UUID.class), rs.getString("name"),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                .optional().orElseThrow(() -> ApiException.notFound("sweep " + id));
        caller.requireReadable(row.team(), "sweep " + id);
        List<SweepExperiment> items = jdbc.sql("""
                SELECT s.experiment_id, e.spec_hash, s.point::text AS point FROM sweep_experiment s
                JOIN experiment e ON e.id = s.experiment_id WHERE s.sweep_id = :id ORDER BY s.position""")
                .param("id", id)
                .query((rs, n) -> new SweepExperiment(rs.getObject("experiment_id", UUID.class), rs.getString("spec_hash"),
                        false, pointOf(rs.getString("point"))))
                .list();
        return new SweepView(id, row.name(), items, row.createdAt());
    }

    private Map<String, JsonNode> pointOf(String text) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        json.readTree(text).properties().forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static Map<String, List<JsonNode>> readGrid(JsonNode grid, Map<String, List<String>> paths,
            List<FieldProblem> problems) {
        Map<String, List<JsonNode>> out = new LinkedHashMap<>();
        if (grid == null || grid.isNull() || grid.isMissingNode()) {
            problems.add(new FieldProblem("grid", "is required"));
            return out;
        }
        if (!grid.isObject() || grid.isEmpty()) {
            problems.add(new FieldProblem("grid", "must be an object of spec field paths to lists of values"));
            return out;
        }
        long size = 1;
        for (Map.Entry<String, JsonNode> entry : grid.properties()) {
            String field = "grid." + entry.getKey();
            List<String> path = specPath(entry.getKey());
            if (path == null) {
                problems.add(new FieldProblem(field, "is not a spec field (write a path such as training.learningRate)"));
                continue;
            }
            JsonNode values = entry.getValue();
            if (!values.isArray() || values.isEmpty()) {
                problems.add(new FieldProblem(field, "must be a non-empty array of values"));
                continue;
            }
            List<JsonNode> list = new ArrayList<>();
            values.forEach(list::add);
            paths.put(entry.getKey(), path);
            out.put(entry.getKey(), list);
            size *= list.size();
        }
        if (size > MAX_EXPERIMENTS) {
            problems.add(new FieldProblem("grid", "makes " + size + " experiments; at most " + MAX_EXPERIMENTS
                    + " per sweep"));
        }
        return out;
    }

    /**
     * The JSON path of a dotted spec field, resolved against the spec records so that a map key
     * may contain dots ({@code pruning.layerFractions.fc3.weight}); null when it names no field.
     */
    static List<String> specPath(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        List<String> path = new ArrayList<>();
        Class<?> type = ExperimentSpec.class;
        for (int i = 0; i < parts.length; i++) {
            if (type == null || !type.isRecord()) {
                return null;
            }
            RecordComponent found = null;
            for (RecordComponent component : type.getRecordComponents()) {
                if (component.getName().equals(parts[i])) {
                    found = component;
                }
            }
            if (found == null) {
                return null;
            }
            path.add(parts[i]);
            if (Map.class.isAssignableFrom(found.getType()) && i + 1 < parts.length) {
                path.add(String.join(".", java.util.Arrays.copyOfRange(parts, i + 1, parts.length)));
                return path;
            }
            type = found.getType().isRecord() ? found.getType() : null;
        }
        return path;
    }

    private static void set(ObjectNode spec, List<String> path, JsonNode value) {
        ObjectNode node = spec;
        for (int i = 0; i < path.size() - 1; i++) {
            JsonNode child = node.get(path.get(i));
            if (child == null || !child.isObject()) {
                child = node.putObject(path.get(i));
            }
            node = (ObjectNode) child;
        }
        node.set(path.get(path.size() - 1), value.deepCopy());
    }

    /** A problem at (or under) a grid field is named by the grid entry that set it. */
    private static FieldProblem rename(FieldProblem problem, Map<String, Integer> point) {
        for (Map.Entry<String, Integer> entry : point.entrySet()) {
            String specField = "spec." + entry.getKey();
            String field = problem.field();
            if (field.equals(specField) || field.startsWith(specField + ".") || field.startsWith(specField + "[")) {
                return new FieldProblem("grid." + entry.getKey() + "[" + entry.getValue() + "]"
                        + field.substring(specField.length()), problem.message());
            }
        }
        return problem;
    }

    private static List<Map<String, Integer>> product(Map<String, List<JsonNode>> grid) {
        List<Map<String, Integer>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<JsonNode>> entry : grid.entrySet()) {
            List<Map<String, Integer>> next = new ArrayList<>();
            for (Map<String, Integer> point : points) {
                for (int i = 0; i < entry.getValue().size(); i++) {
                    Map<String, Integer> extended = new LinkedHashMap<>(point);
                    extended.put(entry.getKey(), i);
                    next.add(extended);
                }
            }
            points = next;
        }
        return points;
    }

    private static String experimentName(String name, Map<String, JsonNode> values) {
        StringBuilder out = new StringBuilder(name);
        values.forEach((key, value) -> out.append(' ').append(key).append('=').append(SpecHasher.canonical(value)));
        String text = out.toString();
        return text.length() <= ExperimentService.MAX_NAME_LENGTH ? text : text.substring(0, ExperimentService.MAX_NAME_LENGTH);
    }
}
