package io.ticketfoundry.api.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The lottery-ticket papers' figure: one panel per metric stacked over a shared log-scaled axis of
 * remaining weights, one line per series at the mean with a shaded band of ±1 std.
 */
public final class MetricCurvesChart {

    /** Tableau's ten colours and two more: a series has the same colour in every panel. */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf), new Color(0x393b79), new Color(0x637939)};

    private MetricCurvesChart() {
    }

    public static Color colour(int series) {
        return PALETTE[series % PALETTE.length];
    }

    public static JFreeChart create(MetricFigure figure) {
        RemainingWeightsAxis axis = new RemainingWeightsAxis();
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(axis);
        plot.setGap(12.0);
        for (MetricFigure.Panel panel : figure.panels()) {
            YIntervalSeriesCollection dataset = new YIntervalSeriesCollection();
            for (int s = 0; s < panel.series().size(); s++) {
                // keyed by index: two experiments may carry the same label
                YIntervalSeries series = new YIntervalSeries(s);
                for (MetricFigure.Point point : panel.series().get(s)) {
                    if (point.remainingPercent() > 0 && Double.isFinite(point.mean())) {
                        double std = Double.isFinite(point.std()) ? point.std() : 0.0;
                        series.add(point.remainingPercent(), point.mean(), point.mean() - std, point.mean() + std);
                        min = Math.min(min, point.remainingPercent());
                        max = Math.max(max, point.remainingPercent());
                    }
                }
                dataset.addSeries(series);
            }
            NumberAxis valueAxis = new NumberAxis(panel.axisLabel());
            valueAxis.setAutoRangeIncludesZero(false);
            XYPlot subplot = new XYPlot(dataset, null, valueAxis, renderer(panel.series().size()));
            ReliabilityChart.style(subplot);
            subplot.setNoDataMessage("no " + panel.axisLabel() + " values");
            plot.add(subplot, 1);
        }
        axis.fit(min, max);
        plot.setFixedLegendItems(legend(figure));

        JFreeChart chart = new JFreeChart(figure.title(), new Font("SansSerif", Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        if (figure.subtitle() != null && !figure.subtitle().isBlank()) {
            chart.addSubtitle(new TextTitle(figure.subtitle(), new Font("SansSerif", Font.PLAIN, 12)));
        }
        return chart;
    }

    private static DeviationRenderer renderer(int seriesCount) {
        DeviationRenderer renderer = new DeviationRenderer(true, true);
        renderer.setAlpha(0.2f);
        for (int s = 0; s < seriesCount; s++) {
            renderer.setSeriesPaint(s, colour(s));
            renderer.setSeriesFillPaint(s, colour(s));
            renderer.setSeriesStroke(s, new BasicStroke(2.0f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            renderer.setSeriesShape(s, new Ellipse2D.Double(-3, -3, 6, 6));
        }
        return renderer;
    }

    private static LegendItemCollection legend(MetricFigure figure) {
        LegendItemCollection items = new LegendItemCollection();
        for (int s = 0; s < figure.seriesLabels().size(); s++) {
            items.add(new LegendItem(figure.seriesLabels().get(s), null, null, null,
                    new Rectangle2D.Double(-7, -4, 14, 8), colour(s)));
        }
        return items;
    }
}
