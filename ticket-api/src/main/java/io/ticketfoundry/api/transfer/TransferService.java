package io.ticketfoundry.api.transfer;

import io.ticketfoundry.api.dataset.DatasetService;
import io.ticketfoundry.api.experiment.ExperimentService;
import io.ticketfoundry.api.experiment.SpecValidator;
import io.ticketfoundry.api.mask.MaskService;
import io.ticketfoundry.api.preset.Presets;
import io.ticketfoundry.api.sharing.ExperimentAccess;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.web.ApiException;
import io.ticketfoundry.api.web.FieldProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Transfers of IMP tickets to another dataset (Morcos et al.): a transfer experiment in the
 * caller's team whose spec is the source experiment's with the target dataset, any training
 * overrides, no IMP levels and a {@code transfer} section naming the sources. Its jobs retrain
 * each source's mask from its rewind weights on the target; the same request again finds the
 * same experiment (its identity covers the sources).
 */
@Service
public class TransferService {

    private static final Set<String> FIELDS = Set.of("dataset", "training", "lineage", "randomTickets", "targetTickets",
            "name");

    /**
     * What a transfer request made: the transfer experiment, whether it is new, and with
     * {@code targetTickets} the experiment that finds tickets on the target itself (the source's spec
     * on the target dataset, the source's seed: an ordinary IMP experiment, found if it exists).
     */
    public record Transfer(ExperimentService.Submission transfer, ExperimentService.Submission target) {
    }

    private record Source(UUID id, String kind, long seed, int level, UUID experimentId, UUID teamId, String spec,
            String experimentName) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ExperimentService experiments;
    private final DatasetService datasets;
    private final MaskService masks;
    private final ExperimentAccess access;

    TransferService(JdbcClient jdbc, JsonMapper json, ExperimentService experiments, DatasetService datasets,
            MaskService masks, ExperimentAccess access) {
        this.access = access;
        this.jdbc = jdbc;
        this.json = json;
        this.experiments = experiments;
        this.datasets = datasets;
        this.masks = masks;
    }

    private static final Set<String> MASK_FIELDS = Set.of("dataset", "preset", "spec", "seeds", "randomTickets", "name");

