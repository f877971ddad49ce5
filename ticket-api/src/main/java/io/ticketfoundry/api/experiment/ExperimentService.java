package io.ticketfoundry.api.experiment;

import io.ticketfoundry.api.audit.AuditLog;
import io.ticketfoundry.api.dataset.DatasetService;
import io.ticketfoundry.api.job.JobQueue;
import io.ticketfoundry.api.job.QueueQuota;
import io.ticketfoundry.api.preset.Presets;
import io.ticketfoundry.api.sharing.ExperimentAccess;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.web.ApiException;
import io.ticketfoundry.api.web.FieldProblem;
import io.ticketfoundry.common.spec.ExperimentSpec;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Submitting and reading experiments. A submission whose spec hashes like an experiment the team
 * already has returns that experiment, adding only the seeds it did not have yet; otherwise a new
 * experiment is stored. Either way every new replicate gets its level-0 job, in the same
 * transaction. A unique index on {@code (team_id, spec_hash)} over the experiments not deleted, with
 * {@code ON CONFLICT DO NOTHING}, makes concurrent identical submissions end with one experiment.
 */
@Service
public class ExperimentService {

    public static final int MAX_NAME_LENGTH = 200;
    public static final int MAX_SEEDS = 32;
    public static final int MAX_PAGE_SIZE = 200;

    private final JdbcClient jdbc;
    private final JobQueue jobs;
    private final JsonMapper json;
    private final DatasetService datasets;
    private final ExperimentAccess access;
    private final AuditLog audit;
    private final QueueQuota quota;

    public ExperimentService(JdbcClient jdbc, JobQueue jobs, JsonMapper json, DatasetService datasets,
            ExperimentAccess access, AuditLog audit, QueueQuota quota) {
        this.quota = quota;
        this.datasets = datasets;
        this.access = access;
        this.audit = audit;
        this.jdbc = jdbc;
        this.jobs = jobs;
        this.json = json;
    }

    /** The outcome of a submission: whether the experiment was created by it, and the experiment. */
    public record Submission(boolean created, ExperimentView experiment) {
    }

