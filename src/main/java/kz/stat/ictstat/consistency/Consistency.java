package kz.stat.ictstat.consistency;

import static org.apache.spark.sql.functions.col;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.config.YearRange;
import kz.stat.ictstat.estimation.Estimation;
import kz.stat.ictstat.estimation.EstimationQuery;
import kz.stat.ictstat.spark.Stage;
import kz.stat.ictstat.spark.TableCatalog;
import kz.stat.ictstat.survey.Domain;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.weighting.Weighting;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Consistency over the years ({@code ictstat check-series}): macro checks of every published series
 * ({@code pub.series_checks}, see {@link SeriesChecks}; the comparable-territory regions, domain
 * type {@code region_<last year>} of {@code pub.estimates}, among them) and micro-editing of panel
 * units ({@code core.edit_flags}, {@code core.edit_transitions}, see {@link MicroEdits}). A part
 * whose input tables are missing is skipped and reported as skipped.
 */
public final class Consistency {
  public static final String SERIES_CHECKS = "pub.series_checks";
  public static final String EDIT_FLAGS = "core.edit_flags";
  public static final String EDIT_TRANSITIONS = "core.edit_transitions";
  public static final String SAMPLE = "core.sample";

  /** What to run. */
  public record Options(YearRange years, boolean micro) {}

  /** What was found. */
  public record Result(
      YearRange years,
      long comparableRows,
      long seriesRows,
      long breakFlags,
      long outlierFlags,
      long unitChecks,
      long unitFlags,
      List<String> skipped) {}

  private final TableCatalog catalog;
  private final SparkSession spark;
  private final SurveyDefinitions survey;
  private final ConsistencyConfig conf;
  private final Breaks breaks;
  private final PrintStream out;

  public Consistency(
      TableCatalog catalog, SurveyDefinitions survey, Path confDir, PrintStream out) {
    this.catalog = catalog;
    this.spark = catalog.spark();
    this.survey = survey;
    this.conf = ConsistencyConfig.load(confDir);
    this.breaks = Breaks.resolve(survey, conf);
    MicroEdits.validate(survey, conf);
    this.out = out;
  }

  public Breaks breaks() {
    return breaks;
  }

  /** The continuous items micro-editing checks (HB and selective editing). */
  public Set<String> editedItems() {
    Set<String> items = new LinkedHashSet<>(conf.hb().items());
    items.addAll(conf.selective().items());
    return items;
  }

  /**
   * Recall of micro-editing against the generator's error log (see {@link AnomalyRecall}) over the
   * years of {@code core.edit_flags} in the range.
   */
  public AnomalyRecall.Result recall(Dataset<Row> errorLog, YearRange years) {
    if (!catalog.exists(EDIT_FLAGS)) {
      throw IctstatException.usage(
          "core.edit_flags does not exist in " + catalog.warehouse(),
          "run `ictstat check-series --years " + years + "` without --no-micro first");
    }
    return AnomalyRecall.run(
        errorLog.where(years.sql()), catalog.read(EDIT_FLAGS).where(years.sql()), editedItems());
  }

  /** The domain type of the comparable-territory regional series, if conf/domains.yaml has one. */
  public Optional<String> comparableDomainType() {
    return survey.comparableTerritory().map(Domain::id);
  }

