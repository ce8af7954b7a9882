package kz.stat.ictstat.weighting;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.survey.Domain;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.yaml.snakeyaml.Yaml;

/**
 * Calibration of the non-response adjusted weights to frame totals by domain (Deville and Särndal
 * 1992), per year.
 *
 * <p>Auxiliary vector of unit k: for every margin m (a list of domain variables, e.g. [region] or
 * [section, size_class]) and every category c of m, x_k holds δ_kc (number of units) and, if
 * employment is a target, δ_kc · e_k (e_k the frame employment of the unit). The targets t are the
 * frame totals of these columns: in-scope register units and their employment per category. The
 * calibrated weight is w_k g_k with g_k = F(x_k'λ) and λ solving Σ w_k g_k x_k = t:
 *
 * <ul>
 *   <li>{@code linear}: F(u) = 1 + u (GREG, chi-square distance); with finite bounds g is truncated
 *       to [L, U] and λ found by iterating (Newton, as R {@code survey::calibrate});
 *   <li>{@code raking}: F(u) = exp(u), truncated to [L, U] likewise.
 * </ul>
 *
 * <p>If the only margin is the strata with the count target, g_k = (N_h / r_h) / w_k: calibration
 * reduces to the non-response adjustment by stratum.
 *
 * <p>Scale: x_k'λ = a_c + b_c e_k with (a_c, b_c) constant within a calibration cell c (a
 * combination of the margin categories), so each Newton step is one Spark aggregation per cell of Σ
 * w g, Σ w g e, Σ w F', Σ w F' e, Σ w F' e² (a few hundred rows at most) and the p × p system is
 * solved on the driver ({@link CalibrationSolver}); the g-weights are applied in Spark.
 *
 * <p>Variance: the linearised variance of a calibrated total uses the residuals e_k = y_k − x_k'B̂,
 * B̂ = (Σ w x x')⁻¹ Σ w x y (w the weights before calibration), in place of y, and the influence
 * value g_k w_k e_k (as R survey).
 */
public final class Calibration {
  /** Table of the convergence report (one row per year). */
  public static final String REPORT = "core.calibration_report";

  /** Calibration function. */
  public enum Method {
    NONE,
    LINEAR,
    RAKING
  }

  /**
   * The {@code calibration:} block of conf/design.yaml.
   *
   * @param method none (default), linear or raking
   * @param margins lists of domain variables, one list per margin
   * @param count calibrate the number of units of every margin category
   * @param employment calibrate the frame employment of every margin category
   * @param lower lower bound L of the g-weights (may be -Infinity for linear)
   * @param upper upper bound U of the g-weights
   * @param maxIterations most Newton steps
   * @param tolerance convergence: max |t − t̂| / (1 + |t|) below this
   */
  public record Options(
      Method method,
      List<List<String>> margins,
      boolean count,
      boolean employment,
      double lower,
      double upper,
      int maxIterations,
      double tolerance) {
    public Options {
      List<List<String>> ms = new ArrayList<>();
      for (List<String> m : margins) {
        for (String v : m) {
          if (!Domain.VARIABLES.contains(v)) {
            throw IctstatException.usage(
                "unknown calibration margin variable '" + v + "' in " + m,
                "use domain variables among " + Domain.VARIABLES);
          }
        }
        ms.add(List.copyOf(m));
      }
      margins = List.copyOf(ms);
      if (method != Method.NONE) {
        if (margins.isEmpty()) {
          throw IctstatException.usage(
              "calibration method " + name(method) + " has no margins",
              "give margins, e.g. margins: [[region], [section, size_class]]");
        }
        if (!count && !employment) {
          throw IctstatException.usage(
              "calibration has no targets", "give targets: [count] or [count, employment]");
        }
      }
      if (!(lower < upper) || lower > 1 || upper < 1) {
        throw IctstatException.usage(
            "calibration bounds [" + lower + ", " + upper + "] do not contain 1",
            "give bounds [L, U] with L <= 1 <= U, e.g. [0.5, 3]");
      }
      if (maxIterations < 1 || !(tolerance > 0)) {
        throw IctstatException.usage(
            "calibration max_iterations = " + maxIterations + ", tolerance = " + tolerance,
            "give max_iterations >= 1 and tolerance > 0, e.g. 50 and 1e-9");
      }
    }

    /** No calibration (final weight = non-response adjusted weight). */
    public static final Options NONE =
        new Options(
            Method.NONE,
            List.of(),
            true,
            false,
            Double.NEGATIVE_INFINITY,
            Double.POSITIVE_INFINITY,
            50,
            1e-9);

    public boolean enabled() {
      return method != Method.NONE;
    }
  }

