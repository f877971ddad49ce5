package io.ticketfoundry.worker.prune;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The mask one-shot pruning made and a record of how (method, scope, distribution, budget, rounds,
 * samples, HVP, score direction; keys in docs/experiments.md, "Pruning methods"), to store with
 * the ticket. Record values are strings, numbers, lists and maps of them.
 */
public record OneShotResult(Mask mask, Map<String, Object> record) {

    public OneShotResult {
        record = Collections.unmodifiableMap(new LinkedHashMap<>(record));
    }
}
