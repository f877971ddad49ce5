package io.ticketfoundry.api.plot;

import java.util.List;

/**
 * Metrics against remaining weights, one panel per metric over a shared x axis, one series per
 * experiment: each point a mean with its spread ({@code std} 0 draws no band). Every panel lists
 * its series in the order of {@code seriesLabels}, so a series keeps its colour across panels.
 */
public record MetricFigure(String title, String subtitle, List<String> seriesLabels, List<Panel> panels) {

    public MetricFigure {
        seriesLabels = List.copyOf(seriesLabels);
        panels = List.copyOf(panels);
        for (Panel panel : panels) {
            if (panel.series().size() != seriesLabels.size()) {
                throw new IllegalArgumentException("panel " + panel.axisLabel() + " has " + panel.series().size()
                        + " series for " + seriesLabels.size() + " labels");
            }
        }
    }

    /** One metric: its axis label and, per series, its points. */
    public record Panel(String axisLabel, List<List<Point>> series) {

        public Panel {
            series = series.stream().map(List::copyOf).toList();
        }
    }

    /** x = remaining weights in percent (> 0), y = mean, the band mean ± std. */
    public record Point(double remainingPercent, double mean, double std) {
    }
}
