package io.ticketfoundry.common.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One corrupted version of the evaluation data for mCE: a registered dataset (with the ticket's
 * classes and example shape), its split ({@code test} by default), and the corruption and severity
 * it stands for. Sets of one corruption are summed over their severities.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CorruptedSet(String dataset, String split, String corruption, Integer severity) {

    public static final int MAX_SETS = 200;

    public DataSelection selection() {
        return DataSelection.whole(dataset, split == null ? DataSelection.TEST : split);
    }

    public CorruptedSet withDefaults() {
        return new CorruptedSet(dataset, split == null ? DataSelection.TEST : split, corruption, severity);
    }
}
