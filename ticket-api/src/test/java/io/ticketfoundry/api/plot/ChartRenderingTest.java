package io.ticketfoundry.api.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The charts render headless to PNG of the asked size and to well-formed SVG naming what they show. */
class ChartRenderingTest {

    /** Set -Dtf.plots.dir=some/folder to keep the rendered images for a look. */
    private static void keep(String name, byte[] bytes) throws Exception {
        String dir = System.getProperty("tf.plots.dir");
        if (dir != null) {
            Files.createDirectories(Path.of(dir));
            Files.write(Path.of(dir, name), bytes);
        }
    }

    static ReliabilityDiagram diagram() {
        List<ReliabilityDiagram.Bin> bins = new ArrayList<>();
        for (int b = 0; b < 15; b++) {
            double lower = b / 15.0;
            double upper = (b + 1) / 15.0;
            if (b < 5) {
                bins.add(new ReliabilityDiagram.Bin(lower, upper, 0, null, null));
            } else {
                double confidence = (lower + upper) / 2;
                bins.add(new ReliabilityDiagram.Bin(lower, upper, 20L * b * b, confidence - 0.08 + 0.01 * (b % 3), confidence));
            }
        }
        return new ReliabilityDiagram(0.0512, bins, 10000, 15, "equal-width", "(lo,hi], first [0,1/B]", "top-label",
                "ticket seed 0, level 3 (imp), fashion-mnist test split");
    }

    static MetricFigure figure() {
        List<List<MetricFigure.Point>> accuracy = List.of(
                List.of(new MetricFigure.Point(100, 0.88, 0.01), new MetricFigure.Point(80, 0.885, 0.004),
                        new MetricFigure.Point(64, 0.89, 0.006), new MetricFigure.Point(51.2, 0.887, 0.0),
                        new MetricFigure.Point(20.97, 0.88, 0.012), new MetricFigure.Point(6.9, 0.86, 0.02)),
                List.of(new MetricFigure.Point(100, 0.87, 0.02), new MetricFigure.Point(80, 0.875, 0.01),
                        new MetricFigure.Point(64, 0.872, 0.01)));
        List<List<MetricFigure.Point>> ece = List.of(
                List.of(new MetricFigure.Point(100, 0.02, 0.005), new MetricFigure.Point(51.2, 0.03, 0.004),
                        new MetricFigure.Point(6.9, 0.04, 0.01)),
                List.of());
        return new MetricFigure("Comparison of 2 experiments", "fashion-mnist, test split, imp tickets",
                List.of("basic & <friends> (basic), 3 seeds", "mixup run (mixup), 2 seeds"),
                List.of(new MetricFigure.Panel("accuracy", accuracy), new MetricFigure.Panel("ECE", ece)));
    }

    @Test
    void aReliabilityDiagramRendersToPngOfTheAskedSize() throws Exception {
        byte[] png = ChartImages.render(ReliabilityChart.create(diagram()), ImageFormat.PNG, new ImageSize(640, 700));
        keep("reliability.png", png);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(image.getHeight()).isEqualTo(700);
    }

    @Test
    void aReliabilityDiagramRendersToSvgWithItsTitleAndConventions() throws Exception {
        byte[] svg = ChartImages.render(ReliabilityChart.create(diagram()), ImageFormat.SVG, new ImageSize(800, 760));
        keep("reliability.svg", svg);
        Document document = parse(svg);
        assertThat(document.getDocumentElement().getNodeName()).isEqualTo("svg");
        String text = document.getDocumentElement().getTextContent();
        assertThat(text).contains("ECE = 0.0512").contains("15 equal-width bins").contains("(lo,hi], first [0,1/B]")
                .contains("10000 samples");
        assertThat(ChartImages.render(ReliabilityChart.create(diagram()), ImageFormat.SVG, new ImageSize(800, 760)))
                .as("the same chart gives the same bytes").isEqualTo(svg);
    }

    @Test
    void aDiagramWithoutConventionsStillNamesItsBinCount() {
        ReliabilityDiagram bare = new ReliabilityDiagram(0.1, diagram().bins(), null, null, null, null, null, null);
        assertThat(ReliabilityChart.conventions(bare)).isEqualTo("15 bins");
        assertThat(ReliabilityChart.conventions(diagram()))
                .isEqualTo("15 equal-width bins, edges (lo,hi], first [0,1/B], top-label confidence, 10000 samples");
    }

    @Test
    void theMetricFigureRendersEveryPanelAndNamesTheSeriesEscaped() throws Exception {
        byte[] png = ChartImages.render(MetricCurvesChart.create(figure()), ImageFormat.PNG, new ImageSize(900, 600));
        keep("metrics.png", png);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(600);

        byte[] svg = ChartImages.render(MetricCurvesChart.create(figure()), ImageFormat.SVG, new ImageSize(900, 600));
        keep("metrics.svg", svg);
        String text = parse(svg).getDocumentElement().getTextContent();
        assertThat(text).contains("basic & <friends> (basic), 3 seeds").contains("mixup run (mixup), 2 seeds")
                .contains("accuracy").contains("ECE").contains(RemainingWeightsAxis.LABEL);
        assertThat(new String(svg, StandardCharsets.UTF_8)).doesNotContain("<friends>");
    }

    @Test
    void aNarrowRangeGetsFinerTicks() throws Exception {
        MetricFigure narrow = new MetricFigure("two levels", null, List.of("x (basic), 2 seeds"),
                List.of(new MetricFigure.Panel("accuracy", List.of(List.of(new MetricFigure.Point(100, 0.9, 0.01),
                        new MetricFigure.Point(80, 0.91, 0.02)))), new MetricFigure.Panel("Brier", List.of(List.of()))));
        byte[] svg = ChartImages.render(MetricCurvesChart.create(narrow), ImageFormat.SVG, new ImageSize(600, 500));
        keep("narrow.svg", svg);
        keep("narrow.png", ChartImages.render(MetricCurvesChart.create(narrow), ImageFormat.PNG, new ImageSize(600, 500)));
        assertThat(parse(svg).getDocumentElement().getTextContent()).contains("708090100").contains("no Brier values");
    }

    @Test
    void anEmptyFigureStillRenders() throws Exception {
        MetricFigure empty = new MetricFigure("nothing yet", null, List.of("x (basic), 0 seeds"),
                List.of(new MetricFigure.Panel("accuracy", List.of(List.of()))));
        byte[] png = ChartImages.render(MetricCurvesChart.create(empty), ImageFormat.PNG, new ImageSize(400, 300));
        assertThat(ImageIO.read(new ByteArrayInputStream(png)).getWidth()).isEqualTo(400);
    }

    @Test
    void sizesOutsideTheBoundsAreRefused() {
        assertThatThrownBy(() -> new ImageSize(199, 500)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ImageSize(500, 4001)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ImageSize.clamp(10_000)).isEqualTo(ImageSize.MAX);
        assertThatThrownBy(() -> new MetricFigure("t", null, List.of("a", "b"),
                List.of(new MetricFigure.Panel("accuracy", List.of(List.of())))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static Document parse(byte[] svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg));
    }
}
