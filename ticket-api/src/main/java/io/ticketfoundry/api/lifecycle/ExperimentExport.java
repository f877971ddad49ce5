package io.ticketfoundry.api.lifecycle;

import io.ticketfoundry.api.artifact.ArtifactStore;
import io.ticketfoundry.api.audit.AuditLog;
import io.ticketfoundry.api.sharing.ExperimentAccess;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.web.ApiException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An experiment as one zip archive: {@code manifest.json} first ({@link ArchiveManifest}), then each
 * file of its tickets once, as {@code artifacts/<sha256>}. The manifest is read in one repeatable-read
 * transaction, so it is one consistent state of the experiment; the files are then copied from the
 * artifact store straight into the response, one buffer at a time.
 */
@Service
public class ExperimentExport {

    /** A prepared export: its manifest and the storage key of each file, in entry order. */
    public record Prepared(UUID experimentId, ArchiveManifest manifest, Map<String, String> storageKeys) {
    }

    private record FileRow(String sha256, long size, String mediaType, String storageKey) {
    }

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final ExperimentAccess access;
    private final ArtifactStore store;
    private final AuditLog audit;
    private final Deployment deployment;
    private final TransactionTemplate snapshot;

    public ExperimentExport(JdbcClient jdbc, JsonMapper json, ExperimentAccess access, ArtifactStore store,
            AuditLog audit, Deployment deployment, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.json = json;
        this.access = access;
        this.store = store;
        this.audit = audit;
        this.deployment = deployment;
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
    }

