package io.ticketfoundry.api.search;

import io.ticketfoundry.api.sharing.ExperimentAccess;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.web.ApiException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one place that decides which experiments a search may return: the SQL predicate over the
 * experiment aliased {@code alias}, with its parameters. A person's token finds what it may read
 * ({@link ExperimentAccess}: its teams' experiments, those shared with its teams, public ones);
 * worker and platform-admin tokens search nothing.
 */
final class VisibleExperiments {

    /** A predicate to AND into a WHERE clause, and the parameters it names. */
    record Predicate(String sql, Map<String, Object> params) {
    }

    private static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9_]*");

    private VisibleExperiments() {
    }

    static Predicate predicate(Caller caller, String alias) {
        if (!ALIAS.matcher(alias).matches()) {
            throw new IllegalArgumentException("not an SQL alias: " + alias);
        }
        if (!caller.isUser()) {
            throw ApiException.forbidden("search covers the experiments of a team: use a team member, viewer or admin token");
        }
        return new Predicate(ExperimentAccess.readable(alias), ExperimentAccess.parameters(caller));
    }
}
