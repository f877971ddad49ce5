package io.ticketfoundry.api.plot;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueTick;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;

/**
 * Remaining weights in percent on a log scale, inverted as in the lottery-ticket papers (100% at the
 * left, sparser to the right), with ticks at 1, 2, 3 and 5 of each decade written as plain numbers.
 */
final class RemainingWeightsAxis extends LogAxis {

    static final String LABEL = "Remaining weights (%, log scale, sparser to the right)";

    private static final double[] COARSE = {0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 3, 5, 10, 20, 30, 50, 100};
    /** 1 to 9 of each decade, for a range too narrow to show three of {@link #COARSE}. */
    private static final double[] FINE = fine();

    private static double[] fine() {
        double[] ticks = new double[9 * 4 + 1];
        int i = 0;
        for (int exponent = -2; exponent <= 1; exponent++) {
            for (int m = 1; m <= 9; m++) {
                ticks[i++] = Double.parseDouble(m + "e" + exponent); // exact decimal, unlike m * 10^exponent
            }
        }
        ticks[i] = 100;
        return ticks;
    }

    RemainingWeightsAxis() {
        super(LABEL);
        setInverted(true);
        setSmallestValue(0.001);
        setAutoRange(false);
    }

    /** The axis spans the data with a margin; without data 1% to 100%. */
    void fit(double min, double max) {
        if (!(min > 0) || !(max >= min)) {
            setRange(new Range(1.0, 100.0), true, false);
            return;
        }
        setRange(new Range(min / 1.2, max * 1.1), true, false);
    }

    @Override
    public List refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea, RectangleEdge edge) {
        DecimalFormat format = new DecimalFormat("0.##", DecimalFormatSymbols.getInstance(Locale.ROOT));
        Range range = getRange();
        boolean horizontal = RectangleEdge.isTopOrBottom(edge);
        TextAnchor anchor = !horizontal ? TextAnchor.CENTER_RIGHT
                : edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER;
        List<ValueTick> ticks = ticks(COARSE, range, format, anchor);
        return ticks.size() >= 3 ? ticks : ticks(FINE, range, format, anchor);
    }

    private static List<ValueTick> ticks(double[] values, Range range, DecimalFormat format, TextAnchor anchor) {
        List<ValueTick> ticks = new ArrayList<>();
        for (double tick : values) {
            if (range.contains(tick)) {
                ticks.add(new NumberTick(TickType.MAJOR, tick, format.format(tick), anchor, TextAnchor.CENTER, 0.0));
            }
        }
        return ticks;
    }
}