    @Transactional
    public Submission submit(Caller caller, SubmitExperimentRequest request) {
        caller.requireWriter();
        List<FieldProblem> problems = new ArrayList<>();
        String name = readName(request.name(), "name", problems);
        JsonNode specNode = withPreset(request.preset(), request.spec(), "preset", problems);
        SpecValidator.Result spec = SpecValidator.read(specNode, "spec", id -> datasets.lookup(caller.teamId(), id));
        problems.addAll(spec.problems());
        List<Long> seeds = readSeeds(request.seeds(), problems);
        if (spec.spec() != null && spec.spec().transfer() != null) {
            problems.add(new FieldProblem("spec.transfer", "is made by POST /api/v1/tickets/{id}/transfers or /api/v1/masks/{id}/transfers"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        return store(caller, name, specNode, spec.spec(), seeds);
    }

    /** The name field: required, stripped, 1 to 200 characters; null when a problem was added. */
    public static String readName(JsonNode nameNode, String field, List<FieldProblem> problems) {
        String name = nameNode == null || !nameNode.isString() ? null : nameNode.stringValue().strip();
        if (nameNode != null && !nameNode.isNull() && !nameNode.isString()) {
            problems.add(new FieldProblem(field, "must be a string"));
            return null;
        } else if (name == null || name.isEmpty()) {
            problems.add(new FieldProblem(field, "is required"));
            return null;
        } else if (name.length() > MAX_NAME_LENGTH) {
            problems.add(new FieldProblem(field, "must be at most " + MAX_NAME_LENGTH + " characters"));
            return null;
        }
        return name;
    }

    /** The spec to validate: {@code spec} itself, or merged over the named preset's spec. */
    public static JsonNode withPreset(JsonNode preset, JsonNode spec, String field, List<FieldProblem> problems) {
        if (preset == null || preset.isNull() || preset.isMissingNode()) {
            return spec;
        }
        if (!preset.isString()) {
            problems.add(new FieldProblem(field, "must be a string"));
            return spec;
        }
        var found = Presets.find(preset.stringValue());
        if (found.isEmpty()) {
            problems.add(new FieldProblem(field, "must be one of " + String.join(", ", Presets.names())));
            return spec;
        }
        if (spec != null && !spec.isNull() && !spec.isObject()) {
            return spec; // the validator names it
        }
        return Presets.merge(found.get().spec(), spec);
    }

    /**
     * Stores a validated experiment (or finds the team's one with the same identity) and queues
     * level 0 of every new replicate, in the caller's transaction.
     */
    @Transactional
    public Submission store(Caller caller, String name, JsonNode submittedSpec, ExperimentSpec validSpec, List<Long> seeds) {
        ExperimentSpec resolved = SpecIdentity.resolve(validSpec);
        String hash = SpecIdentity.hash(resolved);
        JsonNode submitted = submittedSpec == null || submittedSpec.isNull()
                ? JsonNodeFactory.instance.objectNode() : submittedSpec;
        Optional<UUID> inserted = jdbc.sql("""
                INSERT INTO experiment (id, team_id, name, spec, resolved_spec, spec_hash, schema_version, created_by)
                VALUES (:id, :team, :name, CAST(:spec AS jsonb), CAST(:resolved AS jsonb), :hash, :schemaVersion, :createdBy)
                ON CONFLICT (team_id, spec_hash) WHERE deleted_at IS NULL DO NOTHING
                RETURNING id""")
                .param("id", UUID.randomUUID())
                .param("team", caller.teamId())
                .param("name", name)
                .param("spec", json.writeValueAsString(submitted))
                .param("resolved", json.writeValueAsString(resolved))
                .param("hash", hash)
                .param("schemaVersion", resolved.schemaVersion())
                .param("createdBy", caller.tokenId())
                .query(UUID.class)
                .optional();
        UUID experimentId = inserted.orElseGet(() -> jdbc.sql(
                        "SELECT id FROM experiment WHERE team_id = :team AND spec_hash = :hash AND deleted_at IS NULL")
                .param("team", caller.teamId())
                .param("hash", hash)
                .query(UUID.class)
                .single());
        for (long seed : seeds) {
            int added = jdbc.sql("""
                    INSERT INTO replicate (experiment_id, seed) VALUES (:experiment, :seed)
                    ON CONFLICT (experiment_id, seed) DO NOTHING""")
                    .param("experiment", experimentId)
                    .param("seed", seed)
                    .update();
            if (added == 1 && resolved.transfer() != null) {
                enqueueTransfers(experimentId, seed, resolved.transfer());
            } else if (added == 1) {
                jobs.enqueueImpLevel(experimentId, seed, 0, null);
            }
        }
        quota.requireRoom(caller.teamId());
        if (inserted.isPresent()) {
            audit.record(caller, caller.teamId(), "experiment.submitted", "experiment", experimentId,
                    Map.of("name", name, "specHash", hash, "seeds", seeds));
        }
        return new Submission(inserted.isPresent(), find(experimentId).orElseThrow());
    }

    /** The transfer jobs of one replicate: every source ticket of that seed, and its random twin when asked. */
    private void enqueueTransfers(UUID experimentId, long seed, io.ticketfoundry.common.spec.TransferSpec transfer) {
        if (transfer.sourceMask() != null) {
            UUID mask = UUID.fromString(transfer.sourceMask());
            jobs.enqueueMaskTransfer(experimentId, seed, mask, JobQueue.KIND_TRANSFER, JobQueue.DEFAULT_POOL);
            if (transfer.randomTickets()) {
                jobs.enqueueMaskTransfer(experimentId, seed, mask, JobQueue.KIND_TRANSFER_RANDOM, JobQueue.DEFAULT_POOL);
            }
            return;
        }
        for (String source : transfer.sourceTickets()) {
            record Source(UUID id, long seed, int level, String pool) {
            }
            Source ticket = jdbc.sql("""
                    SELECT t.id, t.seed, t.level, j.pool FROM ticket t JOIN job j ON j.id = t.job_id WHERE t.id = :id""")
                    .param("id", UUID.fromString(source))
                    .query((rs, n) -> new Source(rs.getObject("id", UUID.class), rs.getLong("seed"), rs.getInt("level"),
                            rs.getString("pool")))
                    .single();
            if (ticket.seed() != seed) {
                continue;
            }
            jobs.enqueueTransfer(experimentId, seed, ticket.level(), ticket.id(), JobQueue.KIND_TRANSFER, ticket.pool());
            if (transfer.randomTickets()) {
                jobs.enqueueTransfer(experimentId, seed, ticket.level(), ticket.id(), JobQueue.KIND_TRANSFER_RANDOM,
                        ticket.pool());
            }
        }
    }

    public static List<Long> readSeeds(JsonNode seeds, List<FieldProblem> problems) {
        if (seeds == null || seeds.isNull() || seeds.isMissingNode()) {
            return List.of(0L);
        }
        if (!seeds.isArray()) {
            problems.add(new FieldProblem("seeds", "must be an array of whole numbers"));
            return List.of();
        }
        if (seeds.isEmpty() || seeds.size() > MAX_SEEDS) {
            problems.add(new FieldProblem("seeds", "must hold 1 to " + MAX_SEEDS + " seeds"));
        }
        LinkedHashSet<Long> out = new LinkedHashSet<>();
        for (int i = 0; i < seeds.size(); i++) {
            JsonNode seed = seeds.get(i);
            Long value = wholeLong(seed);
            if (value == null) {
                problems.add(new FieldProblem("seeds[" + i + "]", "must be a whole number (64-bit)"));
            } else if (!out.add(value)) {
                problems.add(new FieldProblem("seeds[" + i + "]", "repeats seed " + value));
            }
        }
        return List.copyOf(out);
    }

    private static Long wholeLong(JsonNode node) {
        if (node == null || !node.isNumber()) {
            return null;
        }
        BigDecimal value = node.decimalValue();
        if (value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
            return null;
        }
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /**
     * One experiment the caller may read (ExperimentAccess); anything else is a 404. A deleted one
     * that remains as a tombstone is a 410 whose body carries it as {@code tombstone}: name, spec,
     * seeds, when it was deleted and the tickets that remain of it.
     */
    public ExperimentView get(Caller caller, UUID id) {
        ExperimentAccess.Readable found = access.requireReadableOrDeleted(id, caller, "experiment " + id);
        if (found.deleted()) {
            throw ExperimentAccess.gone(id, found.deletedAt(), "experiment " + id).with("tombstone", tombstone(id));
        }
        return find(id).orElseThrow(() -> ApiException.notFound("experiment " + id));
    }

    private Map<String, Object> tombstone(UUID id) {
        ExperimentView view = find(id).orElseThrow();
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("id", view.id());
        out.put("teamId", view.teamId());
        out.put("name", view.name());
        out.put("specHash", view.specHash());
        out.put("schemaVersion", view.schemaVersion());
        out.put("spec", view.spec());
        out.put("resolvedSpec", view.resolvedSpec());
        out.put("seeds", view.seeds());
        out.put("createdAt", view.createdAt());
        out.put("deletedAt", jdbc.sql("SELECT deleted_at FROM experiment WHERE id = :id").param("id", id)
                .query(OffsetDateTime.class).single().toInstant());
        out.put("tickets", jdbc.sql("SELECT id FROM ticket WHERE experiment_id = :id ORDER BY seed, level, created_at, id")
                .param("id", id).query(UUID.class).list());
        return out;
    }

    /** Filters are optional: name (substring, any case), model, dataset, specHash. Newest first. */
    public ExperimentPage list(Caller caller, Integer page, Integer size, String name, String model, String dataset,
            String specHash) {
        return list(caller, page, size, name, model, dataset, specHash, null, null);
    }

    /** As above, within {@code scope} (all, own, shared; default all) and, when given, one owning team. */
    public ExperimentPage list(Caller caller, Integer page, Integer size, String name, String model, String dataset,
            String specHash, String scope, UUID team) {
        if (!caller.isUser()) {
            throw ApiException.forbidden("experiments belong to teams: use a team token");
        }
        int pageNumber = page == null ? 0 : page;
        int pageSize = size == null ? 20 : size;
        List<FieldProblem> problems = new ArrayList<>();
        if (pageNumber < 0) {
            problems.add(new FieldProblem("page", "must be >= 0"));
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            problems.add(new FieldProblem("size", "must be between 1 and " + MAX_PAGE_SIZE));
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        if (scope != null && !List.of("all", "own", "shared").contains(scope)) {
            throw ApiException.invalid("scope", "must be all, own or shared");
        }
        StringBuilder where = new StringBuilder("WHERE " + ExperimentAccess.readable("e"));
        Map<String, Object> params = new HashMap<>(ExperimentAccess.parameters(caller));
        if ("own".equals(scope)) {
            where.append(" AND e.team_id IN (:readerTeams)");
        } else if ("shared".equals(scope)) {
            where.append(" AND e.team_id NOT IN (:readerTeams)");
        }
        if (team != null) {
            where.append(" AND e.team_id = :team");
            params.put("team", team);
        }
        if (name != null && !name.isEmpty()) {
            where.append(" AND e.name ILIKE :name ESCAPE '\\'");
            params.put("name", "%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        if (model != null && !model.isEmpty()) {
            where.append(" AND e.resolved_spec ->> 'model' = :model");
            params.put("model", model);
        }
        if (dataset != null && !dataset.isEmpty()) {
            where.append(" AND e.resolved_spec ->> 'dataset' = :dataset");
            params.put("dataset", dataset);
        }
        if (specHash != null && !specHash.isEmpty()) {
            where.append(" AND e.spec_hash = :specHash");
            params.put("specHash", specHash);
        }
        long total = jdbc.sql("SELECT count(*) FROM experiment e " + where).params(params).query(Long.class).single();
        params.put("limit", pageSize);
        params.put("offset", (long) pageNumber * pageSize);
        List<Row> rows = jdbc.sql(SELECT + where + " ORDER BY e.created_at DESC, e.id DESC LIMIT :limit OFFSET :offset")
                .params(params)
                .query(ExperimentService::row)
                .list();
        return new ExperimentPage(views(rows), pageNumber, pageSize, total);
    }

    private static final String SELECT = """
            SELECT e.id, e.team_id, e.name, e.spec_hash, e.schema_version, e.spec::text AS spec,
                   e.resolved_spec::text AS resolved_spec, e.created_at
            FROM experiment e
            """;

    private record Row(UUID id, UUID teamId, String name, String specHash, int schemaVersion, String spec,
            String resolvedSpec, Instant createdAt) {
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getObject("id", UUID.class), rs.getObject("team_id", UUID.class), rs.getString("name"),
                rs.getString("spec_hash"), rs.getInt("schema_version"), rs.getString("spec"),
                rs.getString("resolved_spec"), rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    Optional<ExperimentView> find(UUID id) {
        List<Row> rows = jdbc.sql(SELECT + "WHERE e.id = :id").param("id", id).query(ExperimentService::row).list();
        return views(rows).stream().findFirst();
    }

    private List<ExperimentView> views(List<Row> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<UUID> ids = rows.stream().map(Row::id).toList();
        Map<UUID, List<Long>> seeds = new HashMap<>();
        jdbc.sql("SELECT experiment_id, seed FROM replicate WHERE experiment_id IN (:ids) ORDER BY seed")
                .param("ids", ids)
                .query(rs -> {
                    seeds.computeIfAbsent(rs.getObject("experiment_id", UUID.class), k -> new ArrayList<>()).add(rs.getLong("seed"));
                });
        Map<UUID, Map<String, Long>> counts = new HashMap<>();
        jdbc.sql("SELECT experiment_id, status, count(*) AS n FROM job WHERE experiment_id IN (:ids) GROUP BY experiment_id, status")
                .param("ids", ids)
                .query(rs -> {
                    counts.computeIfAbsent(rs.getObject("experiment_id", UUID.class), k -> new HashMap<>())
                            .put(rs.getString("status"), rs.getLong("n"));
                });
        List<ExperimentView> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Map<String, Long> byStatus = counts.getOrDefault(row.id(), Map.of());
            out.add(new ExperimentView(row.id(), row.teamId(), row.name(), row.specHash(), row.schemaVersion(),
                    json.readTree(row.spec()), json.readTree(row.resolvedSpec()),
                    List.copyOf(seeds.getOrDefault(row.id(), List.of())),
                    ExperimentStatus.of(byStatus), ExperimentStatus.counts(byStatus), row.createdAt()));
        }
        return out;
    }
}