  /**
   * The margins as written in the report ({@code List.toString()}, e.g. "[[region], [section,
   * size_class]]").
   */
  public static List<List<String>> parseMargins(String text) {
    List<List<String>> margins = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[([^\\[\\]]*)\\]").matcher(text);
    while (m.find()) {
      List<String> vars = new ArrayList<>();
      for (String v : m.group(1).split(",")) if (!v.isBlank()) vars.add(v.trim());
      margins.add(vars);
    }
    return margins;
  }

  /** The targets as written in the report: "count", "employment" or "count,employment". */
  public static String targets(Options o) {
    return o.count() && o.employment() ? "count,employment" : o.count() ? "count" : "employment";
  }

  static String name(Method m) {
    return m.name().toLowerCase(Locale.ROOT);
  }

  /** Reads the {@code calibration:} block of {@code design.yaml} in a survey directory. */
  public static Options load(Path surveyDir) {
    Path file = surveyDir.resolve("design.yaml");
    Object root;
    try {
      root = new Yaml().load(Files.readString(file));
    } catch (IOException e) {
      throw IctstatException.usage(
          "cannot read " + file + ": " + e.getMessage(),
          "give the survey directory with design.yaml");
    }
    if (!(root instanceof Map<?, ?> m) || !(m.get("calibration") instanceof Map<?, ?> c)) {
      return Options.NONE;
    }
    return parse(c, file.toString());
  }

  static Options parse(Map<?, ?> c, String where) {
    String methodText = String.valueOf(c.get("method") == null ? "none" : c.get("method"));
    Method method = null;
    for (Method x : Method.values()) if (name(x).equalsIgnoreCase(methodText.trim())) method = x;
    if (method == null) {
      throw IctstatException.usage(
          where + ": calibration method '" + methodText + "' is unknown",
          "use one of none, linear, raking");
    }
    List<List<String>> margins = new ArrayList<>();
    if (c.get("margins") instanceof List<?> ms) {
      for (Object o : ms) {
        List<String> vars = new ArrayList<>();
        if (o instanceof List<?> l) for (Object v : l) vars.add(String.valueOf(v));
        else vars.add(String.valueOf(o));
        margins.add(vars);
      }
    }
    boolean cnt = true;
    boolean emp = false;
    if (c.get("targets") instanceof List<?> ts) {
      cnt = false;
      for (Object t : ts) {
        String s = String.valueOf(t).trim();
        if (s.equals("count")) cnt = true;
        else if (s.equals("employment")) emp = true;
        else {
          throw IctstatException.usage(
              where + ": calibration target '" + s + "' is unknown",
              "use targets among [count, employment]");
        }
      }
    }
    double lo = Double.NEGATIVE_INFINITY;
    double hi = Double.POSITIVE_INFINITY;
    if (c.get("bounds") instanceof List<?> b) {
      if (b.size() != 2) {
        throw IctstatException.usage(
            where + ": calibration bounds " + b + " are not [L, U]", "give bounds: [0.5, 3]");
      }
      lo = Double.parseDouble(String.valueOf(b.get(0)).replace("-inf", "-Infinity"));
      hi = Double.parseDouble(String.valueOf(b.get(1)).replace("inf", "Infinity"));
    }
    int maxIt =
        Integer.parseInt(
            String.valueOf(c.get("max_iterations") == null ? 50 : c.get("max_iterations")));
    double tol =
        Double.parseDouble(String.valueOf(c.get("tolerance") == null ? 1e-9 : c.get("tolerance")));
    return new Options(method, margins, cnt, emp, lo, hi, maxIt, tol);
  }

