package io.ticketfoundry.api.ticket;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Tickets and their metrics in PostgreSQL; JSON columns travel as strings. */
@Repository
public class TicketRepository {

    /**
     * One {@code ticket} row plus the team that owns its experiment; {@code step} is a snapshot's
     * training step (null for other kinds); {@code sourceMaskId} the uploaded mask a transfer retrained
     * (copied from its job when inserted).
     */
    public record TicketRow(UUID id, UUID experimentId, UUID teamId, long seed, int level, UUID parentTicketId,
            UUID jobId, String maskSha256, String rewindSha256, String trainedSha256, long prunableWeights,
            long remainingPrunable, long totalParameters, long remainingTotal, String layersJson,
            String provenanceJson, java.time.Instant createdAt, String kind, String calibrationJson, Long step,
            UUID sourceMaskId) {

        /** A row without an uploaded source mask. */
        public TicketRow(UUID id, UUID experimentId, UUID teamId, long seed, int level, UUID parentTicketId,
                UUID jobId, String maskSha256, String rewindSha256, String trainedSha256, long prunableWeights,
                long remainingPrunable, long totalParameters, long remainingTotal, String layersJson,
                String provenanceJson, java.time.Instant createdAt, String kind, String calibrationJson, Long step) {
            this(id, experimentId, teamId, seed, level, parentTicketId, jobId, maskSha256, rewindSha256, trainedSha256,
                    prunableWeights, remainingPrunable, totalParameters, remainingTotal, layersJson, provenanceJson,
                    createdAt, kind, calibrationJson, step, null);
        }

        /** A row of any kind but snapshot. */
        public TicketRow(UUID id, UUID experimentId, UUID teamId, long seed, int level, UUID parentTicketId,
                UUID jobId, String maskSha256, String rewindSha256, String trainedSha256, long prunableWeights,
                long remainingPrunable, long totalParameters, long remainingTotal, String layersJson,
                String provenanceJson, java.time.Instant createdAt, String kind, String calibrationJson) {
            this(id, experimentId, teamId, seed, level, parentTicketId, jobId, maskSha256, rewindSha256, trainedSha256,
                    prunableWeights, remainingPrunable, totalParameters, remainingTotal, layersJson, provenanceJson,
                    createdAt, kind, calibrationJson, null);
        }
    }

    /** One {@code metric} row; {@code jobId} is the job that measured it (the ticket's own, an evaluate or a calibrate job). */
    public record MetricRow(UUID ticketId, UUID jobId, String dataset, String split, String name, double value,
            String conventionsJson, String detailsJson, java.time.Instant createdAt) {
    }

    private static final String SELECT_TICKET = """
            SELECT t.*, t.calibration::text AS calibration_json, e.team_id FROM ticket t JOIN experiment e ON e.id = t.experiment_id
            """;

    private final JdbcClient jdbc;

    public TicketRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(TicketRow t) {
        jdbc.sql("""
                INSERT INTO ticket (id, experiment_id, seed, level, parent_ticket_id, job_id, mask_sha256,
                                    rewind_sha256, trained_sha256, prunable_weights, remaining_prunable,
                                    total_parameters, remaining_total, layers, provenance, kind, calibration, step,
                                    source_mask_id)
                VALUES (:id, :experiment, :seed, :level, :parent, :job, :mask, :rewind, :trained, :prunable,
                        :remainingPrunable, :total, :remainingTotal, CAST(:layers AS jsonb), CAST(:provenance AS jsonb), :kind,
                        CAST(:calibration AS jsonb), :step, (SELECT source_mask_id FROM job WHERE id = :job))""")
                .param("id", t.id())
                .param("experiment", t.experimentId())
                .param("seed", t.seed())
                .param("level", t.level())
                .param("parent", t.parentTicketId())
                .param("job", t.jobId())
                .param("mask", t.maskSha256())
                .param("rewind", t.rewindSha256())
                .param("trained", t.trainedSha256())
                .param("prunable", t.prunableWeights())
                .param("remainingPrunable", t.remainingPrunable())
                .param("total", t.totalParameters())
                .param("remainingTotal", t.remainingTotal())
                .param("layers", t.layersJson())
                .param("provenance", t.provenanceJson())
                .param("kind", t.kind() == null ? "imp" : t.kind())
                .param("calibration", t.calibrationJson())
                .param("step", t.step())
                .update();
    }

    public void insertMetric(MetricRow m) {
        jdbc.sql("""
                INSERT INTO metric (ticket_id, job_id, dataset, split, name, value, conventions, details)
                VALUES (:ticket, :job, :dataset, :split, :name, :value, CAST(:conventions AS jsonb), CAST(:details AS jsonb))""")
                .param("ticket", m.ticketId())
                .param("job", m.jobId())
                .param("dataset", m.dataset())
                .param("split", m.split())
                .param("name", m.name())
                .param("value", m.value())
                .param("conventions", m.conventionsJson())
                .param("details", m.detailsJson())
                .update();
    }

    public boolean existsFor(UUID experimentId, long seed, int level, String kind) {
        return jdbc.sql("SELECT count(*) FROM ticket WHERE experiment_id = :e AND seed = :s AND level = :l AND kind = :k")
                .param("e", experimentId).param("s", seed).param("l", level).param("k", kind)
                .query(Long.class).single() > 0;
    }

    public Optional<TicketRow> find(UUID id) {
        return jdbc.sql(SELECT_TICKET + " WHERE t.id = :id").param("id", id).query(TicketRepository::ticket).optional();
    }

    public List<TicketRow> listByExperiment(UUID experimentId, Long seed) {
        return jdbc.sql(SELECT_TICKET + """
                 WHERE t.experiment_id = :experiment AND (CAST(:seed AS bigint) IS NULL OR t.seed = :seed)
                 ORDER BY t.seed, t.level, t.kind <> 'imp', t.kind, t.step, t.created_at, t.id""")
                .param("experiment", experimentId)
                .param("seed", seed)
                .query(TicketRepository::ticket)
                .list();
    }

    public List<MetricRow> metricsOf(Collection<UUID> ticketIds) {
        if (ticketIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT ticket_id, job_id, dataset, split, name, value, conventions::text AS conventions,
                       details::text AS details, created_at
                FROM metric WHERE ticket_id IN (:ids) ORDER BY id""")
                .param("ids", ticketIds)
                .query((rs, n) -> new MetricRow(rs.getObject("ticket_id", UUID.class), rs.getObject("job_id", UUID.class),
                        rs.getString("dataset"), rs.getString("split"), rs.getString("name"), rs.getDouble("value"),
                        rs.getString("conventions"), rs.getString("details"), rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    private static TicketRow ticket(ResultSet rs, int n) throws SQLException {
        return new TicketRow(
                rs.getObject("id", UUID.class),
                rs.getObject("experiment_id", UUID.class),
                rs.getObject("team_id", UUID.class),
                rs.getLong("seed"),
                rs.getInt("level"),
                rs.getObject("parent_ticket_id", UUID.class),
                rs.getObject("job_id", UUID.class),
                rs.getString("mask_sha256"),
                rs.getString("rewind_sha256"),
                rs.getString("trained_sha256"),
                rs.getLong("prunable_weights"),
                rs.getLong("remaining_prunable"),
                rs.getLong("total_parameters"),
                rs.getLong("remaining_total"),
                rs.getString("layers"),
                rs.getString("provenance"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getString("kind"),
                rs.getString("calibration_json"),
                rs.getObject("step", Long.class),
                rs.getObject("source_mask_id", UUID.class));
    }
}
