package io.ticketfoundry.api.comparison;

import io.ticketfoundry.api.comparison.ComparisonViews.ComparisonCell;
import io.ticketfoundry.api.comparison.ComparisonViews.Comparison;
import io.ticketfoundry.api.comparison.ComparisonViews.ComparisonExperiment;
import io.ticketfoundry.api.comparison.ComparisonViews.ComparisonLevel;
import io.ticketfoundry.api.comparison.ComparisonViews.MetricOverSeeds;
import io.ticketfoundry.api.plot.MetricFigure;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The comparison drawn as the papers' figure: a panel per metric, a line per experiment. */
final class ComparisonFigure {

    /** Default height: room for the titles and legend plus this much per panel. */
    static final int WIDTH = 900;
    static final int HEIGHT_BASE = 160;
    static final int HEIGHT_PER_PANEL = 220;

    private static final Map<String, String> AXIS_LABELS = Map.of(
            "accuracy", "accuracy",
            "accuracy-top5", "top-5 accuracy",
            "per-class-accuracy", "per-class accuracy",
            "ece", "ECE",
            "nll", "NLL",
            "brier", "Brier",
            "sce", "SCE",
            "mce", "mCE",
            "ood-auroc", "OoD AUROC");

    private ComparisonFigure() {
    }

    static int defaultHeight(int panels) {
        return HEIGHT_BASE + HEIGHT_PER_PANEL * panels;
    }

    static MetricFigure of(Comparison comparison, String title) {
        List<String> labels = new ArrayList<>();
        for (ComparisonExperiment experiment : comparison.experiments()) {
            int seeds = experiment.seeds().size();
            labels.add(experiment.label() + ", " + seeds + (seeds == 1 ? " seed" : " seeds"));
        }
        List<MetricFigure.Panel> panels = new ArrayList<>();
        for (String metric : comparison.metrics()) {
            List<List<MetricFigure.Point>> series = new ArrayList<>();
            for (int e = 0; e < comparison.experiments().size(); e++) {
                List<MetricFigure.Point> points = new ArrayList<>();
                for (ComparisonLevel row : comparison.levels()) {
                    ComparisonCell cell = row.experiments().get(e);
                    MetricOverSeeds stat = cell.metrics().get(metric);
                    if (cell.remainingFraction() != null && stat != null && stat.mean() != null) {
                        points.add(new MetricFigure.Point(100.0 * cell.remainingFraction(), stat.mean(),
                                stat.std() == null ? 0.0 : stat.std()));
                    }
                }
                series.add(points);
            }
            panels.add(new MetricFigure.Panel(AXIS_LABELS.getOrDefault(metric, metric), series));
        }
        return new MetricFigure(title, subtitle(comparison), labels, panels);
    }

    /** "fashion-mnist, test split, imp tickets; line: mean over seeds, band: ±1 sample std". */
    static String subtitle(Comparison comparison) {
        Set<String> datasets = new LinkedHashSet<>();
        comparison.experiments().forEach(experiment -> datasets.add(String.valueOf(experiment.dataset())));
        return String.join(", ", datasets) + ", " + comparison.split() + " split, " + comparison.ticketKind()
                + " tickets; line: mean over seeds, band: ±1 sample std (none for one seed)";
    }
}
