package kz.stat.ictstat.weighting;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.config.YearRange;
import kz.stat.ictstat.sampling.Frame;
import kz.stat.ictstat.spark.Stage;
import kz.stat.ictstat.spark.TableCatalog;
import kz.stat.ictstat.survey.Domain;
import kz.stat.ictstat.survey.SampleDesign.LonelyPolicy;
import kz.stat.ictstat.survey.SurveyDefinitions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The design and the weights of each year: reads {@code core.sample}, {@code core.responses} and
 * (if present) {@code core.control_status}; writes {@code core.design} (one row per year × stratum)
 * and {@code core.weights} (one row per responding unit fit for estimation).
 *
 * <p>Weights (METHODS.md): design weight d_k = N_h / n_h; non-response adjusted weight w_k = N_h /
 * r_h with r_h the sampled units that responded and are fit for estimation (response treated as a
 * random second phase within the stratum). With response homogeneity groups g (domain variables
 * given in {@link Options#responseGroups()}), w_k = d_k · Σ_{S_g} d / Σ_{R_g} d instead. The final
 * weight equals the non-response weight unless calibration is configured ({@link Calibration}:
 * final_weight = nr_weight · g_weight, the g-weights from linear or raking calibration to frame
 * totals by domain, with a convergence report per year in {@code core.calibration_report}). A
 * response of a unit outside the sample, and a sampled unit not fit for estimation, are counted and
 * reported, never weighted.
 */
public final class Weighting {
  /** Table names this stage reads and writes. */
  public static final String SAMPLE = "core.sample";

  public static final String RESPONSES = "core.responses";
  public static final String CONTROL_STATUS = "core.control_status";
  public static final String DESIGN = "core.design";
  public static final String REGISTER = "core.register";
  public static final String WEIGHTS = "core.weights";

  /**
   * @param years reference years to weight
   * @param lonely policy for strata with one responding unit
   * @param responseGroups domain variables of the response homogeneity groups; empty = strata
   * @param calibration calibration of the non-response weights to frame totals (or none)
   */
  public record Options(
      YearRange years,
      LonelyPolicy lonely,
      List<String> responseGroups,
      Calibration.Options calibration) {
    /** Without calibration. */
    public Options(YearRange years, LonelyPolicy lonely, List<String> responseGroups) {
      this(years, lonely, responseGroups, Calibration.Options.NONE);
    }

    public Options {
      responseGroups = List.copyOf(responseGroups);
      if (calibration == null) calibration = Calibration.Options.NONE;
      for (String v : responseGroups) {
        if (!Domain.VARIABLES.contains(v)) {
          throw IctstatException.usage(
              "unknown response homogeneity group variable '" + v + "'",
              "use domain variables among " + Domain.VARIABLES);
        }
      }
    }
  }

  /** What one year's weighting found. */
  public record YearSummary(
      int year,
      long strata,
      long sampled,
      long respondents,
      long notFit,
      long outsideSample,
      long strataWithoutRespondents,
      long lonelyStrata) {}

  /** The outcome: a summary per year and the stratum-level design with its variance groups. */
  public record Result(List<YearSummary> years, List<VarianceGroups.Assignment> design) {}

  private final SparkSession spark;
  private final TableCatalog catalog;
  private final PrintStream out;
  private final SurveyDefinitions survey;

  public Weighting(TableCatalog catalog, PrintStream out) {
    this(catalog, out, null);
  }

  /**
   * @param survey survey definitions, needed to classify the frame ({@code core.register}) when
   *     calibrating
   */
  public Weighting(TableCatalog catalog, PrintStream out, SurveyDefinitions survey) {
    this.spark = catalog.spark();
    this.catalog = catalog;
    this.out = out;
    this.survey = survey;
  }

  public Result execute(Options options) {
    Stage stage = new Stage(spark, "weighting", out);
    YearRange years = options.years();
    String inYears = years.sql();
    Dataset<Row> units = sampledUnits(inYears);

    List<StratumDesign> strata = new ArrayList<>();
    Map<Integer, long[]> counts = new TreeMap<>();
    stage.run(
        "design " + years,
        () -> {
          for (Row r : strataStats(units).collectAsList()) {
            StratumDesign s = StratumDesign.of(r);
            if (s.respondents() > s.frameUnits() || s.sampled() > s.frameUnits()) {
              throw IctstatException.runFailed(
                  "stratum "
                      + s.stratum()
                      + " of "
                      + s.year()
                      + " has N_h = "
                      + s.frameUnits()
                      + " frame units but n_h = "
                      + s.sampled()
                      + " sampled and r_h = "
                      + s.respondents()
                      + " respondents",
                  "rerun `ictstat sample` for " + s.year() + " so that core.sample is consistent");
            }
            strata.add(s);
            long[] c = counts.computeIfAbsent(s.year(), y -> new long[7]);
            c[0]++;
            c[1] += s.sampled();
            c[2] += s.respondents();
            c[3] += r.getLong(9);
            if (s.respondents() == 0 && s.sampled() > 0) c[5]++;
            if (s.lonely()) c[6]++;
          }
          for (Row r : outsideSample(inYears).collectAsList()) {
            counts.computeIfAbsent(r.getInt(0), y -> new long[7])[4] = r.getLong(1);
          }
        });
    if (strata.isEmpty()) {
      throw IctstatException.runFailed(
          "core.sample holds no units for " + years,
          "run `ictstat sample --years " + years + "` first");
    }
    List<VarianceGroups.Assignment> design = VarianceGroups.resolve(strata, options.lonely());
    Dataset<Row> designDf = designFrame(spark, design, options.lonely());
    stage.run("write " + DESIGN, () -> catalog.replaceWhere(DESIGN, designDf, inYears, "year"));
    Dataset<Row> nrWeights = weights(units, catalog.read(DESIGN).where(inYears), options);
    Calibration.Options cal = options.calibration();
    List<Calibration.YearReport> calReports = new ArrayList<>();
    Dataset<Row> weights;
    if (cal.enabled()) {
      if (survey == null) {
        throw IctstatException.usage(
            "calibration needs the survey definitions to classify the frame",
            "construct Weighting with the SurveyDefinitions");
      }
      Dataset<Row> frame =
          Frame.classify(catalog.read(REGISTER).where(inYears), survey).where(col("in_scope"));
      Dataset<Row> targets = Calibration.frameTargets(frame, cal);
      Dataset<Row>[] holder = new Dataset[1];
      stage.run(
          "calibration " + Calibration.name(cal.method()) + " " + years,
          () -> {
            Calibration.Result r =
                Calibration.calibrate(nrWeights, "nr_weight", "frame_employees", targets, cal);
            calReports.addAll(r.reports());
            holder[0] = r.units();
          });
      weights =
          holder[0]
              .withColumn("final_weight", col("cal_weight"))
              .withColumn("weight_stage", lit("calibrated_" + Calibration.name(cal.method())));
      Dataset<Row> report = Calibration.reportFrame(spark, cal, calReports);
      stage.run(
          "write " + Calibration.REPORT,
          () -> catalog.replaceWhere(Calibration.REPORT, report, inYears, "year"));
    } else {
      weights = nrWeights.withColumn("g_weight", lit(1.0));
    }
    Dataset<Row> finalWeights =
        weights.select(WEIGHT_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new));
    stage.run(
        "write " + WEIGHTS, () -> catalog.replaceWhere(WEIGHTS, finalWeights, inYears, "year"));
    for (Calibration.YearReport r : calReports) {
      if (out == null) continue;
      out.printf(
          Locale.ROOT,
          "  calibration %d: %s, %d constraints, %d iterations, max relative deviation from the"
              + " frame totals %.2e, g in [%.4f, %.4f], %d of %d units at a bound%n",
          r.year(),
          r.method(),
          r.constraints(),
          r.iterations(),
          r.maxRelDeviation(),
          r.gMin(),
          r.gMax(),
          r.truncated(),
          r.units());
    }

    List<YearSummary> summaries = new ArrayList<>();
    counts.forEach(
        (y, c) -> summaries.add(new YearSummary(y, c[0], c[1], c[2], c[3], c[4], c[5], c[6])));
    for (YearSummary s : summaries) {
      if (out == null) continue;
      out.printf(
          Locale.ROOT,
          "  weighting  %d: %d strata, %d sampled, %d respondents fit for estimation, %d not fit,"
              + " %d responses outside the sample (not weighted), %d strata without respondents,"
              + " %d lonely strata (%s)%n",
          s.year(),
          s.strata(),
          s.sampled(),
          s.respondents(),
          s.notFit(),
          s.outsideSample(),
          s.strataWithoutRespondents(),
          s.lonelyStrata(),
          options.lonely().name().toLowerCase(Locale.ROOT));
    }
    return new Result(List.copyOf(summaries), List.copyOf(design));
  }

  /** Sampled units with {@code responded} and {@code usable} (responded and fit) flags. */
  private Dataset<Row> sampledUnits(String inYears) {
    Dataset<Row> sample = catalog.read(SAMPLE).where(inYears);
    Dataset<Row> responded =
        catalog
            .read(RESPONSES)
            .where(inYears)
            .select(col("year"), col("bin"))
            .distinct()
            .withColumn("responded", lit(true));
    Dataset<Row> units = sample.join(responded, new String[] {"year", "bin"}, "left");
    if (catalog.exists(CONTROL_STATUS)) {
      Dataset<Row> status =
          catalog
              .read(CONTROL_STATUS)
              .where(inYears)
              .select(col("year"), col("bin"), col("fit_for_estimation").as("fit"));
      units = units.join(status, new String[] {"year", "bin"}, "left");
    } else {
      units = units.withColumn("fit", lit(true));
    }
    return units
        .withColumn("responded", coalesce(col("responded"), lit(false)))
        .withColumn("fit", coalesce(col("fit"), lit(true)))
        .withColumn("usable", col("responded").and(col("fit")));
  }

  private static Dataset<Row> strataStats(Dataset<Row> units) {
    return units
        .groupBy("year", "stratum")
        .agg(
            first("section").as("section"),
            first("size_class").as("size_class"),
            first("region").as("region"),
            max(col("frame_units").cast("long")).as("frame_units"),
            max(col("sample_units").cast("long")).as("sample_units"),
            sum(when(col("usable"), 1L).otherwise(0L)).as("resp_units"),
            max(col("take_all")).as("take_all"),
            sum(when(col("responded").and(col("fit").equalTo(false)), 1L).otherwise(0L))
                .as("not_fit"))
        .select(
            col("year").cast("int"),
            col("stratum"),
            col("section"),
            col("size_class"),
            col("region"),
            col("frame_units"),
            col("sample_units"),
            col("resp_units"),
            coalesce(col("take_all"), lit(false)),
            col("not_fit"))
        .orderBy("year", "stratum");
  }

  private Dataset<Row> outsideSample(String inYears) {
    Dataset<Row> resp = catalog.read(RESPONSES).where(inYears).select("year", "bin").distinct();
    Dataset<Row> sample = catalog.read(SAMPLE).where(inYears).select("year", "bin");
    return resp.join(sample, new String[] {"year", "bin"}, "left_anti")
        .groupBy(col("year").cast("int").as("year"))
        .count();
  }

  /** Columns of {@code core.weights}, in order. */
  public static final List<String> WEIGHT_COLUMNS =
      List.of(
          "year",
          "bin",
          "stratum",
          "region",
          "section",
          "size_class",
          "ownership",
          "sector",
          "take_all",
          "frame_employees",
          "design_weight",
          "nr_weight",
          "g_weight",
          "final_weight",
          "weight_stage");

  /** The schema of {@code core.design}. */
  public static final StructType DESIGN_SCHEMA =
      new StructType()
          .add("year", DataTypes.IntegerType)
          .add("stratum", DataTypes.StringType)
          .add("section", DataTypes.StringType)
          .add("size_class", DataTypes.StringType)
          .add("region", DataTypes.StringType)
          .add("frame_units", DataTypes.LongType)
          .add("sample_units", DataTypes.LongType)
          .add("resp_units", DataTypes.LongType)
          .add("take_all", DataTypes.BooleanType)
          .add("lonely", DataTypes.BooleanType)
          .add("lonely_policy", DataTypes.StringType)
          .add("lonely_treatment", DataTypes.StringType)
          .add("var_group", DataTypes.StringType);

  /** {@code core.design} rows of resolved strata (small: one row per year × stratum). */
  public static Dataset<Row> designFrame(
      SparkSession spark, List<VarianceGroups.Assignment> design, LonelyPolicy policy) {
    List<Row> rows = new ArrayList<>(design.size());
    String p = policy.name().toLowerCase(Locale.ROOT);
    for (VarianceGroups.Assignment a : design) {
      StratumDesign s = a.stratum();
      rows.add(
          RowFactory.create(
              s.year(),
              s.stratum(),
              s.section(),
              s.sizeClass(),
              s.region(),
              s.frameUnits(),
              s.sampled(),
              s.respondents(),
              s.takeAll(),
              s.lonely(),
              p,
              a.treatment(),
              a.varGroup()));
    }
    return spark.createDataFrame(rows, DESIGN_SCHEMA);
  }

  /** Weights of the usable units (responded and fit), with their lineage. */
  static Dataset<Row> weights(Dataset<Row> units, Dataset<Row> design, Options options) {
    Dataset<Row> d =
        design.select(
            col("year"), col("stratum"), col("frame_units").as("d_N"), col("resp_units").as("d_r"));
    Dataset<Row> u =
        units
            .withColumn("year", col("year").cast("int"))
            .join(d, new String[] {"year", "stratum"}, "left")
            .withColumn("design_weight", col("d_N").cast("double").divide(col("sample_units")));
    Column nr;
    String stageName;
    if (options.responseGroups().isEmpty()) {
      nr = col("d_N").cast("double").divide(col("d_r"));
      stageName = "nonresponse_strata";
    } else {
      List<Column> keys = new ArrayList<>();
      keys.add(col("year"));
      for (String v : options.responseGroups()) keys.add(col(v));
      var g = Window.partitionBy(keys.toArray(new Column[0]));
      Column sampledSum = sum(col("design_weight")).over(g);
      Column respSum = sum(when(col("usable"), col("design_weight")).otherwise(0.0)).over(g);
      nr = col("design_weight").multiply(sampledSum).divide(respSum);
      stageName = "nonresponse_groups";
    }
    return u.withColumn("nr_weight", nr)
        .where(col("usable"))
        .select(
            col("year"),
            col("bin"),
            col("stratum"),
            col("region"),
            col("section"),
            col("size_class"),
            col("ownership"),
            col("sector"),
            col("take_all"),
            List.of(units.columns()).contains("employees")
                ? col("employees").as("frame_employees")
                : lit(null).cast("long").as("frame_employees"),
            col("design_weight"),
            col("nr_weight"),
            col("nr_weight").as("final_weight"),
            lit(stageName).as("weight_stage"));
  }
}
