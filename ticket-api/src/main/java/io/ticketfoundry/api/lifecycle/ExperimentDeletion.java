package io.ticketfoundry.api.lifecycle;

import io.ticketfoundry.api.artifact.ArtifactService;
import io.ticketfoundry.api.audit.AuditLog;
import io.ticketfoundry.api.sharing.ExperimentAccess;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.web.ApiException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deleting an experiment. In one transaction: its jobs, checkpoints, labels, sweep entries and the
 * tickets nothing outside it names go; a ticket that a ticket or job of another experiment names as
 * its parent (a transfer source) stays as a tombstone (no files, metrics and provenance kept), and
 * so does every ticket of the experiment it descends from (its parents, its job's parent and the
 * parents of the jobs that measured its metrics), so every lineage still resolves. The experiment
 * row stays as a tombstone while any ticket does, and goes otherwise. After the commit every
 * artifact the experiment held is deleted unless something else still names it
 * ({@link ArtifactService#deleteIfUnreferenced}). Tombstoned experiments upstream whose tickets the
 * deleted experiment was the last to name are trimmed the same way, in the same transaction.
 */
@Service
public class ExperimentDeletion {

    /**
     * What a deletion did. {@code tombstone}: the experiment row stays (deleted) because
     * {@code tombstoneTickets} remain; {@code endedJobs} were queued or running;
     * {@code trimmedExperiments} are deleted experiments upstream whose tombstones went too.
     */
    public record Deleted(UUID experimentId, boolean tombstone, List<UUID> tombstoneTickets, int deletedTickets,
            int deletedJobs, int endedJobs, int releasedArtifacts, int deletedArtifacts,
            List<UUID> trimmedExperiments) {
    }

    /** One experiment's purge: what it removed and the artifacts it released. */
    private record Purge(List<UUID> kept, int deletedTickets, int deletedJobs, boolean removed, Set<String> released,
            List<UUID> trimmed) {
    }

    private final JdbcClient jdbc;
    private final ExperimentAccess access;
    private final AuditLog audit;
    private final ArtifactService artifacts;
    private final TransactionTemplate transaction;

    public ExperimentDeletion(JdbcClient jdbc, ExperimentAccess access, AuditLog audit, ArtifactService artifacts,
            TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.access = access;
        this.audit = audit;
        this.artifacts = artifacts;
        this.transaction = transaction;
    }

    /**
     * Deletes {@code experimentId} for a member or admin of its team. 409 while any of its jobs is
     * leased (unless {@code cancel}: then queued and running jobs are ended with it; a worker still
     * running one finds its lease gone at its next call) and while a queued or running job of another
     * experiment starts from one of its tickets or uses one as its reference.
     */
    public Deleted delete(UUID experimentId, boolean cancel, Caller caller) {
        record Outcome(Purge purge, int ended) {
        }
        Outcome outcome = transaction.execute(status -> {
            ExperimentAccess.Access found = access.requireWritable(experimentId, caller, "experiment " + experimentId);
            // jobs first, as a completing worker locks them (then the experiment, by its ticket's key);
            // the experiment then keeps new jobs and tickets out, and the second job lock takes any newcomer
            lockJobs(experimentId);
            // a concurrent deletion may have gone first
            record Row(java.sql.Timestamp deletedAt) {
            }
            Row row = jdbc.sql("SELECT deleted_at FROM experiment WHERE id = :e FOR UPDATE").param("e", experimentId)
                    .query((rs, n) -> new Row(rs.getTimestamp("deleted_at"))).optional()
                    .orElseThrow(() -> ApiException.notFound("experiment " + experimentId));
            if (row.deletedAt() != null) {
                throw ExperimentAccess.gone(experimentId, row.deletedAt().toInstant(), "experiment " + experimentId);
            }
            Map<String, Long> live = lockJobs(experimentId);
            long leased = live.getOrDefault("leased", 0L);
            if (leased > 0 && !cancel) {
                throw ApiException.conflict("experiment " + experimentId + " has " + leased + " running job(s); "
                        + "DELETE with ?cancel=true ends them with the experiment");
            }
            jdbc.sql("SELECT id FROM ticket WHERE experiment_id = :e ORDER BY id FOR UPDATE").param("e", experimentId)
                    .query(UUID.class).list();
            List<String> blockers = foreignLiveJobs(experimentId);
            if (!blockers.isEmpty()) {
                throw ApiException.conflict("queued or running jobs of other experiments start from tickets of experiment "
                        + experimentId + " (" + String.join(", ", blockers) + "); they must end first");
            }
            int ended = (int) (leased + live.getOrDefault("queued", 0L));
            Purge purge = purge(experimentId, caller);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("tombstone", !purge.removed());
            details.put("tombstoneTickets", purge.kept().size());
            details.put("deletedTickets", purge.deletedTickets());
            details.put("deletedJobs", purge.deletedJobs());
            details.put("endedJobs", ended);
            details.put("releasedArtifacts", purge.released().size());
            audit.record(caller, found.teamId(), "experiment.deleted", "experiment", experimentId, details);
            return new Outcome(purge, ended);
        });
        Purge purge = outcome.purge();
        // each in a transaction of its own, now that nothing of the experiment names them
        int deleted = (int) artifacts.deleteIfUnreferenced(new TreeSet<>(purge.released())).values().stream()
                .filter(ArtifactService.Deletion.DELETED::equals).count();
        return new Deleted(experimentId, !purge.removed(), purge.kept(), purge.deletedTickets(), purge.deletedJobs(),
                outcome.ended(), purge.released().size(), deleted, purge.trimmed());
    }

    /** Locks the experiment's jobs; answers how many are queued and leased. */
    private Map<String, Long> lockJobs(UUID experimentId) {
        Map<String, Long> out = new HashMap<>();
        jdbc.sql("SELECT status FROM job WHERE experiment_id = :e ORDER BY id FOR UPDATE").param("e", experimentId)
                .query(String.class).list().forEach(s -> out.merge(s, 1L, Long::sum));
        return out;
    }

    /** Queued or running jobs of other experiments that start from, or compare with, a ticket of this one. */
    private List<String> foreignLiveJobs(UUID experimentId) {
        return jdbc.sql("""
                SELECT 'job ' || j.id || ' of experiment ' || j.experiment_id FROM job j
                WHERE j.experiment_id <> :e AND j.status IN ('queued', 'leased')
                  AND (j.parent_ticket_id IN (SELECT id FROM ticket WHERE experiment_id = :e)
                       OR j.params ->> 'referenceTicketId' IN (SELECT id::text FROM ticket WHERE experiment_id = :e))
                ORDER BY j.created_at LIMIT 20""")
                .param("e", experimentId).query(String.class).list();
    }

    /**
     * Removes what nothing outside {@code experimentId} needs, as described on the class, and
     * answers the artifacts it released. Runs on a live experiment being deleted and again on a
     * deleted one whose tombstones may have lost the last experiment that named them.
     */
    private Purge purge(UUID experimentId, Caller caller) {
        Map<UUID, UUID> ticketParent = new HashMap<>();
        Map<UUID, UUID> ticketJob = new HashMap<>();
        jdbc.sql("SELECT id, parent_ticket_id, job_id FROM ticket WHERE experiment_id = :e").param("e", experimentId)
                .query(rs -> {
                    UUID id = rs.getObject("id", UUID.class);
                    ticketParent.put(id, rs.getObject("parent_ticket_id", UUID.class));
                    ticketJob.put(id, rs.getObject("job_id", UUID.class));
                });
        Map<UUID, UUID> jobParent = new HashMap<>();
        jdbc.sql("SELECT id, parent_ticket_id FROM job WHERE experiment_id = :e").param("e", experimentId)
                .query(rs -> {
                    jobParent.put(rs.getObject("id", UUID.class), rs.getObject("parent_ticket_id", UUID.class));
                });
        Map<UUID, Set<UUID>> metricJobs = new HashMap<>();
        jdbc.sql("""
                SELECT DISTINCT m.ticket_id, m.job_id FROM metric m JOIN ticket t ON t.id = m.ticket_id
                WHERE t.experiment_id = :e""")
                .param("e", experimentId)
                .query(rs -> {
                    metricJobs.computeIfAbsent(rs.getObject("ticket_id", UUID.class), k -> new HashSet<>())
                            .add(rs.getObject("job_id", UUID.class));
                });
        List<UUID> named = jdbc.sql("""
                SELECT t.id FROM ticket t WHERE t.experiment_id = :e
                  AND (EXISTS (SELECT 1 FROM ticket c WHERE c.parent_ticket_id = t.id AND c.experiment_id <> :e)
                       OR EXISTS (SELECT 1 FROM job j WHERE j.parent_ticket_id = t.id AND j.experiment_id <> :e))""")
                .param("e", experimentId).query(UUID.class).list();

        // the tombstones: what other experiments name, closed over everything a kept ticket needs to resolve
        Set<UUID> keptTickets = new LinkedHashSet<>();
        Set<UUID> keptJobs = new HashSet<>();
        Deque<UUID> pending = new ArrayDeque<>(named);
        while (!pending.isEmpty()) {
            UUID ticket = pending.pop();
            if (!ticketParent.containsKey(ticket) || !keptTickets.add(ticket)) {
                continue;
            }
            List<UUID> needed = new ArrayList<>();
            needed.add(ticketParent.get(ticket));
            Set<UUID> jobs = new HashSet<>(metricJobs.getOrDefault(ticket, Set.of()));
            jobs.add(ticketJob.get(ticket));
            for (UUID job : jobs) {
                if (keptJobs.add(job)) {
                    needed.add(jobParent.get(job));
                }
            }
            needed.stream().filter(ticketParent::containsKey).forEach(pending::push);
        }

        List<UUID> upstream = jdbc.sql("""
                SELECT DISTINCT p.experiment_id FROM ticket p JOIN experiment pe ON pe.id = p.experiment_id
                WHERE pe.deleted_at IS NOT NULL AND p.experiment_id <> :e
                  AND p.id IN (SELECT parent_ticket_id FROM ticket WHERE experiment_id = :e
                               UNION SELECT parent_ticket_id FROM job WHERE experiment_id = :e)""")
                .param("e", experimentId).query(UUID.class).list();
        Set<String> released = new HashSet<>(jdbc.sql("""
                SELECT sha FROM ticket t, unnest(ARRAY[t.mask_sha256, t.rewind_sha256, t.trained_sha256]) AS sha
                WHERE t.experiment_id = :e AND sha IS NOT NULL
                UNION SELECT a.sha256 FROM job_artifact a JOIN job j ON j.id = a.job_id WHERE j.experiment_id = :e
                UNION SELECT c.sha256 FROM job_checkpoint c JOIN job j ON j.id = c.job_id WHERE j.experiment_id = :e""")
                .param("e", experimentId).query(String.class).list());

        jdbc.sql("DELETE FROM ticket_alias WHERE experiment_id = :e").param("e", experimentId).update();
        jdbc.sql("DELETE FROM ticket_tag WHERE ticket_id IN (SELECT id FROM ticket WHERE experiment_id = :e)")
                .param("e", experimentId).update();
        jdbc.sql("DELETE FROM label_event WHERE experiment_id = :e").param("e", experimentId).update();
        jdbc.sql("DELETE FROM sweep_experiment WHERE experiment_id = :e").param("e", experimentId).update();
        jdbc.sql("DELETE FROM job_artifact WHERE job_id IN (SELECT id FROM job WHERE experiment_id = :e)")
                .param("e", experimentId).update();
        jdbc.sql("DELETE FROM job_checkpoint WHERE job_id IN (SELECT id FROM job WHERE experiment_id = :e)")
                .param("e", experimentId).update();
        jdbc.sql("""
                UPDATE ticket SET mask_sha256 = NULL, rewind_sha256 = NULL, trained_sha256 = NULL,
                                  deleted_at = coalesce(deleted_at, now())
                WHERE id = ANY (CAST(:kept AS uuid[]))""")
                .param("kept", array(keptTickets)).update();
        // one statement, so that the keys between tickets and jobs (both ways) are checked once both are gone
        record Counts(int tickets, int jobs) {
        }
        Counts counts = jdbc.sql("""
                WITH gone_tickets AS (
                    DELETE FROM ticket WHERE experiment_id = :e AND NOT (id = ANY (CAST(:kept AS uuid[]))) RETURNING 1),
                gone_jobs AS (
                    DELETE FROM job WHERE experiment_id = :e AND NOT (id = ANY (CAST(:keptJobs AS uuid[]))) RETURNING 1)
                SELECT (SELECT count(*) FROM gone_tickets) AS tickets, (SELECT count(*) FROM gone_jobs) AS jobs""")
                .param("e", experimentId)
                .param("kept", array(keptTickets))
                .param("keptJobs", array(keptJobs))
                .query((rs, n) -> new Counts(rs.getInt("tickets"), rs.getInt("jobs")))
                .single();
        // a finished job's inputs were only readable while it ran; they would keep the released files alive
        jdbc.sql("""
                DELETE FROM job_artifact a USING job j
                WHERE a.job_id = j.id AND a.role = 'input' AND j.status NOT IN ('queued', 'leased')
                  AND a.sha256 = ANY (CAST(:released AS text[]))""")
                .param("released", array(released)).update();
        boolean removed = keptTickets.isEmpty();
        if (removed) {
            jdbc.sql("DELETE FROM experiment WHERE id = :e").param("e", experimentId).update();
        } else {
            jdbc.sql("""
                    UPDATE experiment SET deleted_at = coalesce(deleted_at, now()), deleted_by = coalesce(deleted_by, :by)
                    WHERE id = :e""")
                    .param("e", experimentId).param("by", caller.tokenId()).update();
        }

        List<UUID> trimmed = new ArrayList<>();
        for (UUID other : upstream) {
            UUID team = jdbc.sql("SELECT team_id FROM experiment WHERE id = :e FOR UPDATE").param("e", other)
                    .query(UUID.class).optional().orElse(null);
            if (team == null) {
                continue;
            }
            Purge more = purge(other, caller);
            if (more.deletedTickets() > 0 || more.removed()) {
                trimmed.add(other);
                audit.record(caller, team, "experiment.tombstones-removed", "experiment", other,
                        Map.of("removedTickets", more.deletedTickets(), "remainingTickets", more.kept().size(),
                                "becauseDeleted", experimentId.toString()));
            }
            released.addAll(more.released());
            trimmed.addAll(more.trimmed());
        }
        return new Purge(List.copyOf(keptTickets), counts.tickets(), counts.jobs(), removed, released, trimmed);
    }

    /** A PostgreSQL array literal of ids or hashes (safe: UUIDs and hex digits need no quoting). */
    private static String array(Collection<?> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
    }
}
