package kz.stat.ictstat.disclosure;

import static org.apache.spark.sql.functions.col;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import kz.stat.ictstat.estimation.EstimationQuery;
import kz.stat.ictstat.survey.Domain;
import kz.stat.ictstat.survey.FormVersion;
import kz.stat.ictstat.survey.Indicator;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.weighting.Weighting;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Disclosure control of one reference year: reads {@code pub.estimates} of the year, the largest
 * contributions of the magnitude cells ({@link TopContributions}, from {@code core.weights} and
 * {@code core.responses}), applies primary and secondary suppression per indicator ({@link
 * Suppression}) over the linked tables of conf/domains.yaml, flags the cells ({@code c}
 * confidential, {@code u} RSE above the threshold, {@code b} break in series: a new form version or
 * a KATO reform for regional cells), audits the result ({@link Audit}) and returns the published
 * cells. The table logic runs on the driver over the aggregated cells of one year (a few thousand
 * per indicator at most); the microdata stay in Spark.
 */
public final class Disclosure {
  /** Columns of the published cells ({@code pub.published}). */
  public static final StructType SCHEMA =
      new StructType()
          .add("year", DataTypes.IntegerType, false)
          .add("indicator", DataTypes.StringType, false)
          .add("domain_type", DataTypes.StringType, false)
          .add("domain_code", DataTypes.StringType, false)
          .add("estimate", DataTypes.DoubleType, true)
          .add("se", DataTypes.DoubleType, true)
          .add("rse", DataTypes.DoubleType, true)
          .add("ci_low", DataTypes.DoubleType, true)
          .add("ci_high", DataTypes.DoubleType, true)
          .add("n_resp", DataTypes.LongType, true)
          .add("status", DataTypes.StringType, false)
          .add("reason", DataTypes.StringType, true)
          .add("flags", DataTypes.StringType, false);

  /** The columns of {@code pub.estimates} that disclosure control reads: all but deff and flags. */
  private static Column[] columns() {
    return EstimationQuery.COLUMNS.stream()
        .filter(c -> !c.equals("deff") && !c.equals("flags"))
        .map(c -> col(c))
        .toArray(Column[]::new);
  }

  /** What disclosure control did for one year. */
  public record Result(
      int year, List<Row> cells, long primary, long secondary, long unreliable, long leaks) {}

  private final SparkSession spark;
  private final SurveyDefinitions survey;
  private final DisclosureRules rules;

  public Disclosure(SparkSession spark, SurveyDefinitions survey, DisclosureRules rules) {
    this.spark = spark;
    this.survey = survey;
    this.rules = rules;
  }

  /**
   * Runs disclosure control on {@code estimates} (a version of {@code pub.estimates}) of {@code
   * year}, with the magnitude contributions from the catalog's weights and responses.
   */
  public Result execute(
      kz.stat.ictstat.spark.TableCatalog catalog,
      int year,
      PrintStream out,
      Dataset<Row> estimates) {
    Dataset<Row> est = estimates.where(col("year").equalTo(year));
    List<Indicator> magnitude =
        survey.indicators().stream()
            .filter(i -> i.kind() == Indicator.Kind.TOTAL && i.availableIn(year))
            .toList();
    Dataset<Row> top = null;
    if (!magnitude.isEmpty()) {
      Set<String> items = new LinkedHashSet<>();
      for (Indicator i : magnitude) items.addAll(i.items());
      items.removeAll(Domain.VARIABLES);
      List<Column> cols = new ArrayList<>(List.of(col("year"), col("bin")));
      for (String it : items) cols.add(col(it));
      Dataset<Row> units =
          catalog
              .read(Weighting.WEIGHTS)
              .where(col("year").equalTo(year))
              .join(
                  catalog
                      .read(Weighting.RESPONSES)
                      .where(col("year").equalTo(year))
                      .select(cols.toArray(new Column[0])),
                  new String[] {"year", "bin"},
                  "inner");
      top = TopContributions.compute(spark, units, magnitude, survey.domains());
    }
    return protect(
        year, est.select(columns()).collectAsList(), tops(top).getOrDefault(year, Map.of()));
  }

  /**
   * Disclosure control of every year in {@code estimates} (rows of {@code pub.estimates}, e.g. the
   * national cells of a series), each year on its own as {@link #execute} does: one read of the
   * estimates and one of the contributions for all the years.
   *
   * @param top {@link TopContributions} of those years, or null when no magnitude indicator exists
   */
  public List<Result> protectEach(Dataset<Row> estimates, Dataset<Row> top) {
    Map<Integer, List<Row>> byYear = new TreeMap<>();
    for (Row r : estimates.select(columns()).collectAsList())
      byYear.computeIfAbsent(r.getInt(0), y -> new ArrayList<>()).add(r);
    if (byYear.isEmpty()) return List.of(); // no cells: the contributions are not computed
    Map<Integer, Map<String, double[]>> tops = tops(top);
    List<Result> out = new ArrayList<>();
    for (var e : byYear.entrySet())
      out.add(protect(e.getKey(), e.getValue(), tops.getOrDefault(e.getKey(), Map.of())));
    return out;
  }

