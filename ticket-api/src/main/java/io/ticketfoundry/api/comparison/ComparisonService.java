package io.ticketfoundry.api.comparison;

import io.ticketfoundry.api.comparison.ComparisonViews.Comparison;
import io.ticketfoundry.api.metric.MetricSelection;
import io.ticketfoundry.api.plot.ChartImages;
import io.ticketfoundry.api.plot.ImageFormat;
import io.ticketfoundry.api.plot.ImageSize;
import io.ticketfoundry.api.plot.MetricCurvesChart;
import io.ticketfoundry.api.sharing.ExperimentAccess;
import io.ticketfoundry.api.team.Caller;
import io.ticketfoundry.api.web.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/**
 * Compares experiments the caller's team can read, in two statements: the experiments, then their
 * tickets with the selected metric values.
 */
@Service
public class ComparisonService {

    private final ComparedExperiments experiments;
    private final MetricSelection selection;

    private final ExperimentAccess access;

    public ComparisonService(ComparedExperiments experiments, MetricSelection selection, ExperimentAccess access) {
        this.access = access;
        this.experiments = experiments;
        this.selection = selection;
    }

    public Comparison compare(Caller caller, ComparisonQuery query) {
        Map<UUID, ComparedExperiment> found = experiments.find(query.experiments()).stream()
                .collect(Collectors.toMap(ComparedExperiment::id, Function.identity()));
        List<ComparedExperiment> ordered = new ArrayList<>();
        for (UUID id : query.experiments()) {
            ComparedExperiment experiment = found.get(id);
            if (experiment == null) {
                throw ApiException.notFound("experiment " + id);
            }
            access.requireReadable(id, caller, "experiment " + id);
            ordered.add(experiment);
        }
        List<MetricSelection.TicketValue> rows = selection.forExperiments(query.experiments(), query.ticketKind(),
                query.metrics(), query.dataset(), query.split());
        return ComparisonAggregator.aggregate(query, ordered, rows);
    }

    /** The comparison as a figure; the title names the one experiment, or how many were compared. */
    public byte[] plot(Caller caller, ComparisonQuery query, ImageFormat format, ImageSize size) {
        Comparison comparison = compare(caller, query);
        String title = comparison.experiments().size() == 1
                ? comparison.experiments().get(0).label()
                : "Comparison of " + comparison.experiments().size() + " experiments";
        return ChartImages.render(MetricCurvesChart.create(ComparisonFigure.of(comparison, title)), format, size);
    }
}
