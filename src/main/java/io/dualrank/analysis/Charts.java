package io.dualrank.analysis;

import io.dualrank.util.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.statistics.HistogramType;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** PNG charts for the reproduction reports (JFreeChart, headless), written atomically. */
public final class Charts {
  private static final int WIDTH = 760;
  private static final int HEIGHT = 440;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  /** A line series: (x, y) points in order. */
  public record Series(String name, List<double[]> points) {}

  /** A named sample of values for a histogram. */
  public record Sample(String name, double[] values) {}

  /**
   * A line chart of several series; {@code log2X} puts x on a base-2 log axis; {@code markerX}, when not
   * NaN, draws a labelled vertical line there.
   */
  public static void lines(Path png, String title, String xLabel, String yLabel, List<Series> series, boolean log2X,
      double markerX, String markerLabel) throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Series s : series) {
      XYSeries xy = new XYSeries(s.name(), false, true);
      s.points().forEach(p -> xy.add(p[0], p[1]));
      data.addSeries(xy);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true,
        false, false);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < series.size(); i++) {
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    plot.setRenderer(renderer);
    if (log2X) {
      LogAxis axis = new LogAxis(xLabel);
      axis.setBase(2);
      axis.setStandardTickUnits(org.jfree.chart.axis.NumberAxis.createIntegerTickUnits());
      plot.setDomainAxis(axis);
    }
    if (!Double.isNaN(markerX)) {
      ValueMarker marker = new ValueMarker(markerX, Color.DARK_GRAY, new BasicStroke(1.5f));
      marker.setLabel(markerLabel);
      plot.addDomainMarker(marker);
    }
    style(chart);
    write(png, chart);
  }

  /**
   * Overlaid histograms (relative frequency) of several samples over common bins, drawn and coloured in list
   * order, so the same samples always give the same picture.
   */
  public static void histograms(Path png, String title, String xLabel, List<Sample> samples, int bins)
      throws IOException {
    double min = samples.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.values())).min().orElse(0);
    double max = samples.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.values())).max().orElse(1);
    if (max <= min) {
      max = min + 1;
    }
    HistogramDataset data = new HistogramDataset();
    data.setType(HistogramType.RELATIVE_FREQUENCY);
    for (Sample sample : samples) {
      if (sample.values().length > 0) {
        data.addSeries(sample.name(), sample.values(), bins, min, max);
      }
    }
    JFreeChart chart = ChartFactory.createHistogram(title, xLabel, "fraction of queries", data,
        PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setForegroundAlpha(0.55f);
    ((XYBarRenderer) plot.getRenderer()).setShadowVisible(false);
    plot.addDomainMarker(new ValueMarker(0, Color.DARK_GRAY, new BasicStroke(1f)));
    style(chart);
    write(png, chart);
  }

  private static void style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getXYPlot().setBackgroundPaint(Color.WHITE);
    chart.getXYPlot().setDomainGridlinePaint(Color.LIGHT_GRAY);
    chart.getXYPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
  }

  private static void write(Path png, JFreeChart chart) throws IOException {
    AtomicFiles.writeStream(png, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
  }
}