    /**
     * Retrains an uploaded mask on {@code dataset}: a transfer experiment in the caller's team whose
     * spec is the request's ({@code preset} and {@code spec} as for any experiment, training and
     * initializer included) with the mask's model, no pruning and a {@code transfer} section naming
     * the mask; one ticket per seed (level 0), and with {@code randomTickets} a random one of the same
     * per-layer densities beside each. The same request again finds the same experiment.
     */
    @Transactional
    public ExperimentService.Submission transferMask(UUID maskId, JsonNode body, Caller caller) {
        MaskService.MaskSource mask = masks.readable(maskId, caller);
        caller.requireWriter();
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("body", "must be an object with at least the target dataset");
        }
        List<FieldProblem> problems = new ArrayList<>();
        for (String field : body.propertyNames()) {
            if (!MASK_FIELDS.contains(field)) {
                problems.add(new FieldProblem(field, "is not a known field"));
            }
        }
        JsonNode dataset = body.get("dataset");
        if (dataset == null || !dataset.isString() || dataset.stringValue().isBlank()) {
            problems.add(new FieldProblem("dataset", "is required: the id of the dataset to retrain on"));
        }
        boolean randomTickets = flag(body, "randomTickets", problems);
        String name = body.has("name") ? ExperimentService.readName(body.get("name"), "name", problems) : null;
        List<Long> seeds = ExperimentService.readSeeds(body.get("seeds"), problems);
        JsonNode given = ExperimentService.withPreset(body.get("preset"), body.get("spec"), "preset", problems);
        if (given != null && !given.isNull() && !given.isObject()) {
            problems.add(new FieldProblem("spec", "must be an object"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        ObjectNode spec = given == null || given.isNull() ? JsonNodeFactory.instance.objectNode()
                : ((ObjectNode) given).deepCopy();
        JsonNode model = spec.get("model");
        if (model != null && !model.isNull() && !(model.isString() && model.stringValue().equals(mask.model()))) {
            problems.add(new FieldProblem("spec.model", "must be left out or be " + mask.model() + ", the mask's model"));
        }
        JsonNode specDataset = spec.get("dataset");
        if (specDataset != null && !specDataset.isNull() && !specDataset.equals(dataset)) {
            problems.add(new FieldProblem("spec.dataset", "must be left out: the dataset is the request's"));
        }
        for (String section : List.of("transfer", "sparseTraining", "controls")) {
            if (spec.has(section) && !spec.get(section).isNull()) {
                problems.add(new FieldProblem("spec." + section, "cannot be part of a mask's transfer"));
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        spec.put("model", mask.model());
        spec.set("dataset", dataset);
        ObjectNode pruning = JsonNodeFactory.instance.objectNode();
        pruning.put("levels", 0);
        pruning.putNull("targetSparsity");
        pruning.putNull("strategy");
        ObjectNode overrides = JsonNodeFactory.instance.objectNode();
        overrides.set("pruning", pruning);
        ObjectNode transfer = overrides.putObject("transfer");
        transfer.putArray("sourceTickets");
        transfer.put("randomTickets", randomTickets);
        transfer.put("sourceMask", mask.id().toString());
        JsonNode merged = Presets.merge(spec, overrides);
        SpecValidator.Result valid = SpecValidator.read(merged, "spec", id -> datasets.lookup(caller.teamId(), id));
        for (FieldProblem problem : valid.problems()) {
            problems.add(problem.field().equals("spec.dataset") ? new FieldProblem("dataset", problem.message()) : problem);
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        String title = name != null ? name : "mask " + mask.name() + " on " + dataset.stringValue();
        return experiments.store(caller, shortened(title), merged, valid.spec(), seeds);
    }

    @Transactional
    public Transfer transfer(UUID ticketId, JsonNode body, Caller caller) {
        Source source = jdbc.sql("""
                SELECT t.id, t.kind, t.seed, t.level, t.experiment_id, e.team_id, e.resolved_spec::text AS spec,
                       e.name AS experiment_name
                FROM ticket t JOIN experiment e ON e.id = t.experiment_id WHERE t.id = :id""")
                .param("id", ticketId)
                .query((rs, n) -> new Source(rs.getObject("id", UUID.class), rs.getString("kind"), rs.getLong("seed"),
                        rs.getInt("level"), rs.getObject("experiment_id", UUID.class),
                        rs.getObject("team_id", UUID.class), rs.getString("spec"), rs.getString("experiment_name")))
                .optional()
                .orElseThrow(() -> ApiException.notFound("ticket " + ticketId));
        // any ticket the caller may read, a shared one included; the transfer is made in the caller's team
        access.requireReadable(source.experimentId(), caller, "ticket " + ticketId);
        caller.requireWriter();
        if (!"imp".equals(source.kind())) {
            throw ApiException.conflict("ticket " + ticketId + " is a " + source.kind() + " ticket; only IMP tickets are "
                    + "transferred");
        }
        List<FieldProblem> problems = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("body", "must be an object with at least the target dataset");
        }
        for (String field : body.propertyNames()) {
            if (!FIELDS.contains(field)) {
                problems.add(new FieldProblem(field, "is not a known field"));
            }
        }
        JsonNode dataset = body.get("dataset");
        if (dataset == null || !dataset.isString() || dataset.stringValue().isBlank()) {
            problems.add(new FieldProblem("dataset", "is required: the id of the dataset to retrain on"));
        }
        boolean lineage = flag(body, "lineage", problems);
        boolean randomTickets = flag(body, "randomTickets", problems);
        boolean targetTickets = flag(body, "targetTickets", problems);
        JsonNode training = body.get("training");
        if (training != null && !training.isNull() && !training.isObject()) {
            problems.add(new FieldProblem("training", "must be an object of training overrides"));
        }
        String name = body.has("name") ? ExperimentService.readName(body.get("name"), "name", problems) : null;
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }

        List<UUID> sources = lineage
                ? jdbc.sql("""
                        SELECT id FROM ticket WHERE experiment_id = :experiment AND seed = :seed AND kind = 'imp'
                        ORDER BY level""")
                        .param("experiment", source.experimentId()).param("seed", source.seed())
                        .query(UUID.class).list()
                : List.of(source.id());
        ObjectNode overrides = JsonNodeFactory.instance.objectNode();
        overrides.set("dataset", dataset);
        if (training != null && training.isObject()) {
            overrides.set("training", training);
        }
        ObjectNode pruning = overrides.putObject("pruning");
        pruning.put("levels", 0);
        pruning.putNull("targetSparsity");
        pruning.putNull("strategy");
        overrides.putNull("sparseTraining");
        overrides.putNull("controls");
        ObjectNode transfer = overrides.putObject("transfer");
        ArrayNode ids = transfer.putArray("sourceTickets");
        sources.forEach(id -> ids.add(id.toString()));
        transfer.put("randomTickets", randomTickets);
        JsonNode merged = Presets.merge(json.readTree(source.spec()), overrides);

        SpecValidator.Result spec = SpecValidator.read(merged, "spec", id -> datasets.lookup(caller.teamId(), id));
        for (FieldProblem problem : spec.problems()) {
            // the request names dataset and training at its root; the rest belongs to the source's spec
            String field = problem.field();
            problems.add(field.equals("spec.dataset") || field.startsWith("spec.training")
                    ? new FieldProblem(field.substring("spec.".length()), problem.message()) : problem);
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        String title = name != null ? name : "transfer of " + source.experimentName() + " (seed " + source.seed()
                + (lineage ? ", every level" : ", level " + source.level()) + ") to " + dataset.stringValue();
        ExperimentService.Submission made = experiments.store(caller, shortened(title), merged, spec.spec(),
                List.of(source.seed()));
        ExperimentService.Submission target = null;
        if (targetTickets) {
            // the source's own spec on the target: the same pruning as found the source, no transfer section
            ObjectNode own = ((ObjectNode) json.readTree(source.spec())).deepCopy();
            own.set("dataset", dataset);
            if (training != null && training.isObject()) {
                own.set("training", Presets.merge(own.get("training"), training));
            }
            SpecValidator.Result ownSpec = SpecValidator.read(own, "spec", id -> datasets.lookup(caller.teamId(), id));
            if (!ownSpec.valid()) {
                throw ApiException.invalid(ownSpec.problems());
            }
            target = experiments.store(caller, shortened(source.experimentName() + " on " + dataset.stringValue()), own,
                    ownSpec.spec(), List.of(source.seed()));
        }
        return new Transfer(made, target);
    }

    private static String shortened(String title) {
        return title.length() > ExperimentService.MAX_NAME_LENGTH ? title.substring(0, ExperimentService.MAX_NAME_LENGTH)
                : title;
    }

    private static boolean flag(JsonNode body, String field, List<FieldProblem> problems) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            problems.add(new FieldProblem(field, "must be true or false"));
            return false;
        }
        return value.booleanValue();
    }
}