    /**
     * Everything the archive says, for anyone who may read the experiment (a share's readers too);
     * 503 before anything is sent when a file is missing from the store.
     */
    public Prepared prepare(UUID experimentId, Caller caller) {
        return snapshot.execute(status -> {
            ExperimentAccess.Access found = access.requireReadable(experimentId, caller, "experiment " + experimentId);
            Prepared made = read(experimentId);
            for (Map.Entry<String, String> file : made.storageKeys().entrySet()) {
                if (!store.exists(file.getValue())) {
                    throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Artifact unavailable",
                            "the bytes of artifact " + file.getKey() + " are not in the artifact store");
                }
            }
            audit.record(caller, found.teamId(), "experiment.exported", "experiment", experimentId,
                    Map.of("tickets", made.manifest().tickets().size(), "files", made.manifest().files().size()));
            return made;
        });
    }

    /** Writes the archive; {@code out} is not closed. */
    public void write(Prepared prepared, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(out, 64 * 1024));
        // weights barely compress; masks (U8 of 0/1) shrink a lot even at the fastest level
        zip.setLevel(Deflater.BEST_SPEED);
        zip.putNextEntry(new ZipEntry(ArchiveManifest.MANIFEST_ENTRY));
        zip.write(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(prepared.manifest()));
        zip.closeEntry();
        for (Map.Entry<String, String> file : prepared.storageKeys().entrySet()) {
            zip.putNextEntry(new ZipEntry(ArchiveManifest.ARTIFACT_PREFIX + file.getKey()));
            try (InputStream in = store.open(file.getValue()).getInputStream()) {
                in.transferTo(zip);
            }
            zip.closeEntry();
        }
        zip.finish();
        zip.flush();
    }

    private Prepared read(UUID experimentId) {
        ArchiveManifest.Experiment experiment = jdbc.sql("""
                SELECT id, name, spec::text AS spec, resolved_spec::text AS resolved_spec, spec_hash, schema_version,
                       created_at,
                       ARRAY(SELECT seed FROM replicate r WHERE r.experiment_id = e.id ORDER BY seed) AS seeds
                FROM experiment e WHERE id = :e""")
                .param("e", experimentId)
                .query((rs, n) -> new ArchiveManifest.Experiment(rs.getObject("id", UUID.class), rs.getString("name"),
                        json.readTree(rs.getString("spec")), json.readTree(rs.getString("resolved_spec")),
                        rs.getString("spec_hash"), rs.getInt("schema_version"), seeds(rs), instant(rs, "created_at")))
                .single();

        Map<UUID, List<String>> aliases = labels("""
                SELECT a.ticket_id, a.alias AS label FROM ticket_alias a WHERE a.experiment_id = :e ORDER BY a.alias""",
                experimentId);
        Map<UUID, List<String>> tags = labels("""
                SELECT g.ticket_id, g.tag AS label FROM ticket_tag g JOIN ticket t ON t.id = g.ticket_id
                WHERE t.experiment_id = :e ORDER BY g.tag""", experimentId);
        List<ArchiveManifest.Ticket> tickets = jdbc.sql("""
                SELECT id, kind, seed, level, step, parent_ticket_id, job_id, source_mask_id, prunable_weights,
                       remaining_prunable, total_parameters, remaining_total, layers::text AS layers,
                       provenance::text AS provenance, calibration::text AS calibration, mask_sha256, rewind_sha256,
                       trained_sha256, created_at
                FROM ticket WHERE experiment_id = :e
                ORDER BY seed, level, kind <> 'imp', kind, step, created_at, id""")
                .param("e", experimentId)
                .query((rs, n) -> {
                    UUID id = rs.getObject("id", UUID.class);
                    return new ArchiveManifest.Ticket(id, rs.getString("kind"), rs.getLong("seed"), rs.getInt("level"),
                            rs.getObject("step", Long.class), rs.getObject("parent_ticket_id", UUID.class),
                            rs.getObject("job_id", UUID.class), rs.getObject("source_mask_id", UUID.class),
                            rs.getLong("prunable_weights"), rs.getLong("remaining_prunable"),
                            rs.getLong("total_parameters"), rs.getLong("remaining_total"), tree(rs, "layers"),
                            tree(rs, "provenance"), tree(rs, "calibration"),
                            new ArchiveManifest.Files(rs.getString("mask_sha256"), rs.getString("rewind_sha256"),
                                    rs.getString("trained_sha256")),
                            aliases.getOrDefault(id, List.of()), tags.getOrDefault(id, List.of()),
                            instant(rs, "created_at"));
                })
                .list();

        List<ArchiveManifest.Metric> metrics = jdbc.sql("""
                SELECT m.ticket_id, m.job_id, m.dataset, m.split, m.name, m.value, m.conventions::text AS conventions,
                       m.details::text AS details, m.created_at
                FROM metric m JOIN ticket t ON t.id = m.ticket_id WHERE t.experiment_id = :e ORDER BY m.id""")
                .param("e", experimentId)
                .query((rs, n) -> new ArchiveManifest.Metric(rs.getObject("ticket_id", UUID.class),
                        rs.getObject("job_id", UUID.class), rs.getString("dataset"), rs.getString("split"),
                        rs.getString("name"), rs.getDouble("value"), tree(rs, "conventions"), tree(rs, "details"),
                        instant(rs, "created_at")))
                .list();

        List<ArchiveManifest.Job> jobs = jdbc.sql("""
                SELECT id, kind, seed, level, parent_ticket_id, source_mask_id, control, params::text AS params, status,
                       attempts, created_at, finished_at
                FROM job WHERE id IN (SELECT t.job_id FROM ticket t WHERE t.experiment_id = :e
                                      UNION SELECT m.job_id FROM metric m JOIN ticket t ON t.id = m.ticket_id
                                            WHERE t.experiment_id = :e)
                ORDER BY created_at, id""")
                .param("e", experimentId)
                .query((rs, n) -> new ArchiveManifest.Job(rs.getObject("id", UUID.class), rs.getString("kind"),
                        rs.getLong("seed"), rs.getInt("level"), rs.getObject("parent_ticket_id", UUID.class),
                        rs.getObject("source_mask_id", UUID.class), rs.getString("control"), tree(rs, "params"),
                        rs.getString("status"), rs.getInt("attempts"), instant(rs, "created_at"),
                        instant(rs, "finished_at")))
                .list();

        Map<String, Set<String>> roles = new TreeMap<>();
        for (ArchiveManifest.Ticket ticket : tickets) {
            roles.computeIfAbsent(ticket.files().mask(), k -> new LinkedHashSet<>()).add("mask");
            roles.computeIfAbsent(ticket.files().rewind(), k -> new LinkedHashSet<>()).add("rewind");
            roles.computeIfAbsent(ticket.files().weights(), k -> new LinkedHashSet<>()).add("weights");
        }
        Map<String, FileRow> rows = new HashMap<>();
        if (!roles.isEmpty()) {
            jdbc.sql("SELECT sha256, size_bytes, media_type, storage_key FROM artifact WHERE sha256 IN (:shas)")
                    .param("shas", roles.keySet())
                    .query((rs, n) -> new FileRow(rs.getString("sha256"), rs.getLong("size_bytes"),
                            rs.getString("media_type"), rs.getString("storage_key")))
                    .list()
                    .forEach(row -> rows.put(row.sha256(), row));
        }
        List<ArchiveManifest.FileEntry> files = new ArrayList<>();
        Map<String, String> keys = new java.util.LinkedHashMap<>();
        roles.forEach((sha, named) -> {
            FileRow row = rows.get(sha);
            files.add(new ArchiveManifest.FileEntry(ArchiveManifest.ARTIFACT_PREFIX + sha, sha, row.size(),
                    row.mediaType(), List.copyOf(named)));
            keys.put(sha, row.storageKey());
        });
        ArchiveManifest manifest = new ArchiveManifest(ArchiveManifest.FORMAT, ArchiveManifest.FORMAT_VERSION,
                Instant.now(), deployment.id(), experiment, jobs, tickets, metrics, files);
        return new Prepared(experimentId, manifest, keys);
    }

    private Map<UUID, List<String>> labels(String sql, UUID experimentId) {
        Map<UUID, List<String>> out = new HashMap<>();
        jdbc.sql(sql).param("e", experimentId).query(rs -> {
            out.computeIfAbsent(rs.getObject("ticket_id", UUID.class), k -> new ArrayList<>()).add(rs.getString("label"));
        });
        return out;
    }

    private JsonNode tree(ResultSet rs, String column) throws SQLException {
        String text = rs.getString(column);
        return text == null ? null : json.readTree(text);
    }

    private static List<Long> seeds(ResultSet rs) throws SQLException {
        Long[] values = (Long[]) rs.getArray("seeds").getArray();
        return List.of(values);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
