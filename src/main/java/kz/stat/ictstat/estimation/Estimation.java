package kz.stat.ictstat.estimation;

import static org.apache.spark.sql.functions.col;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.config.YearRange;
import kz.stat.ictstat.spark.Stage;
import kz.stat.ictstat.spark.TableCatalog;
import kz.stat.ictstat.survey.Domain;
import kz.stat.ictstat.survey.Indicator;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.weighting.Calibration;
import kz.stat.ictstat.weighting.Weighting;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Writes {@code pub.estimates}: every indicator of conf/indicators.yaml × every domain of
 * conf/domains.yaml, among them the regions on the boundaries of the last survey year ({@code
 * comparable_territory}, {@link ComparableTerritory}), × every year, with SE, RSE, 95 % CI, design
 * effect, respondents and flags, from {@code core.weights}, {@code core.responses}, {@code
 * core.design} and the KATO codes of {@code core.sample} in one Spark job (see {@link
 * EstimationQuery} for the method).
 */
public final class Estimation {
  public static final String ESTIMATES = "pub.estimates";

  /** What was estimated. */
  public record Result(YearRange years, long rows, int indicators, int domains) {}

  private final TableCatalog catalog;
  private final SurveyDefinitions survey;
  private final PrintStream out;

  public Estimation(TableCatalog catalog, SurveyDefinitions survey, PrintStream out) {
    this.catalog = catalog;
    this.survey = survey;
    this.out = out;
  }

  public Result execute(YearRange years) {
    String inYears = years.sql();
    List<Indicator> indicators =
        survey.indicators().stream().filter(i -> anyYear(i, years)).toList();
    List<Domain> domains = new ArrayList<>(survey.domains());
    Dataset<Row> weights = catalog.read(Weighting.WEIGHTS).where(inYears);
    Dataset<Row> responses = catalog.read(Weighting.RESPONSES).where(inYears);
    Set<String> items = new LinkedHashSet<>();
    for (Indicator i : indicators) items.addAll(i.items());
    items.removeAll(Domain.VARIABLES);
    List<Column> cols = new ArrayList<>(List.of(col("year"), col("bin")));
    Set<String> present = Set.of(responses.columns());
    for (String item : items) {
      if (!present.contains(item)) {
        throw IctstatException.runFailed(
            "core.responses has no column '" + item + "' used by the indicators",
            "rerun `ictstat ingest` so that core.responses carries every item of items.yaml");
      }
      cols.add(col(item));
    }
    Dataset<Row> units =
        weights.join(
            responses.select(cols.toArray(new Column[0])), new String[] {"year", "bin"}, "inner");
    Dataset<Row> sample =
        catalog.exists(Weighting.SAMPLE) ? catalog.read(Weighting.SAMPLE).where(inYears) : null;
    Optional<Domain> comparable = survey.comparableTerritory();
    if (comparable.isPresent() && sample != null && List.of(sample.columns()).contains("kato")) {
      Dataset<Row> regions =
          ComparableTerritory.regions(sample, survey.classifier("kato_succession"));
      units = units.join(regions, new String[] {"year", "bin"}, "left");
      domains.add(comparable.get());
    } else if (comparable.isPresent()) {
      out.printf(
          Locale.ROOT,
          "  estimation: no %s domain (%s): core.sample has no kato column%n",
          comparable.get().id(),
          comparable.get().labels().en());
    }
    Dataset<Row> design = catalog.read(Weighting.DESIGN).where(inYears);
    Dataset<Row> est =
        EstimationQuery.estimates(
            catalog.spark(), units, design, indicators, domains, calibration(weights));
    Stage stage = new Stage(catalog.spark(), "estimation", out);
    stage.run(
        "write " + ESTIMATES + " " + years,
        () -> catalog.replaceWhere(ESTIMATES, est, inYears, "year"));
    long rows = catalog.read(ESTIMATES).where(inYears).count();
    return new Result(years, rows, indicators.size(), domains.size());
  }