  /** The convergence report of one year. */
  public record YearReport(
      int year,
      String method,
      int constraints,
      int iterations,
      boolean converged,
      double maxRelDeviation,
      long units,
      double gMin,
      double gMax,
      long truncated) {}

  /** Calibrated units (input columns plus {@code g_weight} and {@code cal_weight}) and reports. */
  public record Result(Dataset<Row> units, List<YearReport> reports) {}

  /** The schema of {@link #REPORT}. */
  public static final StructType REPORT_SCHEMA =
      new StructType()
          .add("year", DataTypes.IntegerType)
          .add("method", DataTypes.StringType)
          .add("margins", DataTypes.StringType)
          .add("targets", DataTypes.StringType)
          .add("bounds", DataTypes.StringType)
          .add("constraints", DataTypes.IntegerType)
          .add("iterations", DataTypes.IntegerType)
          .add("converged", DataTypes.BooleanType)
          .add("max_rel_deviation", DataTypes.DoubleType)
          .add("units", DataTypes.LongType)
          .add("g_min", DataTypes.DoubleType)
          .add("g_max", DataTypes.DoubleType)
          .add("truncated", DataTypes.LongType);

  /** Report rows as a DataFrame. */
  public static Dataset<Row> reportFrame(SparkSession spark, Options o, List<YearReport> reports) {
    List<Row> rows = new ArrayList<>();
    String bounds = "[" + o.lower() + ", " + o.upper() + "]";
    for (YearReport r : reports) {
      rows.add(
          RowFactory.create(
              r.year(),
              r.method(),
              o.margins().toString(),
              targets(o),
              bounds,
              r.constraints(),
              r.iterations(),
              r.converged(),
              r.maxRelDeviation(),
              r.units(),
              r.gMin(),
              r.gMax(),
              r.truncated()));
    }
    return spark.createDataFrame(rows, REPORT_SCHEMA);
  }

  private Calibration() {}

  static Column marginCode(List<String> vars) {
    List<Column> cs = new ArrayList<>();
    for (String v : vars) cs.add(coalesce(col(v).cast("string"), lit("_U")));
    return concat_ws("|", cs.toArray(new Column[0]));
  }

  /**
   * Frame totals per year, margin and category: {@code year, margin (index), code, count,
   * employment} from a classified frame (in-scope units only; columns year, employees and the
   * margin variables). Small: one row per category.
   */
  public static Dataset<Row> frameTargets(Dataset<Row> frame, Options o) {
    Dataset<Row> all = null;
    for (int m = 0; m < o.margins().size(); m++) {
      Dataset<Row> t =
          frame
              .groupBy(
                  col("year").cast("int").as("year"), marginCode(o.margins().get(m)).as("code"))
              .agg(
                  count(lit(1)).cast("double").as("count"),
                  sum(coalesce(col("employees").cast("double"), lit(0.0))).as("employment"))
              .select(
                  col("year"), lit(m).as("margin"), col("code"), col("count"), col("employment"));
      all = all == null ? t : all.unionByName(t);
    }
    return all;
  }