  public Result execute(Options o) {
    YearRange years = o.years();
    Stage stage = new Stage(spark, "consistency", out);
    List<String> skipped = new ArrayList<>();
    String inYears = years.sql();
    boolean unitTables =
        catalog.exists(Weighting.WEIGHTS)
            && catalog.exists(Weighting.RESPONSES)
            && catalog.exists(SAMPLE);
    if (!catalog.exists(Estimation.ESTIMATES)) {
      throw IctstatException.usage(
          "pub.estimates does not exist in " + catalog.warehouse(),
          "run `ictstat estimate --years " + years + "` first");
    }
    long comparable =
        comparableDomainType()
            .map(
                type ->
                    catalog
                        .read(Estimation.ESTIMATES)
                        .where(inYears + " AND domain_type = '" + type + "'")
                        .count())
            .orElse(0L);
    int from = Math.max(YearRange.FIRST_SURVEY_YEAR, years.first() - 1);
    Dataset<Row> est =
        catalog.read(Estimation.ESTIMATES).where(new YearRange(from, years.last()).sql());
    Dataset<Row> checks = SeriesChecks.run(spark, est, breaks, conf.series()).where(inYears);
    Map<String, Runnable> writes = new LinkedHashMap<>();
    writes.put(
        "write " + SERIES_CHECKS + " " + years,
        () -> catalog.replaceWhere(SERIES_CHECKS, checks, inYears, "year"));
    boolean micro = o.micro() && unitTables;
    if (o.micro() && !unitTables) {
      skipped.add("micro-editing: needs core.sample, core.responses and core.weights");
    }
    // the series checks and the micro-editing tables are written side by side
    try (MicroEdits.Output m =
        micro ? MicroEdits.run(spark, microUnits(from, years.last()), conf, from + 1) : null) {
      if (m != null) {
        Dataset<Row> flags = m.flags().where(inYears);
        writes.put(
            "write " + EDIT_FLAGS + " " + years,
            () -> catalog.replaceWhere(EDIT_FLAGS, flags, inYears, "year"));
        if (m.transitions() != null) {
          Dataset<Row> tr = m.transitions().where(inYears);
          writes.put(
              "write " + EDIT_TRANSITIONS + " " + years,
              () -> catalog.replaceWhere(EDIT_TRANSITIONS, tr, inYears, "year"));
        }
      }
      stage.runAll(writes);
    }
    Row c =
        catalog
            .read(SERIES_CHECKS)
            .where(inYears)
            .selectExpr(
                "count(*)",
                "coalesce(sum(CAST(flag_break AS INT)), 0)",
                "coalesce(sum(CAST(flag_outlier AS INT)), 0)")
            .first();
    long unitChecks = 0;
    long unitFlags = 0;
    if (micro) {
      Row u =
          catalog
              .read(EDIT_FLAGS)
              .where(inYears)
              .selectExpr("count(*)", "coalesce(sum(CAST(flagged AS INT)), 0)")
              .first();
      unitChecks = u.getLong(0);
      unitFlags = u.getLong(1);
    }
    return new Result(
        years,
        comparable,
        c.getLong(0),
        c.getLong(1),
        c.getLong(2),
        unitChecks,
        unitFlags,
        List.copyOf(skipped));
  }

  /** Units for micro-editing: responses with the frame stratum and the final weight. */
  private Dataset<Row> microUnits(int from, int to) {
    String where = new YearRange(from, to).sql();
    Set<String> items = new LinkedHashSet<>(conf.hb().items());
    items.addAll(conf.selective().items());
    items.addAll(conf.transitions().items());
    List<Column> cols = new ArrayList<>(List.of(col("year").cast("int").as("year"), col("bin")));
    for (String i : items) cols.add(col(i));
    Dataset<Row> resp =
        catalog.read(Weighting.RESPONSES).where(where).select(cols.toArray(new Column[0]));
    List<Column> frame =
        new ArrayList<>(List.of(col("year").cast("int").as("year"), col("bin"), col("stratum")));
    for (String v : conf.hb().fallbackBy()) frame.add(col(v));
    Dataset<Row> sample = catalog.read(SAMPLE).where(where).select(frame.toArray(new Column[0]));
    Dataset<Row> w =
        catalog
            .read(Weighting.WEIGHTS)
            .where(where)
            .select(col("year").cast("int").as("year"), col("bin"), col("final_weight").as("w"));
    return resp.join(sample, new String[] {"year", "bin"}, "left")
        .join(w, new String[] {"year", "bin"}, "left")
        .withColumn(
            "stratum",
            org.apache.spark.sql.functions.coalesce(
                col("stratum"), org.apache.spark.sql.functions.lit(EstimationQuery.UNKNOWN_CODE)));
  }

