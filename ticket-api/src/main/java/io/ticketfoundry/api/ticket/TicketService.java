package io.ticketfoundry.api.ticket;

import io.ticketfoundry.api.artifact.ArtifactService;
import io.ticketfoundry.api.artifact.Sha256;
import io.ticketfoundry.api.job.JobQueue;
import io.ticketfoundry.api.sharing.ExperimentAccess;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.ticket.TicketRepository.MetricRow;
import io.ticketfoundry.api.ticket.TicketRepository.TicketRow;
import io.ticketfoundry.api.ticket.TicketViews.ArtifactLink;
import io.ticketfoundry.api.ticket.TicketViews.Lineage;
import io.ticketfoundry.api.ticket.TicketViews.LineageEdge;
import io.ticketfoundry.api.ticket.TicketViews.LineageNode;
import io.ticketfoundry.api.ticket.TicketViews.MetricView;
import io.ticketfoundry.api.ticket.TicketViews.TicketArtifacts;
import io.ticketfoundry.api.ticket.TicketViews.TicketList;
import io.ticketfoundry.api.ticket.TicketViews.TicketSummary;
import io.ticketfoundry.api.ticket.TicketViews.WeightCount;
import io.ticketfoundry.api.web.ApiException;
import io.ticketfoundry.api.web.FieldProblem;
import io.ticketfoundry.common.protocol.LayerDensity;
import io.ticketfoundry.common.protocol.MetricReport;
import io.ticketfoundry.common.protocol.SnapshotReport;
import io.ticketfoundry.common.protocol.TicketReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.core.io.Resource;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Records the tickets workers report and serves them, their lineage and their files to the team. */
@Service
public class TicketService {

    /** The three files of a ticket as downloads: path segment, file name suffix. */
    public enum TicketFile {
        MASK("mask"), REWIND("rewind"), WEIGHTS("weights");

        private final String segment;

        TicketFile(String segment) {
            this.segment = segment;
        }

        public String segment() {
            return segment;
        }
    }

    private static final TypeReference<Map<String, Object>> OBJECT_MAP = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, LayerDensity>> LAYER_MAP = new TypeReference<>() {
    };

    private final TicketRepository tickets;
    private final ArtifactService artifacts;
    private final JdbcClient jdbc;
    private final JsonMapper json;

    private final ExperimentAccess access;

