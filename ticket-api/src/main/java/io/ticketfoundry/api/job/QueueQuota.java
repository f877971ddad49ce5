package io.ticketfoundry.api.job;

import io.ticketfoundry.api.web.ApiException;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A team's quota of active (queued or running) jobs, checked at the end of every submission in the
 * submission's transaction: a submission that would leave the team over its {@code max_active_jobs}
 * is refused with a 429 and leaves nothing behind. Jobs the platform queues itself (the next IMP
 * level of a running experiment) are never refused.
 */
@Component
public class QueueQuota {

    private final JdbcClient jdbc;

    public QueueQuota(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void requireRoom(UUID teamId) {
        record Usage(Integer max, long active) {
        }
        Usage usage = jdbc.sql("""
                SELECT t.max_active_jobs,
                       (SELECT count(*) FROM job j JOIN experiment e ON e.id = j.experiment_id
                        WHERE e.team_id = t.id AND j.status IN ('queued', 'leased')) AS active
                FROM team t WHERE t.id = :team""")
                .param("team", teamId)
                .query((rs, n) -> new Usage((Integer) rs.getObject("max_active_jobs"), rs.getLong("active")))
                .single();
        if (usage.max() != null && usage.active() > usage.max()) {
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "Too Many Requests", "this would give the team "
                    + usage.active() + " queued or running jobs; its quota is " + usage.max()
                    + " (submit again when some have finished)");
        }
    }
}