  /** Prints the flagged series and units with their reasons. */
  public void printReport(Result r, int limit) {
    String inYears = r.years().sql();
    out.printf(Locale.ROOT, "%nBreaks registry (conf/breaks.yaml, conf/forms)%n");
    for (Breaks.Break b : breaks.breaks()) {
      out.printf(
          Locale.ROOT,
          "  %d  %-12s %s%s%n",
          b.year(),
          b.id(),
          b.what(),
          b.introduced().isEmpty() ? "" : " New items: " + String.join(", ", b.introduced()));
    }
    out.printf(
        Locale.ROOT,
        "%nSeries checks %s: %d series-years, %d cross a break (b), %d outliers%n",
        r.years(),
        r.seriesRows(),
        r.breakFlags(),
        r.outlierFlags());
    if (r.comparableRows() > 0) {
      Domain d = survey.comparableTerritory().orElseThrow();
      out.printf(
          Locale.ROOT,
          "  comparable territory: %d estimates %s (domain type %s)%n",
          r.comparableRows(),
          d.labels().en().toLowerCase(Locale.ROOT),
          d.id());
    }
    List<Row> byBreak =
        catalog
            .read(SERIES_CHECKS)
            .where(inYears + " AND flag_break")
            .selectExpr("explode(filter(split(reasons, '; '), x -> x LIKE 'b:%')) AS b", "year")
            .groupBy("b", "year")
            .count()
            .orderBy("year", "b")
            .collectAsList();
    for (Row b : byBreak) {
      out.printf(
          Locale.ROOT, "  %s %d: %d series flagged b%n", b.getString(0), b.getInt(1), b.getLong(2));
    }
    List<Row> outliers =
        catalog
            .read(SERIES_CHECKS)
            .where(inYears + " AND flag_outlier")
            .orderBy(
                org.apache.spark.sql.functions.expr("abs(coalesce(z, 1e300))").desc(), col("year"))
            .limit(limit)
            .collectAsList();
    if (!outliers.isEmpty()) {
      out.printf(Locale.ROOT, "%nFlagged series (largest |z| first, at most %d)%n", limit);
      out.printf(
          Locale.ROOT,
          "  %-4s %-34s %-16s %-8s %14s %14s %8s  %s%n",
          "year",
          "indicator",
          "domain_type",
          "code",
          "previous",
          "estimate",
          "z",
          "reasons");
      for (Row x : outliers) {
        Double z = x.getAs("z");
        out.printf(
            Locale.ROOT,
            "  %-4d %-34s %-16s %-8s %14.2f %14.2f %8s  %s%n",
            (Integer) x.getAs("year"),
            x.getAs("indicator"),
            x.getAs("domain_type"),
            x.getAs("domain_code"),
            (Double) x.getAs("prev_estimate"),
            (Double) x.getAs("estimate"),
            z == null ? "-" : String.format(Locale.ROOT, "%.1f", z),
            x.getAs("reasons"));
      }
    }
    if (r.unitChecks() > 0) {
      out.printf(
          Locale.ROOT,
          "%nMicro-editing %s: %d unit checks, %d flagged%n",
          r.years(),
          r.unitChecks(),
          r.unitFlags());
      for (Row m :
          catalog
              .read(EDIT_FLAGS)
              .where(inYears + " AND flagged")
              .groupBy("method", "item")
              .count()
              .orderBy("method", "item")
              .collectAsList()) {
        out.printf(
            Locale.ROOT,
            "  %-10s %-22s %d flagged%n",
            m.getString(0),
            m.getString(1),
            m.getLong(2));
      }
      out.printf(
          Locale.ROOT,
          "%nUnits to follow up first (selective-editing score, then HB, at most %d)%n",
          limit);
      for (Row x :
          catalog
              .read(EDIT_FLAGS)
              .where(inYears + " AND flagged AND method <> 'transition'")
              .orderBy(
                  org.apache.spark.sql.functions.expr("method = 'selective'").desc(),
                  col("score").desc())
              .limit(limit)
              .collectAsList()) {
        out.printf(
            Locale.ROOT,
            "  %d %s %-10s %-18s score %10.4f  %s%n",
            (Integer) x.getAs("year"),
            x.getAs("bin"),
            x.getAs("method"),
            x.getAs("item"),
            (Double) x.getAs("score"),
            x.getAs("reason"));
      }
    }
    for (String s : r.skipped()) out.printf(Locale.ROOT, "  skipped %s%n", s);
  }
}
