package io.ticketfoundry.api.comparison;

import io.ticketfoundry.common.spec.ObjectiveSpec;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads the experiments of a comparison in one statement. */
@Repository
class ComparedExperiments {

    private final JdbcClient jdbc;

    ComparedExperiments(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Those of {@code ids} that exist, in no particular order; an experiment stored before objectives is "basic". */
    List<ComparedExperiment> find(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT id, team_id, name, resolved_spec ->> 'dataset' AS dataset,
                       resolved_spec #>> '{training,objective,kind}' AS objective
                FROM experiment WHERE id IN (:ids)""")
                .param("ids", ids)
                .query((rs, n) -> new ComparedExperiment(rs.getObject("id", UUID.class), rs.getObject("team_id", UUID.class),
                        rs.getString("name"), rs.getString("dataset"),
                        rs.getString("objective") == null ? ObjectiveSpec.BASIC : rs.getString("objective")))
                .list();
    }
}