  /** The largest contributions per year and cell key (indicator/domain type/domain code). */
  private static Map<Integer, Map<String, double[]>> tops(Dataset<Row> top) {
    Map<Integer, Map<String, double[]>> tops = new HashMap<>();
    if (top == null) return tops;
    for (Row r : top.collectAsList()) {
      tops.computeIfAbsent(r.<Integer>getAs("year"), y -> new HashMap<>())
          .put(
              r.getAs("indicator") + "/" + r.getAs("domain_type") + "/" + r.getAs("domain_code"),
              new double[] {r.getAs("top1"), r.getAs("top2"), r.getAs("total")});
    }
    return tops;
  }

  /**
   * Disclosure control of the estimates of one year.
   *
   * @param rows the {@link #columns()} of the year's {@code pub.estimates} rows
   * @param tops the year's largest contributions by cell key (empty without magnitude cells)
   */
  private Result protect(int year, List<Row> rows, Map<String, double[]> tops) {
    Map<String, List<Cell>> byIndicator = new TreeMap<>();
    Map<String, Row> rowByKey = new HashMap<>();
    for (Row r : rows) {
      String ind = r.getAs("indicator");
      Indicator def =
          survey.indicators().stream().filter(i -> i.id().equals(ind)).findFirst().orElse(null);
      boolean mag = def != null && def.kind() == Indicator.Kind.TOTAL;
      boolean add = def == null || !def.kind().isRatio();
      String key = ind + "/" + r.getAs("domain_type") + "/" + r.getAs("domain_code");
      double[] t = tops.getOrDefault(key, new double[3]);
      Cell c =
          new Cell(
              ind,
              r.getAs("domain_type"),
              r.getAs("domain_code"),
              mag,
              add,
              r.getAs("estimate"),
              r.getAs("rse"),
              r.isNullAt(r.fieldIndex("n_resp")) ? 0 : r.<Long>getAs("n_resp"),
              r.isNullAt(r.fieldIndex("n_nonzero")) ? 0 : r.<Long>getAs("n_nonzero"),
              t[0],
              t[1],
              t[2]);
      byIndicator.computeIfAbsent(ind, k -> new ArrayList<>()).add(c);
      rowByKey.put(key, r);
    }
    Set<String> breaks = breakReasons(year);
    List<Row> out = new ArrayList<>();
    Map<String, List<String>> leaks = new LinkedHashMap<>();
    long primary = 0, secondary = 0, unreliable = 0;
    for (var e : byIndicator.entrySet()) {
      Map<String, Suppression.Decision> d =
          Suppression.protect(e.getValue(), survey.domains(), rules);
      Set<String> suppressed = new LinkedHashSet<>();
      for (var x : d.entrySet()) if (x.getValue().suppressed()) suppressed.add(x.getKey());
      leaks.put(e.getKey(), Audit.leaks(e.getValue(), suppressed, survey.domains(), rules));
      for (Cell c : e.getValue()) {
        Suppression.Decision dec = d.get(c.key());
        Row r = rowByKey.get(c.indicator() + "/" + c.key());
        boolean hide = dec.suppressed();
        if (dec.status() == Suppression.Status.PRIMARY) primary++;
        if (dec.status() == Suppression.Status.SECONDARY) secondary++;
        StringBuilder flags = new StringBuilder();
        if (hide) flags.append('c');
        boolean u = !hide && c.rse() != null && c.rse() > rules.rseUnreliable();
        if (u) {
          flags.append('u');
          unreliable++;
        }
        if (breaks.contains("form")
            || (breaks.contains("kato") && domainHasRegion(c.domainType()))) {
          flags.append('b');
        }
        out.add(
            RowFactory.create(
                year,
                c.indicator(),
                c.domainType(),
                c.domainCode(),
                hide ? null : c.estimate(),
                hide ? null : (Double) r.getAs("se"),
                hide ? null : c.rse(),
                hide ? null : (Double) r.getAs("ci_low"),
                hide ? null : (Double) r.getAs("ci_high"),
                hide ? null : (Long) r.getAs("n_resp"),
                dec.status().name().toLowerCase(java.util.Locale.ROOT),
                dec.reason(),
                flags.toString()));
      }
    }
    long nLeaks = leaks.values().stream().mapToLong(List::size).sum();
    Audit.require(leaks);
    return new Result(year, out, primary, secondary, unreliable, nLeaks);
  }

  /** "form" when a new form version starts in {@code year}, "kato" for a regional reform. */
  Set<String> breakReasons(int year) {
    Set<String> s = new LinkedHashSet<>();
    int first = survey.firstYear();
    for (FormVersion f : survey.forms()) {
      int start = f.years().first();
      if (start == year && year != first) s.add("form");
    }
    if (rules.katoReforms().contains(year)) s.add("kato");
    return s;
  }

  private boolean domainHasRegion(String domainType) {
    return survey.domains().stream()
        .anyMatch(d -> d.id().equals(domainType) && d.by().contains("region"));
  }

  /** The published cells as a DataFrame of {@link #SCHEMA}. */
  public Dataset<Row> toDataFrame(List<Row> cells) {
    return spark.createDataFrame(cells, SCHEMA);
  }
}