  /**
   * Calibrates {@code weightCol} of the units (columns year, the margin variables, {@code empCol})
   * to the targets of {@link #frameTargets}, year by year; adds {@code g_weight} and {@code
   * cal_weight} = weight × g.
   */
  public static Result calibrate(
      Dataset<Row> units, String weightCol, String empCol, Dataset<Row> targets, Options o) {
    if (!o.enabled()) {
      Dataset<Row> u = units.withColumn("g_weight", lit(1.0));
      return new Result(u.withColumn("cal_weight", col(weightCol)), List.of());
    }
    SparkSession spark = units.sparkSession();
    int nm = o.margins().size();
    List<String> mcols = new ArrayList<>();
    Dataset<Row> u = units.withColumn("year", col("year").cast("int"));
    for (int m = 0; m < nm; m++) {
      u = u.withColumn("_mc" + m, marginCode(o.margins().get(m)));
      mcols.add("_mc" + m);
    }
    Column[] mc = mcols.stream().map(c -> col(c)).toArray(Column[]::new);
    u =
        u.withColumn("_cell", concat_ws("\u0001", mc))
            .withColumn("_w", col(weightCol).cast("double"))
            .withColumn("_e", coalesce(col(empCol).cast("double"), lit(0.0)));
    Dataset<Row> slim = u.select("year", "_cell", "_w", "_e").cache();

    // targets per year: margin -> code -> {count, employment}
    Map<Integer, List<Map<String, double[]>>> tgt = new TreeMap<>();
    for (Row r : targets.collectAsList()) {
      List<Map<String, double[]>> l =
          tgt.computeIfAbsent(
              r.getInt(0),
              y -> {
                List<Map<String, double[]>> x = new ArrayList<>();
                for (int m = 0; m < nm; m++) x.add(new TreeMap<>());
                return x;
              });
      l.get(r.getInt(1)).put(r.getString(2), new double[] {r.getDouble(3), r.getDouble(4)});
    }
    // cells per year with their margin codes
    Map<Integer, List<String[]>> cells = new TreeMap<>();
    List<Column> cellCols = new ArrayList<>(List.of(col("year"), col("_cell")));
    cellCols.addAll(List.of(mc));
    for (Row r : u.select(cellCols.toArray(new Column[0])).distinct().collectAsList()) {
      String[] codes = new String[nm + 1];
      codes[0] = r.getString(1);
      for (int m = 0; m < nm; m++) codes[m + 1] = r.getString(2 + m);
      cells.computeIfAbsent(r.getInt(0), y -> new ArrayList<>()).add(codes);
    }

    List<YearReport> reports = new ArrayList<>();
    List<Row> coef = new ArrayList<>();
    for (var entry : cells.entrySet()) {
      int year = entry.getKey();
      List<String[]> yc = entry.getValue();
      List<Map<String, double[]>> yt = tgt.get(year);
      if (yt == null) {
        throw IctstatException.runFailed(
            "no frame totals for calibration in " + year,
            "load the register of " + year + " (core.register) or set calibration method: none");
      }
      // column index of (margin, code)
      List<Map<String, Integer>> index = new ArrayList<>();
      List<Double> t = new ArrayList<>();
      for (int m = 0; m < nm; m++) {
        Map<String, Integer> im = new LinkedHashMap<>();
        for (var c : yt.get(m).entrySet()) {
          im.put(c.getKey(), t.size());
          if (o.count()) t.add(c.getValue()[0]);
          if (o.employment()) t.add(c.getValue()[1]);
        }
        index.add(im);
      }
      // every sample category must be in the frame, every frame category in the sample
      for (int m = 0; m < nm; m++) {
        TreeSet<String> inSample = new TreeSet<>();
        for (String[] c : yc) inSample.add(c[m + 1]);
        TreeSet<String> notFrame = new TreeSet<>(inSample);
        notFrame.removeAll(index.get(m).keySet());
        TreeSet<String> noResp = new TreeSet<>(index.get(m).keySet());
        noResp.removeAll(inSample);
        if (!notFrame.isEmpty() || !noResp.isEmpty()) {
          throw IctstatException.runFailed(
              "calibration margin "
                  + o.margins().get(m)
                  + " of "
                  + year
                  + ": categories "
                  + (notFrame.isEmpty() ? "" : notFrame + " have respondents but no frame units ")
                  + (noResp.isEmpty() ? "" : noResp + " have frame units but no respondents"),
              "use a coarser margin (fewer variables) or set calibration method: none");
        }
      }
      double[] targetsArr = t.stream().mapToDouble(Double::doubleValue).toArray();
      int p = targetsArr.length;
      int[][] pos = new int[yc.size()][nm];
      for (int i = 0; i < yc.size(); i++) {
        for (int m = 0; m < nm; m++) pos[i][m] = index.get(m).get(yc.get(i)[m + 1]);
      }
      Map<String, Integer> cellIndex = new LinkedHashMap<>();
      for (int i = 0; i < yc.size(); i++) cellIndex.put(yc.get(i)[0], i);
      Dataset<Row> yu = slim.where(col("year").equalTo(year));
      double[][] ab = new double[yc.size()][2];
      CalibrationSolver.MomentSource source =
          lambda -> {
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < yc.size(); i++) {
              double[] c = coefficients(lambda, pos[i], o);
              rows.add(RowFactory.create(yc.get(i)[0], c[0], c[1]));
            }
            Dataset<Row> co = spark.createDataFrame(rows, COEF_SCHEMA);
            Column uu = col("_a").plus(col("_b").multiply(col("_e")));
            Column g = gExpr(uu, o);
            Column d = derivExpr(uu, o);
            List<Row> agg =
                yu.join(broadcast(co), "_cell")
                    .withColumn("_g", g)
                    .withColumn("_d", d)
                    .groupBy("_cell")
                    .agg(
                        sum(col("_w").multiply(col("_g"))),
                        sum(col("_w").multiply(col("_g")).multiply(col("_e"))),
                        sum(col("_w").multiply(col("_d"))),
                        sum(col("_w").multiply(col("_d")).multiply(col("_e"))),
                        sum(col("_w").multiply(col("_d")).multiply(col("_e")).multiply(col("_e"))))
                    .collectAsList();
            double[] total = new double[p];
            double[][] h = new double[p][p];
            boolean finite = true;
            for (Row r : agg) {
              int i = cellIndex.get(r.getString(0));
              double[] s = new double[5];
              for (int j = 0; j < 5; j++) {
                s[j] = r.getDouble(j + 1);
                if (!Double.isFinite(s[j])) finite = false;
              }
              for (int m = 0; m < nm; m++) {
                int b1 = pos[i][m];
                int k = 0;
                if (o.count()) total[b1 + k++] += s[0];
                if (o.employment()) total[b1 + k] += s[1];
                for (int m2 = 0; m2 < nm; m2++) {
                  int b2 = pos[i][m2];
                  if (o.count() && o.employment()) {
                    h[b1][b2] += s[2];
                    h[b1][b2 + 1] += s[3];
                    h[b1 + 1][b2] += s[3];
                    h[b1 + 1][b2 + 1] += s[4];
                  } else if (o.count()) {
                    h[b1][b2] += s[2];
                  } else {
                    h[b1][b2] += s[4];
                  }
                }
              }
            }
            return new CalibrationSolver.Moments(total, h, finite);
          };
      CalibrationSolver.Solution sol =
          CalibrationSolver.solve(targetsArr, source, o.maxIterations(), o.tolerance());
      if (!sol.converged()) {
        throw IctstatException.runFailed(
            String.format(
                Locale.ROOT,
                "%s calibration of %d did not converge in %d iterations: max relative deviation"
                    + " from the frame totals %.3g (tolerance %.3g), bounds [%s, %s]",
                name(o.method()),
                year,
                sol.iterations(),
                sol.maxRelDeviation(),
                o.tolerance(),
                o.lower(),
                o.upper()),
            "widen the calibration bounds, raise max_iterations or use coarser margins in"
                + " conf/design.yaml");
      }
      for (int i = 0; i < yc.size(); i++) {
        ab[i] = coefficients(sol.lambda(), pos[i], o);
        coef.add(RowFactory.create(year, yc.get(i)[0], ab[i][0], ab[i][1]));
      }
      reports.add(
          new YearReport(
              year,
              name(o.method()),
              p,
              sol.iterations(),
              true,
              sol.maxRelDeviation(),
              0,
              Double.NaN,
              Double.NaN,
              0));
    }
    slim.unpersist();
    StructType cs =
        new StructType()
            .add("year", DataTypes.IntegerType)
            .add("_cell", DataTypes.StringType)
            .add("_a", DataTypes.DoubleType)
            .add("_b", DataTypes.DoubleType);
    Dataset<Row> co = spark.createDataFrame(coef, cs);
    Column uu = col("_a").plus(col("_b").multiply(col("_e")));
    Dataset<Row> out =
        u.join(broadcast(co), new String[] {"year", "_cell"}, "left")
            .withColumn("g_weight", gExpr(uu, o))
            .withColumn("cal_weight", col("_w").multiply(col("g_weight")));
    // g range and truncation per year (small aggregate)
    Map<Integer, Row> stats = new TreeMap<>();
    Column atBound =
        col("g_weight").equalTo(lit(o.lower())).or(col("g_weight").equalTo(lit(o.upper())));
    for (Row r :
        out.groupBy("year")
            .agg(
                count(lit(1)),
                min("g_weight"),
                max("g_weight"),
                sum(when(atBound, 1L).otherwise(0L)))
            .collectAsList()) {
      stats.put(r.getInt(0), r);
    }
    List<YearReport> full = new ArrayList<>();
    for (YearReport r : reports) {
      Row s = stats.get(r.year());
      full.add(
          new YearReport(
              r.year(),
              r.method(),
              r.constraints(),
              r.iterations(),
              r.converged(),
              r.maxRelDeviation(),
              s.getLong(1),
              s.getDouble(2),
              s.getDouble(3),
              s.getLong(4)));
    }
    List<String> drop = new ArrayList<>(mcols);
    drop.addAll(List.of("_cell", "_a", "_b", "_w", "_e"));
    return new Result(out.drop(drop.toArray(new String[0])), List.copyOf(full));
  }

  private static final StructType COEF_SCHEMA =
      new StructType()
          .add("_cell", DataTypes.StringType)
          .add("_a", DataTypes.DoubleType)
          .add("_b", DataTypes.DoubleType);

  /** x'λ = a + b e within a cell: a sums the count coefficients, b the employment ones. */
  private static double[] coefficients(double[] lambda, int[] pos, Options o) {
    double a = 0;
    double b = 0;
    for (int base : pos) {
      int k = 0;
      if (o.count()) a += lambda[base + k++];
      if (o.employment()) b += lambda[base + k];
    }
    return new double[] {a, b};
  }

  private static Column clip(Column g, Options o) {
    Column r = g;
    if (Double.isFinite(o.lower())) r = greatest(r, lit(o.lower()));
    if (Double.isFinite(o.upper())) r = least(r, lit(o.upper()));
    return r;
  }

  static Column gExpr(Column u, Options o) {
    Column f = o.method() == Method.RAKING ? exp(u) : lit(1.0).plus(u);
    return clip(f, o);
  }

  static Column derivExpr(Column u, Options o) {
    Column f = o.method() == Method.RAKING ? exp(u) : lit(1.0).plus(u);
    Column d = o.method() == Method.RAKING ? exp(u) : lit(1.0);
    Column inside = lit(true);
    if (Double.isFinite(o.lower())) inside = inside.and(f.gt(lit(o.lower())));
    if (Double.isFinite(o.upper())) inside = inside.and(f.lt(lit(o.upper())));
    return when(inside, d).otherwise(lit(0.0));
  }

  /** Used margin variables, in order of first appearance. */
  public static List<String> variables(Options o) {
    LinkedHashSet<String> s = new LinkedHashSet<>();
    for (List<String> m : o.margins()) s.addAll(m);
    return List.copyOf(s);
  }
}
