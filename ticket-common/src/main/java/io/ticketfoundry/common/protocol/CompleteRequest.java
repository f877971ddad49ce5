package io.ticketfoundry.common.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The end of a job: {@code ticket} is the ticket it made (IMP levels, controls, calibrations;
 * null for an evaluate job), {@code metrics} are measurements of the job's input ticket (an
 * evaluate job's scores, a calibration's "before" values), attached to that ticket.
 * {@code snapshots} (sparse-training jobs only; absent otherwise, and from workers that predate
 * it) are the masks kept during training, in step order, recorded with the ticket.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CompleteRequest(long fencingToken, TicketReport ticket, List<MetricReport> metrics,
        List<SnapshotReport> snapshots) {

    public CompleteRequest(long fencingToken, TicketReport ticket) {
        this(fencingToken, ticket, null, null);
    }

    public CompleteRequest(long fencingToken, TicketReport ticket, List<MetricReport> metrics) {
        this(fencingToken, ticket, metrics, null);
    }
}
