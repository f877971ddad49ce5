package io.ticketfoundry.api.lifecycle;

import io.ticketfoundry.api.artifact.ArtifactService;
import io.ticketfoundry.api.artifact.ArtifactStore;
import io.ticketfoundry.api.audit.AuditLog;
import io.ticketfoundry.api.experiment.ExperimentService;
import io.ticketfoundry.api.experiment.ExperimentView;
import io.ticketfoundry.api.sharing.ExperimentAccess;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.web.ApiException;
import io.ticketfoundry.api.web.FieldProblem;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Imports an experiment archive ({@link ExperimentExport}) into the caller's team. The manifest is
 * checked first ({@link ManifestRules}); each file is then streamed into the artifact store, which
 * keeps it only when its SHA-256 is its name; then one transaction writes the experiment, its jobs,
 * tickets, metrics and labels. Any problem is a 400 naming the archive entry, and leaves nothing: no
 * row, and no stored object that was not there before.
 *
 * <p>Ids are kept where this deployment has no row with the same id, and replaced otherwise (the
 * answer lists every replaced one). Lineage inside the archive is rebuilt exactly; a parent outside
 * it (a transfer's source in another experiment) stays the parent when that ticket exists here, and is
 * otherwise kept in the ticket's provenance as {@code importedParent}. The jobs are records of what
 * ran elsewhere: each becomes a succeeded job of kind {@code import} whose params keep the original
 * job. The same spec already in the team (by its hash) is the answer instead, and nothing is imported.
 */
@Service
public class ExperimentImport {

    static final int MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
    public static final String IMPORT_KIND = "import";

    /**
     * An import's outcome. {@code created} false: the team had the experiment already (same spec
     * hash), nothing was imported. The maps hold only what changed: ids replaced because they were
     * taken here, and parents outside the archive that this deployment does not have.
     */
    public record Imported(boolean created, ExperimentView experiment, UUID sourceDeployment, UUID sourceExperimentId,
            int tickets, int metrics, int files, int filesAdded, Map<UUID, UUID> replacedTicketIds,
            Map<UUID, UUID> replacedJobIds, Map<UUID, UUID> importedParents) {
    }

    private record Written(UUID experimentId, boolean created, Map<UUID, UUID> tickets, Map<UUID, UUID> jobs,
            Map<UUID, UUID> importedParents) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ArtifactStore store;
    private final ArtifactService artifacts;
    private final ExperimentService experiments;
    private final AuditLog audit;
    private final TransactionTemplate transaction;

    public ExperimentImport(JdbcClient jdbc, JsonMapper json, ArtifactStore store, ArtifactService artifacts,
            ExperimentService experiments, AuditLog audit, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.json = json;
        this.store = store;
        this.artifacts = artifacts;
        this.experiments = experiments;
        this.audit = audit;
        this.transaction = transaction;
    }

    public Imported importArchive(InputStream archive, Caller caller) {
        caller.requireWriter();
        List<ArtifactStore.StoredObject> added = new ArrayList<>();
        try {
            ZipInputStream zip = new ZipInputStream(archive);
            ZipEntry first = next(zip);
            if (first == null) {
                throw ApiException.invalid("archive", "is empty or not a zip archive");
            }
            if (!ArchiveManifest.MANIFEST_ENTRY.equals(first.getName())) {
                throw ApiException.invalid(first.getName(), "comes first, where " + ArchiveManifest.MANIFEST_ENTRY
                        + " must be");
            }
            ArchiveManifest manifest = manifest(zip);
            List<FieldProblem> problems = ManifestRules.check(manifest, json);
            if (!problems.isEmpty()) {
                throw ApiException.invalid(problems);
            }
            Optional<UUID> existing = existing(caller.teamId(), manifest.experiment().specHash());
            if (existing.isPresent()) {
                return unchanged(manifest, existing.get(), caller);
            }
            Map<String, ArtifactStore.StoredObject> stored = files(zip, manifest, added);
            Written written = transaction.execute(status -> write(manifest, stored, caller));
            if (!written.created()) {
                discard(added);
                return unchanged(manifest, written.experimentId(), caller);
            }
            return new Imported(true, experiments.get(caller, written.experimentId()), manifest.sourceDeployment(),
                    manifest.experiment().id(), manifest.tickets().size(), manifest.metrics().size(),
                    manifest.files().size(), added.size(), replaced(written.tickets()), replaced(written.jobs()),
                    written.importedParents());
        } catch (IOException e) {
            discard(added);
            throw ApiException.invalid("archive", "is not a readable zip archive (" + e.getMessage() + ")");
        } catch (DataIntegrityViolationException e) {
            discard(added);
            throw ApiException.invalid(ArchiveManifest.MANIFEST_ENTRY,
                    "breaks a rule of this deployment's database: " + constraint(e));
        } catch (RuntimeException e) {
            discard(added);
            throw e;
        }
    }

    /** The next entry that is not a folder. */
    private static ZipEntry next(ZipInputStream zip) throws IOException {
        ZipEntry entry = zip.getNextEntry();
        while (entry != null && entry.isDirectory()) {
            entry = zip.getNextEntry();
        }
        return entry;
    }

    private ArchiveManifest manifest(ZipInputStream zip) throws IOException {
        byte[] bytes = zip.readNBytes(MAX_MANIFEST_BYTES + 1);
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw ApiException.invalid(ArchiveManifest.MANIFEST_ENTRY, "has more than " + MAX_MANIFEST_BYTES + " bytes");
        }
        try {
            return json.readValue(bytes, ArchiveManifest.class);
        } catch (JacksonException e) {
            throw ApiException.invalid(ArchiveManifest.MANIFEST_ENTRY, "is not a manifest: " + firstLine(e.getOriginalMessage()));
        }
    }

    /** Streams every file into the store, each checked against its name and the manifest's size. */
    private Map<String, ArtifactStore.StoredObject> files(ZipInputStream zip, ArchiveManifest manifest,
            List<ArtifactStore.StoredObject> added) throws IOException {
        Map<String, ArchiveManifest.FileEntry> pending = manifest.files().stream()
                .collect(Collectors.toMap(ArchiveManifest.FileEntry::path, Function.identity()));
        Map<String, ArtifactStore.StoredObject> stored = new HashMap<>();
        for (ZipEntry entry = next(zip); entry != null; entry = next(zip)) {
            String name = entry.getName();
            ArchiveManifest.FileEntry file = pending.remove(name);
            if (file == null) {
                throw ApiException.invalid(name, stored.containsKey(name) ? "appears twice in the archive"
                        : "is not a file the manifest lists");
            }
            boolean known = artifacts.find(file.sha256()).isPresent();
            ArtifactStore.StoredObject object;
            try {
                if (file.size() > artifacts.maxUploadSize()) {
                    throw ApiException.invalid(name, "has " + file.size() + " bytes; an artifact may have at most "
                            + artifacts.maxUploadSize());
                }
                object = store.put(zip, file.sha256(), file.size());
            } catch (ApiException e) {
                throw ApiException.invalid(name, e.status() == HttpStatus.CONTENT_TOO_LARGE
                        ? "has more bytes than the " + file.size() + " the manifest gives"
                        : "does not have the SHA-256 its name gives: " + e.getMessage());
            }
            if (!known) {
                added.add(object);
            }
            if (object.size() != file.size()) {
                throw ApiException.invalid(name, "has " + object.size() + " bytes; the manifest gives " + file.size());
            }
            stored.put(name, object);
        }
        if (!pending.isEmpty()) {
            throw ApiException.invalid(new TreeMap<>(pending).keySet().stream()
                    .map(name -> new FieldProblem(name, "is listed in the manifest but missing from the archive"))
                    .toList());
        }
        return stored;
    }

    private Optional<UUID> existing(UUID team, String specHash) {
        return jdbc.sql("SELECT id FROM experiment WHERE team_id = :team AND spec_hash = :hash AND deleted_at IS NULL")
                .param("team", team).param("hash", specHash).query(UUID.class).optional();
    }

    private Imported unchanged(ArchiveManifest manifest, UUID experimentId, Caller caller) {
        return new Imported(false, experiments.get(caller, experimentId), manifest.sourceDeployment(),
                manifest.experiment().id(), 0, 0, 0, 0, Map.of(), Map.of(), Map.of());
    }

    private Written write(ArchiveManifest m, Map<String, ArtifactStore.StoredObject> stored, Caller caller) {
        ArchiveManifest.Experiment e = m.experiment();
        UUID experimentId = taken("experiment", List.of(e.id())).isEmpty() ? e.id() : UUID.randomUUID();
        Optional<UUID> inserted = jdbc.sql("""
                INSERT INTO experiment (id, team_id, name, spec, resolved_spec, spec_hash, schema_version, created_by,
                                        created_at)
                VALUES (:id, :team, :name, CAST(:spec AS jsonb), CAST(:resolved AS jsonb), :hash, :schemaVersion,
                        :createdBy, :createdAt)
                ON CONFLICT (team_id, spec_hash) WHERE deleted_at IS NULL DO NOTHING
                RETURNING id""")
                .param("id", experimentId)
                .param("team", caller.teamId())
                .param("name", e.name().strip())
                .param("spec", json.writeValueAsString(e.spec()))
                .param("resolved", json.writeValueAsString(e.resolvedSpec()))
                .param("hash", e.specHash())
                .param("schemaVersion", e.schemaVersion())
                .param("createdBy", caller.tokenId())
                .param("createdAt", timestamp(e.createdAt()))
                .query(UUID.class)
                .optional();
        if (inserted.isEmpty()) {
            // an identical import or submission won the race: that experiment is the answer
            return new Written(existing(caller.teamId(), e.specHash()).orElseThrow(), false, Map.of(), Map.of(), Map.of());
        }
        for (ArchiveManifest.FileEntry file : m.files()) {
            artifacts.record(stored.get(file.path()), file.mediaType());
        }
        for (Long seed : e.seeds()) {
            jdbc.sql("INSERT INTO replicate (experiment_id, seed) VALUES (:e, :seed)")
                    .param("e", experimentId).param("seed", seed).update();
        }
        Map<UUID, UUID> jobIds = ids("job", m.jobs().stream().map(ArchiveManifest.Job::id).toList());
        Map<UUID, UUID> ticketIds = ids("ticket", m.tickets().stream().map(ArchiveManifest.Ticket::id).toList());
        Set<UUID> outside = new HashSet<>();
        m.tickets().forEach(t -> outside.add(t.parentTicketId()));
        m.jobs().forEach(j -> outside.add(j.parentTicketId()));
        outside.remove(null);
        outside.removeAll(ticketIds.keySet());
        Set<UUID> here = readableTickets(outside, caller);
        Function<UUID, UUID> parentOf = parent -> parent == null ? null
                : ticketIds.containsKey(parent) ? ticketIds.get(parent) : here.contains(parent) ? parent : null;
        Set<UUID> masks = teamMasks(sourceMasks(m), caller);

        for (ArchiveManifest.Job job : m.jobs()) {
            ObjectNode params = json.createObjectNode();
            params.put("sourceDeployment", String.valueOf(m.sourceDeployment()));
            params.put("sourceExperimentId", e.id().toString());
            params.set("job", json.valueToTree(job));
            jdbc.sql("""
                    INSERT INTO job (id, experiment_id, kind, seed, level, pool, status, attempts, params, source_mask_id,
                                     created_at, updated_at, finished_at)
                    VALUES (:id, :e, :kind, :seed, :level, 'default', 'succeeded', 0, CAST(:params AS jsonb), :mask,
                            coalesce(:createdAt, now()), now(), coalesce(:finishedAt, now()))""")
                    .param("id", jobIds.get(job.id())).param("e", experimentId).param("kind", IMPORT_KIND)
                    .param("seed", job.seed()).param("level", job.level())
                    .param("params", json.writeValueAsString(params))
                    .param("mask", masks.contains(job.sourceMaskId()) ? job.sourceMaskId() : null)
                    .param("createdAt", timestamp(job.createdAt())).param("finishedAt", timestamp(job.finishedAt()))
                    .update();
        }
        Map<UUID, UUID> importedParents = new LinkedHashMap<>();
        for (ArchiveManifest.Ticket t : m.tickets()) {
            UUID id = ticketIds.get(t.id());
            ObjectNode provenance = ((ObjectNode) t.provenance()).deepCopy();
            if (t.parentTicketId() != null && parentOf.apply(t.parentTicketId()) == null) {
                provenance.put("importedParent", t.parentTicketId().toString());
                importedParents.put(id, t.parentTicketId());
            }
            boolean maskHere = t.sourceMaskId() == null || masks.contains(t.sourceMaskId());
            if (!maskHere) {
                provenance.put("importedSourceMask", t.sourceMaskId().toString());
            }
            jdbc.sql("""
                    INSERT INTO ticket (id, experiment_id, seed, level, job_id, mask_sha256, rewind_sha256, trained_sha256,
                                        prunable_weights, remaining_prunable, total_parameters, remaining_total, layers,
                                        provenance, kind, calibration, step, source_mask_id, created_at)
                    VALUES (:id, :e, :seed, :level, :job, :mask, :rewind, :trained, :prunable, :remainingPrunable, :total,
                            :remainingTotal, CAST(:layers AS jsonb), CAST(:provenance AS jsonb), :kind,
                            CAST(:calibration AS jsonb), :step, :sourceMask, coalesce(:createdAt, now()))""")
                    .param("id", id).param("e", experimentId).param("seed", t.seed()).param("level", t.level())
                    .param("job", jobIds.get(t.jobId()))
                    .param("mask", t.files().mask()).param("rewind", t.files().rewind())
                    .param("trained", t.files().weights())
                    .param("prunable", t.prunableWeights()).param("remainingPrunable", t.remainingPrunable())
                    .param("total", t.totalParameters()).param("remainingTotal", t.remainingTotal())
                    .param("layers", json.writeValueAsString(t.layers()))
                    .param("provenance", json.writeValueAsString(provenance))
                    .param("kind", t.kind())
                    .param("calibration", jsonOrNull(t.calibration()))
                    .param("step", t.step())
                    .param("sourceMask", maskHere ? t.sourceMaskId() : null)
                    .param("createdAt", timestamp(t.createdAt()))
                    .update();
        }
        // parents once every ticket exists: lineage inside the archive may point either way in its order
        for (ArchiveManifest.Ticket t : m.tickets()) {
            UUID parent = parentOf.apply(t.parentTicketId());
            if (parent != null) {
                jdbc.sql("UPDATE ticket SET parent_ticket_id = :p WHERE id = :id")
                        .param("p", parent).param("id", ticketIds.get(t.id())).update();
            }
        }
        for (ArchiveManifest.Job job : m.jobs()) {
            UUID parent = parentOf.apply(job.parentTicketId());
            if (parent != null) {
                jdbc.sql("UPDATE job SET parent_ticket_id = :p WHERE id = :id")
                        .param("p", parent).param("id", jobIds.get(job.id())).update();
            }
        }
        for (ArchiveManifest.Metric metric : m.metrics()) {
            jdbc.sql("""
                    INSERT INTO metric (ticket_id, job_id, dataset, split, name, value, conventions, details, created_at)
                    VALUES (:ticket, :job, :dataset, :split, :name, :value, CAST(:conventions AS jsonb),
                            CAST(:details AS jsonb), coalesce(:createdAt, now()))""")
                    .param("ticket", ticketIds.get(metric.ticketId())).param("job", jobIds.get(metric.jobId()))
                    .param("dataset", metric.dataset()).param("split", metric.split()).param("name", metric.name())
                    .param("value", metric.value())
                    .param("conventions", metric.conventions() == null || metric.conventions().isNull() ? "{}"
                            : json.writeValueAsString(metric.conventions()))
                    .param("details", jsonOrNull(metric.details()))
                    .param("createdAt", timestamp(metric.createdAt()))
                    .update();
        }
        labels(experimentId, m.tickets(), ticketIds, caller);
        audit.record(caller, caller.teamId(), "experiment.imported", "experiment", experimentId,
                Map.of("sourceDeployment", String.valueOf(m.sourceDeployment()), "sourceExperimentId", e.id().toString(),
                        "tickets", m.tickets().size(), "files", m.files().size()));
        return new Written(experimentId, true, ticketIds, jobIds, importedParents);
    }

    private void labels(UUID experimentId, List<ArchiveManifest.Ticket> tickets, Map<UUID, UUID> ids, Caller caller) {
        for (ArchiveManifest.Ticket t : tickets) {
            UUID id = ids.get(t.id());
            for (String alias : t.aliases() == null ? List.<String>of() : t.aliases()) {
                jdbc.sql("INSERT INTO ticket_alias (experiment_id, alias, ticket_id, updated_by) VALUES (:e, :a, :t, :by)")
                        .param("e", experimentId).param("a", alias).param("t", id).param("by", caller.tokenId()).update();
                labelEvent(experimentId, "alias", alias, id, caller);
            }
            for (String tag : t.tags() == null ? List.<String>of() : t.tags()) {
                jdbc.sql("INSERT INTO ticket_tag (ticket_id, tag, created_by) VALUES (:t, :tag, :by)")
                        .param("t", id).param("tag", tag).param("by", caller.tokenId()).update();
                labelEvent(experimentId, "tag", tag, id, caller);
            }
        }
    }

    private void labelEvent(UUID experimentId, String kind, String label, UUID ticket, Caller caller) {
        jdbc.sql("""
                INSERT INTO label_event (experiment_id, label_kind, label, action, ticket_id, actor_token_id, actor_name)
                VALUES (:e, :kind, :label, 'set', :t, :token, :actor)""")
                .param("e", experimentId).param("kind", kind).param("label", label).param("t", ticket)
                .param("token", caller.tokenId()).param("actor", caller.name())
                .update();
    }

    private static Set<UUID> sourceMasks(ArchiveManifest m) {
        Set<UUID> out = new HashSet<>();
        m.tickets().forEach(t -> out.add(t.sourceMaskId()));
        m.jobs().forEach(j -> out.add(j.sourceMaskId()));
        out.remove(null);
        return out;
    }

    /** Each id kept unless a row of {@code table} has it already; then a new one. */
    private Map<UUID, UUID> ids(String table, List<UUID> given) {
        Set<UUID> taken = taken(table, given);
        Map<UUID, UUID> out = new LinkedHashMap<>();
        given.forEach(id -> out.put(id, taken.contains(id) ? UUID.randomUUID() : id));
        return out;
    }

    /**
     * The tickets among {@code ids} the importer may read: an outside parent is linked only then, so
     * an archive can neither point at nor probe another team's private tickets.
     */
    private Set<UUID> readableTickets(Collection<UUID> ids, Caller caller) {
        if (ids.isEmpty()) {
            return new HashSet<>();
        }
        String array = ids.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
        return new HashSet<>(jdbc.sql("SELECT t.id FROM ticket t JOIN experiment e ON e.id = t.experiment_id "
                        + "WHERE t.id = ANY (CAST(:ids AS uuid[])) AND " + ExperimentAccess.readableEvenIfDeleted("e"))
                .param("ids", array).params(ExperimentAccess.parameters(caller)).query(UUID.class).list());
    }

    /** The uploaded masks among {@code ids} that belong to the importer's teams (masks are never shared). */
    private Set<UUID> teamMasks(Collection<UUID> ids, Caller caller) {
        if (ids.isEmpty()) {
            return new HashSet<>();
        }
        String array = ids.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
        return new HashSet<>(jdbc.sql("SELECT id FROM uploaded_mask WHERE id = ANY (CAST(:ids AS uuid[])) "
                        + "AND team_id IN (:readerTeams)")
                .param("ids", array).params(ExperimentAccess.parameters(caller)).query(UUID.class).list());
    }

    private Set<UUID> taken(String table, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return new HashSet<>();
        }
        String array = ids.stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
        return new HashSet<>(jdbc.sql("SELECT id FROM " + table + " WHERE id = ANY (CAST(:ids AS uuid[]))")
                .param("ids", array).query(UUID.class).list());
    }

    private static Map<UUID, UUID> replaced(Map<UUID, UUID> ids) {
        Map<UUID, UUID> out = new LinkedHashMap<>();
        ids.forEach((from, to) -> {
            if (!from.equals(to)) {
                out.put(from, to);
            }
        });
        return out;
    }

    private void discard(List<ArtifactStore.StoredObject> added) {
        added.forEach(artifacts::discardIfUnrecorded);
    }

    /** A JSON value as text, or SQL null for an absent or JSON null value. */
    private String jsonOrNull(tools.jackson.databind.JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : json.writeValueAsString(node);
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static String constraint(DataIntegrityViolationException e) {
        Throwable cause = e.getMostSpecificCause();
        String message = cause.getMessage() == null ? "a constraint" : cause.getMessage();
        return firstLine(message);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
