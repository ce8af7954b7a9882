package kz.stat.ictstat.sampling;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.config.YearRange;
import kz.stat.ictstat.spark.Stage;
import kz.stat.ictstat.spark.TableCatalog;
import kz.stat.ictstat.survey.SampleDesign;
import kz.stat.ictstat.survey.SurveyDefinitions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Stratified simple random sampling without replacement with permanent random numbers (PRN), by the
 * design of {@code conf/design.yaml}.
 *
 * <p>Per year and stratum h (the in-scope frame units of {@link Frame#classify}):
 *
 * <ul>
 *   <li>N_h = number of in-scope units in h;
 *   <li>n_h = N_h in a take-all size class (rate ≥ 1), else min(N_h, max(m, round(rate · N_h)))
 *       with m = {@code min_sample_per_stratum};
 *   <li>each unit's PRN u_k = (xxhash64(bin, seed) mod 2^53) / 2^53 ∈ [0, 1), fixed for life;
 *   <li>the sample is the n_h units with the smallest key (u_k + r · (year − 2004)) mod 1, r = the
 *       design's {@code rotation}: the selection window moves by r each year, so about 1 − r / rate
 *       of last year's sampled small units stay in (Ohlsson's sequential PRN sampling);
 *   <li>inclusion probability π_k = n_h / N_h, design weight d_k = N_h / n_h.
 * </ul>
 *
 * Selection is an SRSWOR within each stratum because the PRNs are i.i.d. uniform. The sample is one
 * window over the frame sorted by stratum and key (N_h and the rank), the stratum table an
 * aggregate; nothing is collected.
 *
 * <p>Column names: N_h is {@code frame_units} and n_h is {@code sample_units} in {@code
 * core.sample} and {@code core.strata}, because Delta column names are case-insensitive ({@code
 * N_h} and {@code n_h} would collide) and a reader asking for either must fail loudly rather than
 * get the other.
 */
public final class Sampler {
  private final SurveyDefinitions survey;
  private final long seed;

  /**
   * The sample and the stratum table.
   *
   * @param sample one row per sampled unit and year (the columns of {@code core.sample})
   * @param strata one row per year and stratum (the columns of {@code core.strata})
   */
  public record Result(Dataset<Row> sample, Dataset<Row> strata) {}

  public Sampler(SurveyDefinitions survey, long seed) {
    this.survey = survey;
    this.seed = seed;
  }

  /** The Spark SQL expression of a unit's permanent random number in [0, 1). */
  public static String prnSql(String binColumn, long seed) {
    return "CAST(xxhash64(CAST("
        + binColumn
        + " AS STRING), CAST("
        + seed
        + " AS BIGINT)) & 9007199254740991 AS DOUBLE) / 9007199254740992.0D";
  }

  /** Table names this stage reads and writes. */
  public static final String REGISTER = "core.register";

  public static final String SAMPLE = "core.sample";
  public static final String STRATA = "core.strata";

  /**
   * Draws the samples of {@code years} from {@code core.register} and writes {@code core.sample}
   * and {@code core.strata} (those years replaced).
   */
  public void execute(TableCatalog catalog, YearRange years, PrintStream out) {
    String where = years.sql();
    Dataset<Row> register = catalog.read(REGISTER).where(where);
    if (register.isEmpty()) {
      throw IctstatException.usage(
          REGISTER + " has no rows for years " + years,
          "ingest the registers of those years first (`ictstat ingest --years " + years + "`)");
    }
    Result r = draw(register);
    Stage stage = new Stage(catalog.spark(), "sample", out);
    Map<String, Runnable> writes = new LinkedHashMap<>(); // side by side
    writes.put(SAMPLE + " " + years, () -> catalog.replaceWhere(SAMPLE, r.sample(), where, "year"));
    writes.put(STRATA + " " + years, () -> catalog.replaceWhere(STRATA, r.strata(), where, "year"));
    stage.runAll(writes);
  }

  /** Draws the sample of every year present in {@code register} (columns of core.register). */
  public Result draw(Dataset<Row> register) {
    SampleDesign d = survey.design();
    Dataset<Row> frame = Frame.classify(register, survey).where(col("in_scope"));
    Column rate = rateOf(d.samplingRates());
    Column nH = col("frame_units");
    Column drawn = least(nH, greatest(lit((long) d.minSamplePerStratum()), roundRate()));
    Column takeAll = rate.geq(1.0);
    Column sampleUnits = when(takeAll, nH).otherwise(drawn);
    // one window (one sort of the frame): N_h over the whole stratum, the rank in key order
    WindowSpec ranked =
        Window.partitionBy(col("year"), col("stratum"))
            .orderBy(col("__key").asc(), col("bin").asc());
    WindowSpec wholeStratum =
        ranked.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    Dataset<Row> sampled =
        frame
            .withColumn("prn", expr(prnSql("bin", seed)))
            .withColumn(
                "__key",
                expr(
                    String.format(
                        Locale.ROOT,
                        "pmod(prn + %s * (year - %d), 1.0D)",
                        Double.toString(d.rotation()),
                        YearRange.FIRST_SURVEY_YEAR)))
            .withColumn("frame_units", count(lit(1)).over(wholeStratum))
            .withColumn("__rank", row_number().over(ranked))
            .withColumn("__rate", rate)
            .withColumn("sample_units", sampleUnits)
            .withColumn("take_all", takeAll)
            .where(col("__rank").leq(col("sample_units")))
            .withColumn(
                "inclusion_prob", col("sample_units").cast("double").divide(col("frame_units")))
            .withColumn(
                "design_weight", col("frame_units").cast("double").divide(col("sample_units")));
    // the stratum table: an aggregate of the frame (no sort)
    Dataset<Row> strata =
        frame
            .groupBy(col("year"), col("stratum"))
            .agg(
                first("section").as("section"),
                first("size_class").as("size_class"),
                first("region").as("region"),
                count(lit(1)).as("frame_units"))
            .withColumn("__rate", rate)
            .withColumn("sample_units", sampleUnits)
            .withColumn("take_all", takeAll)
            .drop("__rate");
    List<Column> cols = new ArrayList<>();
    cols.add(col("year"));
    cols.add(col("bin"));
    for (String c : register.columns()) {
      if (!c.equals("year") && !c.equals("bin")) cols.add(col(c));
    }
    for (String c : Frame.DOMAIN_COLUMNS) cols.add(col(c));
    for (String c :
        List.of(
            "frame_units", "sample_units", "take_all", "prn", "inclusion_prob", "design_weight")) {
      cols.add(col(c));
    }
    return new Result(sampled.select(cols.toArray(Column[]::new)), strata);
  }

  private static Column roundRate() {
    return expr("CAST(round(__rate * frame_units) AS BIGINT)");
  }

  /** The sampling rate of a unit's size class; size classes the design does not list: 1.0. */
  private static Column rateOf(Map<String, Double> rates) {
    StringBuilder b = new StringBuilder("CASE size_class");
    rates.forEach(
        (k, v) ->
            b.append(" WHEN '")
                .append(k.replace("'", "''"))
                .append("' THEN CAST(")
                .append(Double.toString(v))
                .append(" AS DOUBLE)"));
    return expr(b.append(" ELSE 1.0D END").toString());
  }
}
