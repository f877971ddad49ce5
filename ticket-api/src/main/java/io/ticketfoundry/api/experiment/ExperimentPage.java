package io.ticketfoundry.api.experiment;

import java.util.List;

/** One page of experiments, newest first; {@code total} counts every match. */
public record ExperimentPage(List<ExperimentView> items, int page, int size, long total) {
}
