package io.ticketfoundry.api.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A reliability diagram: per-bin accuracy as bars over each bin's range, the gap to the bin's mean
 * confidence shaded and the mean confidence marked, the diagonal of perfect calibration, and below
 * it the number of samples per bin on the same confidence axis.
 */
public final class ReliabilityChart {

    private static final Color ACCURACY = new Color(0x1f77b4);
    private static final Color GAP = new Color(214, 39, 40, 90);
    private static final Color CONFIDENCE = new Color(0xd62728);
    private static final Color COUNT = new Color(0x7f7f7f);

    private ReliabilityChart() {
    }

    public static JFreeChart create(ReliabilityDiagram diagram) {
        XYIntervalSeries accuracy = new XYIntervalSeries("accuracy");
        XYIntervalSeries gap = new XYIntervalSeries("gap to mean confidence");
        XYSeries confidence = new XYSeries("mean confidence", false);
        XYIntervalSeries counts = new XYIntervalSeries("samples per bin");
        for (ReliabilityDiagram.Bin bin : diagram.bins()) {
            double middle = (bin.lower() + bin.upper()) / 2;
            counts.add(middle, bin.lower(), bin.upper(), bin.count(), 0, bin.count());
            if (bin.filled()) {
                double acc = bin.accuracy();
                double conf = bin.confidence();
                accuracy.add(middle, bin.lower(), bin.upper(), acc, 0, acc);
                gap.add(middle, bin.lower(), bin.upper(), conf, Math.min(acc, conf), Math.max(acc, conf));
                confidence.add(middle, conf);
            }
        }

        NumberAxis confidenceAxis = new NumberAxis("confidence");
        confidenceAxis.setRange(0.0, 1.0);
        NumberAxis accuracyAxis = new NumberAxis("accuracy");
        accuracyAxis.setRange(0.0, 1.0);
        XYPlot main = new XYPlot(null, null, accuracyAxis, null);
        main.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        main.setDataset(0, collection(accuracy));
        main.setRenderer(0, bars(ACCURACY, false));
        main.setDataset(1, collection(gap));
        main.setRenderer(1, bars(GAP, true));
        XYSeries diagonal = new XYSeries("perfect calibration");
        diagonal.add(0.0, 0.0);
        diagonal.add(1.0, 1.0);
        XYLineAndShapeRenderer diagonalRenderer = new XYLineAndShapeRenderer(true, false);
        diagonalRenderer.setSeriesPaint(0, Color.DARK_GRAY);
        diagonalRenderer.setSeriesStroke(0, new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        main.setDataset(2, new XYSeriesCollection(diagonal));
        main.setRenderer(2, diagonalRenderer);
        XYLineAndShapeRenderer confidenceRenderer = new XYLineAndShapeRenderer(false, true);
        confidenceRenderer.setSeriesPaint(0, CONFIDENCE);
        confidenceRenderer.setSeriesShape(0, new Rectangle2D.Double(-7, -1.5, 14, 3));
        main.setDataset(3, new XYSeriesCollection(confidence));
        main.setRenderer(3, confidenceRenderer);
        style(main);

        NumberAxis countAxis = new NumberAxis("samples");
        countAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYPlot histogram = new XYPlot(collection(counts), null, countAxis, bars(COUNT, false));
        style(histogram);

        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(confidenceAxis);
        plot.setGap(10.0);
        plot.add(main, 3);
        plot.add(histogram, 1);

        JFreeChart chart = new JFreeChart(title(diagram), new Font("SansSerif", Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(new TextTitle(conventions(diagram), new Font("SansSerif", Font.PLAIN, 12)));
        if (diagram.caption() != null && !diagram.caption().isBlank()) {
            chart.addSubtitle(new TextTitle(diagram.caption(), new Font("SansSerif", Font.PLAIN, 12)));
        }
        return chart;
    }

    static String title(ReliabilityDiagram diagram) {
        return "Reliability diagram, ECE = " + new DecimalFormat("0.0000", DecimalFormatSymbols.getInstance(Locale.ROOT))
                .format(diagram.ece());
    }

    /** "15 equal-width bins, edges (lo,hi], first [0,1/B], top-label confidence, 10000 samples". */
    static String conventions(ReliabilityDiagram diagram) {
        List<String> parts = new ArrayList<>();
        int bins = diagram.binCount() != null ? diagram.binCount() : diagram.bins().size();
        parts.add(bins + (diagram.binning() != null ? " " + diagram.binning() : "") + (bins == 1 ? " bin" : " bins"));
        if (diagram.edges() != null) {
            parts.add("edges " + diagram.edges());
        }
        if (diagram.confidence() != null) {
            parts.add(diagram.confidence() + " confidence");
        }
        if (diagram.samples() != null) {
            parts.add(diagram.samples() + " samples");
        }
        return String.join(", ", parts);
    }

    private static XYIntervalSeriesCollection collection(XYIntervalSeries series) {
        XYIntervalSeriesCollection collection = new XYIntervalSeriesCollection();
        collection.addSeries(series);
        return collection;
    }

    private static XYBarRenderer bars(Color color, boolean yInterval) {
        XYBarRenderer renderer = new XYBarRenderer();
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setUseYInterval(yInterval);
        renderer.setSeriesPaint(0, color);
        renderer.setDrawBarOutline(true);
        renderer.setSeriesOutlinePaint(0, Color.WHITE);
        renderer.setSeriesOutlineStroke(0, new BasicStroke(0.8f));
        return renderer;
    }

    static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        plot.setOutlinePaint(Color.GRAY);
    }
}
