package kz.stat.ictstat.publication;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.survey.Indicator;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * PNG charts (JFreeChart, headless): the national series of a headline indicator over the years
 * with its 95 % confidence band and vertical markers at the breaks (new form versions, KATO
 * reforms); the regions ranked by a headline indicator in the reference year (confidential regions
 * left out).
 */
public final class Charts {
  private Charts() {}

  /**
   * @param breaks year -> reason (e.g. "form v2007", "KATO")
   * @return the PNG written
   */
  public static Path series(
      Path dir, Indicator ind, List<PubCell> national, Map<Integer, String> breaks, String lang) {
    YIntervalSeries s = new YIntervalSeries(ind.labels().get(lang));
    List<PubCell> cells = new ArrayList<>(national);
    cells.sort(Comparator.comparingInt(PubCell::year));
    for (PubCell c : cells) {
      if (c.estimate() == null || c.confidential()) continue;
      double lo = c.ciLow() == null ? c.estimate() : c.ciLow();
      double hi = c.ciHigh() == null ? c.estimate() : c.ciHigh();
      s.add(c.year(), c.estimate(), lo, hi);
    }
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    data.addSeries(s);
    NumberAxis x = new NumberAxis("");
    x.setAutoRangeIncludesZero(false);
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    x.setNumberFormatOverride(new java.text.DecimalFormat("0"));
    NumberAxis y = new NumberAxis(ind.unit() == null ? "" : ind.unit());
    DeviationRenderer r = new DeviationRenderer(true, true);
    r.setSeriesPaint(0, new Color(0, 84, 147));
    r.setSeriesFillPaint(0, new Color(120, 170, 220));
    r.setAlpha(0.35f);
    r.setSeriesStroke(0, new BasicStroke(2f));
    XYPlot plot = new XYPlot(data, x, y, r);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    for (var b : breaks.entrySet()) {
      ValueMarker m = new ValueMarker(b.getKey() - 0.5);
      m.setPaint(new Color(200, 60, 40));
      m.setStroke(
          new BasicStroke(
              1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
      m.setLabel(b.getValue());
      plot.addDomainMarker(m);
    }
    JFreeChart chart =
        new JFreeChart(ind.labels().get(lang), JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    return save(chart, dir.resolve("series_" + ind.id() + ".png"), 900, 480);
  }

  /** The regions ranked by {@code ind} in the reference year. */
  public static Path regions(
      Path dir, Indicator ind, List<PubCell> regional, PublicationLabels labels, String lang) {
    List<PubCell> cells =
        new ArrayList<>(
            regional.stream().filter(c -> c.estimate() != null && !c.confidential()).toList());
    cells.sort(
        Comparator.comparing(PubCell::estimate).reversed().thenComparing(PubCell::domainCode));
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (PubCell c : cells) {
      data.addValue(c.estimate(), ind.id(), labels.code(c.domainType(), c.domainCode(), lang));
    }
    CategoryPlot plot =
        new CategoryPlot(data, new CategoryAxis(""), new NumberAxis(ind.unit()), new BarRenderer());
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    plot.setBackgroundPaint(Color.WHITE);
    ((BarRenderer) plot.getRenderer()).setSeriesPaint(0, new Color(0, 84, 147));
    JFreeChart chart =
        new JFreeChart(
            ind.labels().get(lang) + (cells.isEmpty() ? "" : ", " + cells.get(0).year()),
            JFreeChart.DEFAULT_TITLE_FONT,
            plot,
            false);
    chart.setBackgroundPaint(Color.WHITE);
    return save(
        chart,
        dir.resolve("regions_" + ind.id() + ".png"),
        900,
        120 + 28 * Math.max(1, cells.size()));
  }

  private static Path save(JFreeChart chart, Path file, int w, int h) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      ChartUtils.saveChartAsPNG(file.toFile(), chart, w, h);
      return file;
    } catch (IOException e) {
      throw IctstatException.runFailed(
          "cannot write the chart " + file + ": " + e.getMessage(),
          "check that the output folder is writable");
    }
  }
}