  /**
   * The calibration of the years whose weights are calibrated, from {@code core.calibration_report}
   * (margins and targets as they were when the weights were made), or null if none is: their SEs
   * use the calibration residuals ({@link GregVariance}).
   */
  GregVariance.Model calibration(Dataset<Row> weights) {
    List<Integer> years =
        weights
            .where("weight_stage LIKE 'calibrated%'")
            .select("year")
            .distinct()
            .collectAsList()
            .stream()
            .map(r -> ((Number) r.get(0)).intValue())
            .sorted()
            .toList();
    if (years.isEmpty()) return null;
    String rerun =
        "rerun `ictstat estimate --years "
            + years.get(0)
            + "-"
            + years.get(years.size() - 1)
            + "` (it redoes the weights)";
    if (!List.of(weights.columns()).contains("frame_employees")
        || !catalog.exists(Calibration.REPORT)
        || !List.of(catalog.read(Calibration.REPORT).columns()).contains("targets")) {
      throw IctstatException.runFailed(
          "the calibrated weights of "
              + years
              + " were made by an earlier version: core.weights"
              + " lacks frame_employees or core.calibration_report lacks targets, which the"
              + " residual variance needs",
          rerun);
    }
    // year -> {margins, targets} as the report has them
    Map<Integer, List<String>> found = new TreeMap<>();
    for (Row r :
        catalog
            .read(Calibration.REPORT)
            .where(functions.col("year").isin(years.toArray()))
            .select("year", "margins", "targets")
            .collectAsList()) {
      found.put(((Number) r.get(0)).intValue(), Arrays.asList(r.getString(1), r.getString(2)));
    }
    if (!found.keySet().containsAll(years)
        || found.values().stream().anyMatch(v -> v.contains(null))) {
      throw IctstatException.runFailed(
          "core.calibration_report has no margins and targets for every calibrated year: "
              + years
              + " calibrated, report for "
              + found.keySet(),
          rerun);
    }
    if (new HashSet<>(found.values()).size() > 1) {
      throw IctstatException.runFailed(
          "the weights of " + years + " were calibrated to different margins or targets: " + found,
          "estimate the years of one calibration at a time, or " + rerun);
    }
    List<String> calibration = found.get(years.get(0));
    List<List<String>> margins = Calibration.parseMargins(calibration.get(0));
    List<String> targets = List.of(calibration.get(1).split(","));
    GregVariance.Model m =
        new GregVariance.Model(
            margins, targets.contains("count"), targets.contains("employment"), years);
    out.printf(
        Locale.ROOT,
        "  estimation: weights of %s are calibrated (margins %s, targets %s): their SEs use the"
            + " calibration residuals%n",
        years,
        margins,
        calibration.get(1));
    return m;
  }

  private static boolean anyYear(Indicator i, YearRange years) {
    for (int y : years.years()) if (i.availableIn(y)) return true;
    return false;
  }

  /** Prints the national headline estimates of one year as a table. */
  public void printHeadline(int year) {
    List<Row> rows =
        catalog
            .read(ESTIMATES)
            .where("year = " + year + " AND domain_type = 'total'")
            .collectAsList();
    out.printf(Locale.ROOT, "%nHeadline indicators, Kazakhstan, %d%n", year);
    out.printf(
        Locale.ROOT,
        "%-40s %16s %12s %6s %33s %6s %7s  %s%n",
        "indicator",
        "estimate",
        "se",
        "rse%",
        "95% CI",
        "deff",
        "n_resp",
        "flags");
    for (Indicator ind : survey.indicators()) {
      if (!ind.headline()) continue;
      Row r = null;
      for (Row x : rows) if (ind.id().equals(x.getAs("indicator"))) r = x;
      if (r == null) {
        out.printf(Locale.ROOT, "%-40s %16s%n", ind.id(), "not available");
        continue;
      }
      out.printf(
          Locale.ROOT,
          "%-40s %16s %12s %6s %33s %6s %7d  %s%n",
          ind.id(),
          num(r.getAs("estimate")),
          num(r.getAs("se")),
          num1(r.getAs("rse")),
          "[" + num(r.getAs("ci_low")) + ", " + num(r.getAs("ci_high")) + "]",
          num2(r.getAs("deff")),
          (Long) r.getAs("n_resp"),
          r.getAs("flags"));
    }
  }

  private static String num(Object v) {
    if (v == null) return "-";
    double d = (Double) v;
    return Math.abs(d) >= 1000
        ? String.format(Locale.ROOT, "%,.0f", d)
        : String.format(Locale.ROOT, "%.2f", d);
  }

  private static String num1(Object v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.1f", (Double) v);
  }

  private static String num2(Object v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.2f", (Double) v);
  }
}
