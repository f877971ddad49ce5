package io.ticketfoundry.api.plot;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.text.TextUtils;
import org.jfree.svg.SVGGraphics2D;

/** Renders a chart to PNG or SVG bytes, off screen. */
public final class ChartImages {

    static {
        // Spring Boot sets this for the application; unit tests and other callers get it here
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        // rotated labels (the value axes') as rotated drawString calls: SVG gets them as text, not glyph outlines
        TextUtils.setUseDrawRotatedStringWorkaround(false);
    }

    private ChartImages() {
    }

    public static byte[] render(JFreeChart chart, ImageFormat format, ImageSize size) {
        return switch (format) {
            case PNG -> png(chart, size);
            case SVG -> svg(chart, size);
        };
    }

    private static byte[] png(JFreeChart chart, ImageSize size) {
        BufferedImage image = chart.createBufferedImage(size.width(), size.height(), BufferedImage.TYPE_INT_RGB, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] svg(JFreeChart chart, ImageSize size) {
        SVGGraphics2D graphics = new SVGGraphics2D(size.width(), size.height());
        // a fixed prefix instead of the default time-based one: the same chart gives the same bytes
        graphics.setDefsKeyPrefix("tf");
        chart.draw(graphics, new Rectangle(0, 0, size.width(), size.height()));
        // the element without the SVG 1.0 DOCTYPE, which strict XML readers refuse to follow
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + graphics.getSVGElement()).getBytes(StandardCharsets.UTF_8);
    }
}