    public TicketService(TicketRepository tickets, ArtifactService artifacts, JdbcClient jdbc, JsonMapper json,
            ExperimentAccess access) {
        this.access = access;
        this.tickets = tickets;
        this.artifacts = artifacts;
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Stores the ticket a held job made, with its metrics, in the caller's transaction. Every
     * artifact it names must be an output uploaded by this job or one of the job's inputs.
     */
    public UUID record(JobQueue.HeldJob job, TicketReport report) {
        return record(job, report, List.of());
    }

    /**
     * As {@link #record(JobQueue.HeldJob, TicketReport)}, with the snapshots a sparse-training job
     * kept (in step order; the caller checked that the job may have them): each becomes a ticket of
     * kind {@value #SNAPSHOT_KIND} whose parent is the snapshot before it, and the job's own ticket
     * takes the last snapshot as its parent, so the lineage shows the mask's evolution.
     */
    public UUID record(JobQueue.HeldJob job, TicketReport report, List<SnapshotReport> snapshots) {
        Set<String> usable = Set.copyOf(jdbc.sql("SELECT sha256 FROM job_artifact WHERE job_id = :job")
                .param("job", job.id()).query(String.class).list());
        validate(job, report, "ticket", usable);
        List<SnapshotReport> kept = snapshots == null ? List.of() : snapshots;
        long previousStep = 0;
        for (int i = 0; i < kept.size(); i++) {
            SnapshotReport snapshot = kept.get(i);
            String path = "snapshots[" + i + "]";
            if (snapshot == null || snapshot.ticket() == null) {
                throw ApiException.invalid(path + ".ticket", "is required");
            }
            if (snapshot.step() <= previousStep) {
                throw ApiException.invalid(path + ".step", "must be >= 1 and above the step of the snapshot before it");
            }
            previousStep = snapshot.step();
            validate(job, snapshot.ticket(), path + ".ticket", usable);
            if (snapshot.ticket().calibration() != null) {
                throw ApiException.invalid(path + ".ticket.calibration", "is only for calibrate jobs");
            }
        }
        boolean calibrated = JobQueue.TICKET_KIND_CALIBRATED.equals(job.ticketKind());
        if (calibrated != (report.calibration() != null)) {
            throw ApiException.invalid("ticket.calibration",
                    calibrated ? "is required for a calibrated ticket" : "is only for calibrate jobs");
        }
        if (!calibrated && tickets.existsFor(job.experimentId(), job.seed(), job.level(), job.ticketKind())) {
            throw ApiException.conflict("experiment " + job.experimentId() + " already has a " + job.ticketKind()
                    + " ticket for seed " + job.seed() + " at level " + job.level());
        }
        UUID parent = job.parentTicketId();
        for (SnapshotReport snapshot : kept) {
            Map<String, String> provenance = provenance(job, snapshot.ticket());
            provenance.put("snapshotStep", Long.toString(snapshot.step()));
            parent = insert(job, snapshot.ticket(), parent, SNAPSHOT_KIND, provenance, null, snapshot.step());
        }
        return insert(job, report, parent, job.ticketKind(), provenance(job, report),
                calibrated ? json.writeValueAsString(report.calibration()) : null, null);
    }

    /** The kind of the tickets a sparse-training job keeps during training. */
    public static final String SNAPSHOT_KIND = "snapshot";

    private Map<String, String> provenance(JobQueue.HeldJob job, TicketReport report) {
        Map<String, String> provenance = new TreeMap<>(report.provenance() == null ? Map.of() : report.provenance());
        provenance.put("jobId", job.id().toString());
        provenance.put("attempt", Integer.toString(job.attempts()));
        provenance.put("fencingToken", Long.toString(job.fencingToken()));
        if (job.leaseOwner() != null) {
            provenance.put("workerId", job.leaseOwner());
        }
        return provenance;
    }

    private UUID insert(JobQueue.HeldJob job, TicketReport report, UUID parent, String kind,
            Map<String, String> provenance, String calibrationJson, Long step) {
        UUID id = UUID.randomUUID();
        tickets.insert(new TicketRow(id, job.experimentId(), null, job.seed(), job.level(), parent, job.id(),
                report.maskSha256(), report.rewindSha256(), report.trainedSha256(), report.prunableWeights(),
                report.remainingPrunable(), report.totalParameters(), report.remainingTotal(),
                json.writeValueAsString(report.layers() == null ? Map.of() : new TreeMap<>(report.layers())),
                json.writeValueAsString(provenance), null, kind, calibrationJson, step));
        insertMetrics(id, job.id(), report.metrics());
        return id;
    }

    /**
     * Attaches metrics a held job measured to the ticket it worked on (an evaluate job's scores, a
     * calibration's "before" values), in the caller's transaction.
     */
    public void recordMetrics(JobQueue.HeldJob job, List<MetricReport> metrics) {
        if (job.parentTicketId() == null) {
            throw ApiException.invalid("metrics", "this job has no ticket to attach metrics to");
        }
        List<FieldProblem> problems = new ArrayList<>();
        checkMetrics(metrics == null ? List.of() : metrics, "metrics", problems);
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        insertMetrics(job.parentTicketId(), job.id(), metrics);
    }

    private void insertMetrics(UUID ticketId, UUID jobId, List<MetricReport> metrics) {
        for (MetricReport metric : metrics == null ? List.<MetricReport>of() : metrics) {
            tickets.insertMetric(new MetricRow(ticketId, jobId, metric.dataset(), metric.split(), metric.name(),
                    metric.value(), json.writeValueAsString(metric.conventions() == null ? Map.of() : metric.conventions()),
                    metric.details() == null ? null : json.writeValueAsString(metric.details()), null));
        }
    }

    /** @param usable the artifacts the job may name: its inputs and its uploads */
    private void validate(JobQueue.HeldJob job, TicketReport report, String path, Set<String> usable) {
        if (report == null) {
            throw ApiException.invalid(path, "is required");
        }
        List<FieldProblem> problems = new ArrayList<>();
        if (report.level() != job.level()) {
            problems.add(new FieldProblem(path + ".level", "must be the job's level " + job.level()));
        }
        if (report.prunableWeights() <= 0) {
            problems.add(new FieldProblem(path + ".prunableWeights", "must be positive"));
        }
        if (report.remainingPrunable() < 0 || report.remainingPrunable() > report.prunableWeights()) {
            problems.add(new FieldProblem(path + ".remainingPrunable", "must be between 0 and prunableWeights"));
        }
        if (report.totalParameters() < report.prunableWeights()) {
            problems.add(new FieldProblem(path + ".totalParameters", "must be at least prunableWeights"));
        }
        if (report.remainingTotal() < report.remainingPrunable() || report.remainingTotal() > report.totalParameters()) {
            problems.add(new FieldProblem(path + ".remainingTotal", "must be between remainingPrunable and totalParameters"));
        }
        if (report.layers() != null) {
            report.layers().forEach((name, layer) -> {
                if (layer == null || layer.total() < 0 || layer.remaining() < 0 || layer.remaining() > layer.total()) {
                    problems.add(new FieldProblem(path + ".layers." + name, "must have 0 <= remaining <= total"));
                }
            });
        }
        checkMetrics(report.metrics() == null ? List.of() : report.metrics(), path + ".metrics", problems);
        checkArtifact(problems, path + ".maskSha256", report.maskSha256(), usable);
        checkArtifact(problems, path + ".rewindSha256", report.rewindSha256(), usable);
        checkArtifact(problems, path + ".trainedSha256", report.trainedSha256(), usable);
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
    }

    private static void checkMetrics(List<MetricReport> metrics, String path, List<FieldProblem> problems) {
        for (int i = 0; i < metrics.size(); i++) {
            MetricReport metric = metrics.get(i);
            String at = path + "[" + i + "]";
            if (metric == null) {
                problems.add(new FieldProblem(at, "must not be null"));
                continue;
            }
            if (blank(metric.dataset())) {
                problems.add(new FieldProblem(at + ".dataset", "is required"));
            }
            if (blank(metric.split())) {
                problems.add(new FieldProblem(at + ".split", "is required"));
            }
            if (blank(metric.name())) {
                problems.add(new FieldProblem(at + ".name", "is required"));
            }
            if (!Double.isFinite(metric.value())) {
                problems.add(new FieldProblem(at + ".value", "must be a finite number"));
            }
        }
    }

    private static void checkArtifact(List<FieldProblem> problems, String field, String sha256, Set<String> usable) {
        if (!Sha256.isValid(sha256)) {
            problems.add(new FieldProblem(field, "must be 64 lower-case hex digits"));
        } else if (!usable.contains(sha256)) {
            problems.add(new FieldProblem(field, "was neither uploaded by this job nor one of its inputs"));
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    // ---- reading ----

    /** One ticket the caller may read; a tombstone too (see {@link TicketViews.Ticket}). */
    public TicketViews.Ticket get(UUID id, Caller caller) {
        TicketRow row = tickets.find(id).orElseThrow(() -> ApiException.notFound("ticket " + id));
        ExperimentAccess.Readable experiment = access.requireReadableOrDeleted(row.experimentId(), caller, "ticket " + id);
        boolean tombstone = row.maskSha256() == null;
        List<MetricView> metrics = tickets.metricsOf(List.of(id)).stream().map(this::metricView).toList();
        Map<String, LayerDensity> layers = json.readValue(row.layersJson(), LAYER_MAP);
        Map<String, WeightCount> layerViews = new LinkedHashMap<>();
        new TreeMap<>(layers).forEach((name, layer) -> layerViews.put(name, WeightCount.of(layer.total(), layer.remaining())));
        String base = "/api/v1/tickets/" + id + "/";
        TicketArtifacts files = tombstone ? null : new TicketArtifacts(
                link(row.maskSha256(), base + TicketFile.MASK.segment()),
                link(row.rewindSha256(), base + TicketFile.REWIND.segment()),
                link(row.trainedSha256(), base + TicketFile.WEIGHTS.segment()));
        return new TicketViews.Ticket(row.id(), row.experimentId(), row.jobId(), row.seed(), row.level(),
                row.parentTicketId(), sparsity(row), WeightCount.of(row.prunableWeights(), row.remainingPrunable()),
                WeightCount.of(row.totalParameters(), row.remainingTotal()), layerViews, metrics,
                json.readValue(row.provenanceJson(), STRING_MAP), files, row.createdAt(), row.kind(),
                row.calibrationJson() == null ? null : json.readValue(row.calibrationJson(), OBJECT_MAP), row.step(),
                row.sourceMaskId(),
                jdbc.sql("SELECT alias FROM ticket_alias WHERE ticket_id = :t ORDER BY alias").param("t", id)
                        .query(String.class).list(),
                jdbc.sql("SELECT tag FROM ticket_tag WHERE ticket_id = :t ORDER BY tag").param("t", id)
                        .query(String.class).list(),
                tombstone, experiment.deleted() ? deletedExperiment(row.experimentId()) : null);
    }

    private TicketViews.DeletedExperiment deletedExperiment(UUID experimentId) {
        return jdbc.sql("""
                SELECT id, team_id, name, spec_hash, spec::text AS spec, resolved_spec::text AS resolved_spec, deleted_at
                FROM experiment WHERE id = :id""")
                .param("id", experimentId)
                .query((rs, n) -> new TicketViews.DeletedExperiment(rs.getObject("id", UUID.class),
                        rs.getObject("team_id", UUID.class), rs.getString("name"), rs.getString("spec_hash"),
                        json.readTree(rs.getString("spec")), json.readTree(rs.getString("resolved_spec")),
                        rs.getTimestamp("deleted_at").toInstant()))
                .single();
    }

    public TicketList list(UUID experimentId, Long seed, Caller caller) {
        requireExperimentReadable(experimentId, caller);
        List<TicketRow> rows = tickets.listByExperiment(experimentId, seed);
        Map<UUID, List<MetricRow>> metrics = metricsByTicket(rows);
        return new TicketList(experimentId, rows.stream().map(row -> new TicketSummary(row.id(), row.seed(), row.level(),
                row.parentTicketId(), sparsity(row), WeightCount.of(row.prunableWeights(), row.remainingPrunable()),
                WeightCount.of(row.totalParameters(), row.remainingTotal()),
                headline(row, metrics.get(row.id()), "accuracy"), headline(row, metrics.get(row.id()), "ece"),
                headline(row, metrics.get(row.id()), "nll"), headline(row, metrics.get(row.id()), "brier"),
                row.createdAt(), row.kind(), row.step()))
                .toList());
    }

    public Lineage lineage(UUID experimentId, Caller caller) {
        requireExperimentReadable(experimentId, caller);
        List<TicketRow> rows = tickets.listByExperiment(experimentId, null);
        Map<UUID, List<MetricRow>> metrics = metricsByTicket(rows);
        List<LineageNode> nodes = rows.stream().map(row -> new LineageNode(row.id(), row.level(), row.seed(),
                sparsity(row), row.parentTicketId(), headline(row, metrics.get(row.id()), "accuracy"),
                headline(row, metrics.get(row.id()), "ece"), row.kind(), row.step(), row.sourceMaskId())).toList();
        // an IMP ticket's parent is the level it was pruned from; a control's is the ticket it controls for;
        // a sparse-training snapshot's child is the same run's mask at a later step
        Map<UUID, String> kinds = rows.stream().collect(Collectors.toMap(TicketRow::id, TicketRow::kind));
        List<LineageEdge> edges = rows.stream().filter(row -> row.parentTicketId() != null)
                .map(row -> new LineageEdge(row.parentTicketId(), row.id(),
                        SNAPSHOT_KIND.equals(kinds.get(row.parentTicketId())) && !JobQueue.TICKET_KIND_CALIBRATED.equals(row.kind())
                                ? "evolve" : edgeKind(row.kind())))
                .toList();
        return new Lineage(experimentId, nodes, edges);
    }

    public ResponseEntity<Resource> download(UUID id, TicketFile file, Caller caller) {
        TicketRow row = tickets.find(id).orElseThrow(() -> ApiException.notFound("ticket " + id));
        ExperimentAccess.Readable experiment = access.requireReadableOrDeleted(row.experimentId(), caller, "ticket " + id);
        if (experiment.deleted()) {
            throw ApiException.gone("ticket " + id + " is a tombstone: experiment " + row.experimentId()
                    + " was deleted at " + experiment.deletedAt() + " and the ticket's files with it");
        }
        String sha = switch (file) {
            case MASK -> row.maskSha256();
            case REWIND -> row.rewindSha256();
            case WEIGHTS -> row.trainedSha256();
        };
        return artifacts.download(sha, id + "-" + file.segment() + ".safetensors");
    }

    private void requireExperimentReadable(UUID experimentId, Caller caller) {
        access.requireReadable(experimentId, caller, "experiment " + experimentId);
    }

    private Map<UUID, List<MetricRow>> metricsByTicket(List<TicketRow> rows) {
        return tickets.metricsOf(rows.stream().map(TicketRow::id).toList()).stream()
                .collect(Collectors.groupingBy(MetricRow::ticketId));
    }

    private static String edgeKind(String ticketKind) {
        return switch (ticketKind) {
            case "imp" -> "prune";
            case JobQueue.TICKET_KIND_CALIBRATED -> "calibrate";
            case JobQueue.KIND_TRANSFER, JobQueue.KIND_TRANSFER_RANDOM -> "transfer";
            default -> "control";
        };
    }

    /** The value of metric {@code name} as the ticket's own job measured it, preferring the test split. */
    private static Double headline(TicketRow ticket, List<MetricRow> metrics, String name) {
        if (metrics == null) {
            return null;
        }
        return metrics.stream().filter(m -> m.name().equalsIgnoreCase(name))
                .min(Comparator.comparing((MetricRow m) -> !ticket.jobId().equals(m.jobId()))
                        .thenComparing(m -> !"test".equalsIgnoreCase(m.split())))
                .map(MetricRow::value).orElse(null);
    }

    private MetricView metricView(MetricRow row) {
        return new MetricView(row.dataset(), row.split(), row.name(), row.value(),
                row.conventionsJson() == null ? Map.of() : json.readValue(row.conventionsJson(), OBJECT_MAP),
                row.detailsJson() == null ? null : json.readValue(row.detailsJson(), OBJECT_MAP), row.jobId());
    }

    private ArtifactLink link(String sha, String url) {
        return new ArtifactLink(sha, artifacts.find(sha).map(ArtifactService.ArtifactInfo::size).orElse(null), url);
    }

    static double sparsity(TicketRow row) {
        return row.prunableWeights() == 0 ? 0.0 : 1.0 - (double) row.remainingPrunable() / row.prunableWeights();
    }

}
