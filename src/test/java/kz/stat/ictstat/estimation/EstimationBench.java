package kz.stat.ictstat.estimation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import kz.stat.ictstat.survey.Domain;
import kz.stat.ictstat.survey.Indicator;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Estimation benchmark (not a test): this project's one-pass estimator on Spark, the same algorithm
 * in DuckDB SQL, and (separately, bench/estimation.R) R {@code survey}, on one prepared input.
 * Driven by {@code scripts/bench-estimation.sh}.
 *
 * <ul>
 *   <li>{@code prepare <warehouse> <dir>}: writes the estimation input once — {@code units}: one
 *       row per respondent fit for estimation with year, stratum, var_group, frame_g (N_g),
 *       final_weight, the domain variables (unknown = {@code _U}) and per indicator i: k_i (1 if
 *       the unit is in the indicator's population that year), y_i and x_i (numerator and
 *       denominator, NULL where the answer is missing; x_i = 0 for counts and totals) — and {@code
 *       design} ({@code core.design}), as Parquet and CSV, plus {@code indicators.csv}.
 *   <li>{@code run <dir> <runs> <threads>}: times {@link EstimationQuery#estimates} (Spark) and the
 *       DuckDB query, each from its Parquet input to the full result in memory; writes the last
 *       results as {@code result_spark.csv} and {@code result_duckdb.csv} and the times.
 *   <li>{@code compare <dir>}: maximum relative differences of estimates and SEs between engines.
 *   <li>{@code replicate <dir> <target dir> <k>}: the input of {@code dir} with every respondent
 *       repeated k times (BIN suffixed "-r") and N_h, n_h, r_h and the group frame sizes × k: the
 *       same design, strata and domains with k times the units, for timing the engines at a larger
 *       volume without a full cycle at that scale (the estimates of totals are k times those of
 *       {@code dir}, the shares unchanged).
 * </ul>
 */
public final class EstimationBench {
  private EstimationBench() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "prepare" -> prepare(Path.of(args[1]), Path.of(args[2]));
      case "synthetic" -> synthetic(Path.of(args[1]), Double.parseDouble(args[2]));
      case "run" -> run(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "compare" -> compare(Path.of(args[1]));
      case "duckdb-only" -> duckOnly(Path.of(args[1]));
      case "spark-only" -> sparkRuns(Path.of(args[1]), Integer.parseInt(args[2]));
      case "report" -> report(Path.of(args[1]), Path.of(args[2]), args[3], args[4]);
      case "replicate" -> replicate(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]));
      default ->
          throw new IllegalArgumentException(
              "prepare | synthetic | run | compare | duckdb-only | report | replicate: " + args[0]);
    }
  }

  static SparkSession spark() {
    SparkSession s =
        SparkSession.builder()
            .appName("ictstat-bench")
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config(
                "spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.adaptive.enabled", "true")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    s.sparkContext().setLogLevel("ERROR");
    return s;
  }

  static List<Indicator> indicators(SurveyDefinitions survey) {
    return survey.indicators().stream()
        .filter(i -> i.firstYear() <= 2024 && (i.lastYear() == null || i.lastYear() >= 2004))
        .toList();
  }

  // ---------------------------------------------------------------- prepare

  static void prepare(Path warehouse, Path dir) throws IOException {
    SparkSession spark = spark();
    SurveyDefinitions survey = SurveyLoader.load(Path.of("conf"));
    List<Indicator> inds = indicators(survey);
    String wh = warehouse.toAbsolutePath().toString();
    Dataset<Row> weights = spark.read().format("delta").load(wh + "/core/weights");
    Dataset<Row> responses = spark.read().format("delta").load(wh + "/core/responses");
    Dataset<Row> design = spark.read().format("delta").load(wh + "/core/design");
    Set<String> items = new LinkedHashSet<>();
    for (Indicator i : inds) items.addAll(i.items());
    items.removeAll(Domain.VARIABLES);
    List<Column> rc = new ArrayList<>(List.of(col("year"), col("bin")));
    for (String it : items) rc.add(col(it));
    Dataset<Row> units =
        weights.join(responses.select(rc.toArray(new Column[0])), new String[] {"year", "bin"});
    Dataset<Row> groups =
        design
            .where("resp_units > 0")
            .groupBy("year", "var_group")
            .agg(expr("sum(frame_units) AS frame_g"));
    Dataset<Row> strata =
        design
            .select("year", "stratum", "var_group")
            .join(groups, new String[] {"year", "var_group"});
    units = units.join(strata, new String[] {"year", "stratum"});
    List<Column> out = new ArrayList<>();
    for (String c : List.of("year", "bin", "stratum", "var_group", "frame_g")) out.add(col(c));
    out.add(expr("CAST(final_weight AS DOUBLE) AS final_weight"));
    for (String v : Domain.VARIABLES) {
      out.add(expr("coalesce(CAST(" + v + " AS STRING), '_U') AS " + v));
    }
    for (int i = 0; i < inds.size(); i++) {
      Indicator ind = inds.get(i);
      String y = ind.numeratorSql();
      String x = ind.denominatorSql();
      String valid = ind.answeredSql();
      String keep = ind.inScopeSql("year");
      out.add(expr("CASE WHEN " + keep + " THEN 1 ELSE 0 END AS k_" + i));
      out.add(expr("CASE WHEN " + valid + " THEN CAST(" + y + " AS DOUBLE) END AS y_" + i));
      out.add(
          expr(
              "CASE WHEN "
                  + valid
                  + " THEN "
                  + (x == null ? "0.0D" : "CAST(" + x + " AS DOUBLE)")
                  + " END AS x_"
                  + i));
    }
    Dataset<Row> wide = units.select(out.toArray(new Column[0])).orderBy("year", "stratum", "bin");
    Files.createDirectories(dir);
    single(wide, dir, "units");
    single(design.orderBy("year", "stratum"), dir, "design");
    single(
        spark.read().format("delta").load(wh + "/pub/estimates").orderBy("year", "indicator"),
        dir,
        "pub_estimates");
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve("indicators.csv")))) {
      w.println("ind,indicator,kind,is_ratio,scale");
      for (int i = 0; i < inds.size(); i++) {
        Indicator ind = inds.get(i);
        w.printf(
            Locale.ROOT,
            "%d,%s,%s,%b,%s%n",
            i,
            ind.id(),
            ind.kind().name().toLowerCase(Locale.ROOT),
            ind.kind().isRatio(),
            Double.toString(EstimationQuery.scale(ind)));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "prepared %s: %d units, %d design rows, %d indicators%n",
        dir,
        spark.read().parquet(dir.resolve("units.parquet").toString()).count(),
        spark.read().parquet(dir.resolve("design.parquet").toString()).count(),
        inds.size());
  }

  /** Writes one Parquet file and one CSV file named {@code name}.* in dir. */
  static void single(Dataset<Row> df, Path dir, String name) throws IOException {
    for (String fmt : List.of("parquet", "csv")) {
      Path tmp = dir.resolve("_tmp_" + name);
      df.coalesce(1)
          .write()
          .mode(SaveMode.Overwrite)
          .format(fmt)
          .option("header", "true")
          .save(tmp.toString());
      Path part;
      try (Stream<Path> s = Files.list(tmp)) {
        part = s.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().get();
      }
      Files.move(
          part, dir.resolve(name + "." + fmt), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      try (Stream<Path> s = Files.walk(tmp)) {
        s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Without a warehouse: a synthetic estimation input of the same shape (969 strata of 19 sections
   * × 3 sizes × 17 regions per year, 10 % samples of small and medium units, take-all large units,
   * 85 % response, 3 % item non-response), generated in DuckDB.
   */
  static void synthetic(Path dir, double scale) throws Exception {
    SurveyDefinitions survey = SurveyLoader.load(Path.of("conf"));
    List<Indicator> inds = indicators(survey);
    Files.createDirectories(dir);
    Class.forName("org.duckdb.DuckDBDriver");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("SELECT setseed(0.25)");
      st.execute(
          "CREATE TABLE design AS WITH s AS (SELECT y.year, chr((65 + sec.i)::INT) AS section,"
              + " sz.size_class, (10 + r.i)::VARCHAR AS region, sz.f FROM range(2004, 2025)"
              + " y(year), range(19) sec(i), (VALUES ('small', 1.0), ('medium', 0.3),"
              + " ('large', 0.05)) sz(size_class, f), range(17) r(i)),"
              + " n AS (SELECT *, greatest(1, round(f * "
              + scale
              + " * (40 + 400 * random()) * (1 + (year - 2004) / 20.0)))::BIGINT AS frame_units"
              + " FROM s), m AS (SELECT *, CASE WHEN size_class = 'large' THEN frame_units ELSE"
              + " least(frame_units, greatest(2, round(frame_units * 0.1)))::BIGINT END AS"
              + " sample_units FROM n) SELECT year, section || '|' || size_class || '|' ||"
              + " region AS stratum, section, size_class, region, frame_units, sample_units,"
              + " greatest(1, round(sample_units * 0.85))::BIGINT AS resp_units,"
              + " size_class = 'large' AS take_all, greatest(1, round(sample_units * 0.85)) = 1"
              + " AND frame_units > 1 AS lonely, 'certainty' AS lonely_policy, CASE WHEN"
              + " greatest(1, round(sample_units * 0.85)) = 1 AND frame_units > 1 THEN"
              + " 'certainty' END AS lonely_treatment, section || '|' || size_class || '|' ||"
              + " region AS var_group FROM m");
      StringBuilder q =
          new StringBuilder(
              "CREATE TABLE units AS WITH b AS (SELECT d.year, d.stratum, d.var_group,"
                  + " d.frame_units AS frame_g, d.frame_units::DOUBLE / d.resp_units AS"
                  + " final_weight, d.region, d.section, d.size_class, (['11', '15',"
                  + " '32'])[1 + floor(random() * 3)::INT] AS ownership, (['1', '2', '3',"
                  + " '4'])[1 + floor(random() * 4)::INT] AS sector, (5 + random() * CASE"
                  + " d.size_class WHEN 'large' THEN 2000 WHEN 'medium' THEN 200 ELSE 40"
                  + " END)::BIGINT AS employees, g.i AS k FROM design d, range(d.resp_units)"
                  + " g(i)) SELECT year, 'u' || row_number() OVER () AS bin, stratum, var_group,"
                  + " frame_g, final_weight, region, section, size_class, ownership, sector");
      for (int i = 0; i < inds.size(); i++) {
        Indicator ind = inds.get(i);
        double p = 0.2 + 0.6 * ((i * 37) % 11) / 10.0;
        String miss = "random() < 0.03";
        String y =
            switch (ind.kind()) {
              case COUNT, SHARE -> "(random() < " + p + ")::INT::DOUBLE";
              case TOTAL -> "round(employees * random())";
              case RATIO -> "round(employees * random() * 3)";
              case EMPLOYMENT_SHARE -> "employees * (random() < " + p + ")::INT::DOUBLE";
            };
        String x =
            switch (ind.kind()) {
              case COUNT, TOTAL -> "0.0";
              case SHARE -> "1.0";
              case RATIO, EMPLOYMENT_SHARE -> "employees::DOUBLE";
            };
        q.append(", CASE WHEN year >= ")
            .append(ind.firstYear())
            .append(ind.lastYear() == null ? "" : " AND year <= " + ind.lastYear())
            .append(" THEN 1 ELSE 0 END AS k_")
            .append(i)
            .append(", CASE WHEN NOT (")
            .append(miss)
            .append(") THEN ")
            .append(y)
            .append(" END AS y_")
            .append(i)
            .append(", ")
            .append(x)
            .append(" AS x_")
            .append(i);
      }
      q.append(" FROM b");
      st.execute(q.toString());
      // x is NULL where y is (a missing answer is missing in both)
      for (int i = 0; i < inds.size(); i++) {
        st.execute("UPDATE units SET x_" + i + " = NULL WHERE y_" + i + " IS NULL");
      }
      for (String t : List.of("units", "design")) {
        for (String f : List.of("parquet", "csv")) {
          st.execute(
              "COPY (SELECT * FROM "
                  + t
                  + " ORDER BY year, stratum) TO '"
                  + dir.resolve(t + "." + f).toAbsolutePath()
                  + "' ("
                  + (f.equals("csv") ? "HEADER" : "FORMAT parquet")
                  + ")");
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM units")) {
        rs.next();
        System.out.printf(Locale.ROOT, "synthetic input %s: %d units%n", dir, rs.getLong(1));
      }
    }
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve("indicators.csv")))) {
      w.println("ind,indicator,kind,is_ratio,scale");
      for (int i = 0; i < inds.size(); i++) {
        Indicator ind = inds.get(i);
        w.printf(
            Locale.ROOT,
            "%d,%s,%s,%b,%s%n",
            i,
            ind.id(),
            ind.kind().name().toLowerCase(Locale.ROOT),
            ind.kind().isRatio(),
            Double.toString(EstimationQuery.scale(ind)));
      }
    }
  }

  // ---------------------------------------------------------------- run

  /** The project's indicators rewritten over the prepared columns y_i, x_i, k_i. */
  static List<Indicator> prepared(List<Indicator> inds) {
    List<Indicator> r = new ArrayList<>();
    for (int i = 0; i < inds.size(); i++) {
      Indicator o = inds.get(i);
      boolean emp = o.kind() == Indicator.Kind.EMPLOYMENT_SHARE;
      Indicator.Kind kind = emp ? Indicator.Kind.RATIO : o.kind();
      r.add(
          new Indicator(
              o.id(),
              kind,
              "y_" + i,
              kind == Indicator.Kind.RATIO ? "x_" + i : null,
              "k_" + i + " = 1",
              emp ? "percent" : o.unit(),
              o.publishScale(),
              o.eurostat(),
              o.headline(),
              o.labels(),
              Set.of("y_" + i, "x_" + i, "k_" + i),
              2004,
              null));
    }
    return r;
  }

  /** Spark alone: a warm-up and {@code runs} measured runs of the estimator on {@code dir}. */
  static void sparkRuns(Path dir, int runs) throws Exception {
    sparkRuns(spark(), dir, runs, new ArrayList<>());
  }

  /** Spark: read the Parquet input, run the one-pass query, materialise every result row. */
  static Dataset<Row> sparkRuns(SparkSession spark, Path dir, int runs, List<String> times) {
    SurveyDefinitions survey = SurveyLoader.load(Path.of("conf"));
    List<Indicator> inds = prepared(indicators(survey));
    List<Domain> domains = survey.domains();
    String units = dir.resolve("units.parquet").toAbsolutePath().toString();
    String design = dir.resolve("design.parquet").toAbsolutePath().toString();
    Dataset<Row> last = null;
    for (int r = 0; r <= runs; r++) {
      long t0 = System.nanoTime();
      Dataset<Row> est =
          EstimationQuery.estimates(
              spark, spark.read().parquet(units), spark.read().parquet(design), inds, domains);
      est.write().format("noop").mode(SaveMode.Overwrite).save();
      double s = (System.nanoTime() - t0) / 1e9;
      times.add("spark," + (r == 0 ? "warmup" : Integer.toString(r)) + "," + s);
      System.out.printf(Locale.ROOT, "spark  run %d: %.3f s%n", r, s);
      last = est;
    }
    return last;
  }

  static void run(Path dir, int runs, int threads) throws Exception {
    List<String> times = new ArrayList<>();
    SparkSession spark = spark();
    Dataset<Row> last = sparkRuns(spark, dir, runs, times);
    long rows = last.count();
    writeCsv(spark, last, dir.resolve("result_spark.csv"));
    SurveyDefinitions survey = SurveyLoader.load(Path.of("conf"));
    List<Indicator> inds = prepared(indicators(survey));
    List<Domain> domains = survey.domains();
    String units = dir.resolve("units.parquet").toAbsolutePath().toString();
    String design = dir.resolve("design.parquet").toAbsolutePath().toString();
    // DuckDB: the same algorithm in SQL (duckdbSql), from the same Parquet files.
    Class.forName("org.duckdb.DuckDBDriver");
    String sql = duckdbSql(units, design, inds, domains);
    Files.writeString(dir.resolve("estimation_duckdb.sql"), sql, StandardCharsets.UTF_8);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("SET threads = " + threads);
      for (int r = 0; r <= runs; r++) {
        long t0 = System.nanoTime();
        st.execute("CREATE OR REPLACE TEMP TABLE res AS " + sql);
        double s = (System.nanoTime() - t0) / 1e9;
        times.add("duckdb," + (r == 0 ? "warmup" : Integer.toString(r)) + "," + s);
        System.out.printf(Locale.ROOT, "duckdb run %d: %.3f s%n", r, s);
      }
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM res")) {
        rs.next();
        System.out.printf(Locale.ROOT, "rows: spark %d, duckdb %d%n", rows, rs.getLong(1));
      }
      st.execute(
          "COPY (SELECT year, indicator, domain_type, domain_code, estimate, se FROM res)"
              + " TO '"
              + dir.resolve("result_duckdb.csv").toAbsolutePath()
              + "' (HEADER)");
      try (ResultSet rs = st.executeQuery("SELECT version()")) {
        rs.next();
        times.add("duckdb_version," + rs.getString(1) + ",0");
      }
    }
    times.add("spark_version," + spark.version() + ",0");
    Files.write(dir.resolve("times_jvm.csv"), times);
  }

  /** Writes the input of {@code src} with every respondent k times (see the class comment). */
  static void replicate(Path src, Path dst, int k) throws Exception {
    Files.createDirectories(dst);
    String in = src.toAbsolutePath() + "/";
    String out = dst.toAbsolutePath() + "/";
    Class.forName("org.duckdb.DuckDBDriver");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(
          "COPY (SELECT * REPLACE (bin || '-r' || r AS bin, frame_g * "
              + k
              + " AS frame_g) FROM read_parquet('"
              + in
              + "units.parquet'), range("
              + k
              + ") t(r) ORDER BY year, stratum, bin) TO '"
              + out
              + "units.parquet' (FORMAT parquet)");
      st.execute(
          "COPY (SELECT * REPLACE (frame_units * "
              + k
              + " AS frame_units, sample_units * "
              + k
              + " AS sample_units, resp_units * "
              + k
              + " AS resp_units) FROM read_parquet('"
              + in
              + "design.parquet')) TO '"
              + out
              + "design.parquet' (FORMAT parquet)");
      try (ResultSet rs =
          st.executeQuery("SELECT count(*) FROM read_parquet('" + out + "units.parquet')")) {
        rs.next();
        System.out.printf(
            Locale.ROOT, "replicated ×%d: %d respondent rows in %s%n", k, rs.getLong(1), out);
      }
    }
  }

  /** Runs only the DuckDB query once (a quick check of the SQL) and prints the row count. */
  static void duckOnly(Path dir) throws Exception {
    SurveyDefinitions survey = SurveyLoader.load(Path.of("conf"));
    String sql =
        duckdbSql(
            dir.resolve("units.parquet").toAbsolutePath().toString(),
            dir.resolve("design.parquet").toAbsolutePath().toString(),
            prepared(indicators(survey)),
            survey.domains());
    Class.forName("org.duckdb.DuckDBDriver");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      long t0 = System.nanoTime();
      st.execute("CREATE TEMP TABLE res AS " + sql);
      try (ResultSet rs = st.executeQuery("SELECT count(*), count(se), max(estimate) FROM res")) {
        rs.next();
        System.out.printf(
            Locale.ROOT,
            "duckdb: %d rows (%d with SE) in %.2f s%n",
            rs.getLong(1),
            rs.getLong(2),
            (System.nanoTime() - t0) / 1e9);
      }
    }
  }

  static void writeCsv(SparkSession spark, Dataset<Row> est, Path file) throws IOException {
    Path tmp = file.resolveSibling("_tmp_" + file.getFileName());
    est.select("year", "indicator", "domain_type", "domain_code", "estimate", "se")
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .option("header", "true")
        .csv(tmp.toString());
    Path part;
    try (Stream<Path> s = Files.list(tmp)) {
      part = s.filter(p -> p.getFileName().toString().startsWith("part-")).findFirst().get();
    }
    Files.move(part, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    try (Stream<Path> s = Files.walk(tmp)) {
      s.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    }
  }

  /**
   * {@link EstimationQuery#sql} in DuckDB's dialect over the prepared columns: the same steps
   * (variance groups, units × indicators as long rows, centring within the group, one aggregation
   * with GROUPING SETS over the domains, analytic zero-extension terms, a second aggregation per
   * domain cell, ratio linearisation as a quadratic form in R̂, deff, CI, flags).
   */
  static String duckdbSql(String units, String design, List<Indicator> inds, List<Domain> domains) {
    List<String> vars = Domain.VARIABLES;
    String vl = String.join(", ", vars);
    StringBuilder q = new StringBuilder();
    q.append("WITH d AS (SELECT *, sum(CASE WHEN resp_units = 0 AND sample_units > 0 THEN 1")
        .append(" ELSE 0 END) OVER (PARTITION BY year) AS strata_no_resp FROM read_parquet('")
        .append(design)
        .append("')),\n");
    q.append("g AS (SELECT year, var_group, sum(resp_units) AS n_g, sum(frame_units) AS frame_g,")
        .append(" bit_or(CASE WHEN lonely_treatment IS NULL OR lonely_treatment = 'average'")
        .append(" THEN 0 WHEN lonely_treatment = 'certainty' THEN 1")
        .append(" WHEN lonely_treatment = 'collapse' THEN 2 ELSE 4 END) AS treat,")
        .append(" max(strata_no_resp) AS strata_no_resp,")
        .append(" max(CASE WHEN lonely AND lonely_treatment = 'average' THEN 1 ELSE 0 END)")
        .append(" AS avg_lonely FROM d WHERE resp_units > 0 GROUP BY year, var_group),\n");
    q.append("gs AS (SELECT d.year, d.stratum, g.var_group, g.n_g,")
        .append(" CASE WHEN g.n_g > 1 THEN (1.0 - CAST(g.n_g AS DOUBLE) / g.frame_g) * g.n_g")
        .append(" / (g.n_g - 1) ELSE 0.0 END::DOUBLE AS a_g,")
        .append(" g.treat, g.avg_lonely, g.strata_no_resp")
        .append(" FROM d JOIN g ON d.year = g.year AND d.var_group = g.var_group),\n");
    q.append("u0 AS (SELECT u.year, gs.var_group, gs.n_g, gs.a_g, gs.treat, gs.avg_lonely,")
        .append(" gs.strata_no_resp, CAST(u.final_weight AS DOUBLE) AS w, ")
        .append(vl)
        .append(",\n  unnest([{'ind': -1, 'keep': true, 'valid': true, 'y': 0.0::DOUBLE,")
        .append(" 'x': 0.0::DOUBLE}");
    for (int i = 0; i < inds.size(); i++) {
      Indicator ind = inds.get(i);
      String y = "y_" + i;
      String valid =
          y + " IS NOT NULL" + (ind.denominatorSql() == null ? "" : " AND x_" + i + " IS NOT NULL");
      q.append(",\n    {'ind': ")
          .append(i)
          .append(", 'keep': k_")
          .append(i)
          .append(" = 1, 'valid': ")
          .append(valid)
          .append(", 'y': CASE WHEN ")
          .append(valid)
          .append(" THEN ")
          .append(y)
          .append(" ELSE 0.0 END::DOUBLE, 'x': ")
          .append(
              ind.denominatorSql() == null
                  ? "0.0::DOUBLE"
                  : "CASE WHEN " + valid + " THEN x_" + i + " ELSE 0.0 END::DOUBLE")
          .append("}");
    }
    q.append("]) AS s\n FROM read_parquet('")
        .append(units)
        .append("') u JOIN gs ON u.year = gs.year AND u.stratum = gs.stratum),\n");
    q.append("u AS (SELECT year, var_group, n_g, a_g, treat, avg_lonely, strata_no_resp, w, ")
        .append(vl)
        .append(", s.ind AS ind, s.keep AS keep, s.valid AS valid, s.y AS y, s.x AS x FROM u0),\n");
    q.append("k AS (SELECT *, w * y AS t, w * x AS s FROM u WHERE keep),\n");
    // the finest cells, then their sums about the group mean (EstimationQuery, step 3)
    q.append("fine AS (SELECT year, var_group, ind, ")
        .append(vl)
        .append(", count(*) AS m, sum(t) AS ty, sum(s) AS tx,")
        .append(" var_pop(t) * count(*) AS m2y, var_pop(s) * count(*) AS m2x,")
        .append(" covar_pop(t, s) * count(*) AS c2xy,")
        .append(" sum(t * y) AS wyy, sum(s * x) AS wxx, sum(t * x) AS wxy,")
        .append(" sum(CASE WHEN valid THEN 1 ELSE 0 END) AS n_resp,")
        .append(" sum(CASE WHEN valid THEN w ELSE 0.0 END) AS nhat,")
        .append(" sum(CASE WHEN valid AND y <> 0 THEN 1 ELSE 0 END) AS n_nonzero,")
        .append(" sum(CASE WHEN valid THEN 0 ELSE 1 END) AS n_missing,")
        .append(" max(n_g) AS n_g, max(a_g) AS a_g, bit_or(treat) AS treat,")
        .append(" max(avg_lonely) AS avg_lonely, max(strata_no_resp) AS strata_no_resp")
        .append(" FROM k GROUP BY year, var_group, ind, ")
        .append(vl)
        .append("),\n");
    // (the group means by a GROUP BY and a join: a window here trips an internal DuckDB error)
    q.append("gm AS (SELECT year, var_group, ind, sum(ty) / max(n_g) AS cy,")
        .append(" sum(tx) / max(n_g) AS cx FROM fine GROUP BY year, var_group, ind),\n");
    q.append("fc AS (SELECT fine.*, ty / m AS my, tx / m AS mx, gm.cy, gm.cx FROM fine JOIN gm")
        .append(" USING (year, var_group, ind)),\n");
    q.append("c AS (SELECT *, m * (my - cy) AS sy1, m * (mx - cx) AS sx1,")
        .append(" m2y + m * (my - cy) * (my - cy) AS syy1,")
        .append(" m2x + m * (mx - cx) * (mx - cx) AS sxx1,")
        .append(" c2xy + m * (my - cy) * (mx - cx) AS sxy1 FROM fc),\n");
    q.append("cells AS (SELECT year, var_group, ind, grouping(")
        .append(vl)
        .append(") AS gid, ")
        .append(vl)
        .append(",\n  sum(m) AS m, sum(sy1) AS sy, sum(sx1) AS sx,")
        .append(" sum(syy1) AS syy, sum(sxx1) AS sxx, sum(sxy1) AS sxy, sum(ty) AS ty,")
        .append(" sum(tx) AS tx, sum(wyy) AS wyy, sum(wxx) AS wxx, sum(wxy) AS wxy,")
        .append(" sum(n_resp) AS n_resp, sum(nhat) AS nhat, sum(n_nonzero) AS n_nonzero,")
        .append(" sum(n_missing) AS n_missing,")
        .append(" max(n_g) AS n_g, max(a_g) AS a_g, max(cy) AS cy, max(cx) AS cx,")
        .append(" bit_or(treat) AS treat, max(avg_lonely) AS avg_lonely,")
        .append(" max(strata_no_resp) AS strata_no_resp\n FROM c GROUP BY GROUPING SETS (");
    Set<Long> seen = new LinkedHashSet<>();
    List<Domain> doms = new ArrayList<>();
    for (Domain dom : domains) {
      if (!seen.add(EstimationQuery.gid(dom, vars))) continue;
      doms.add(dom);
      if (doms.size() > 1) q.append(", ");
      q.append("(year, var_group, ind");
      for (String v : dom.by()) q.append(", ").append(v);
      q.append(")");
    }
    q.append(")),\n");
    q.append("contrib AS (SELECT *, sy - (n_g - m) * cy AS uy, sx - (n_g - m) * cx AS ux,")
        .append(" syy + (n_g - m) * cy * cy AS uyy, sxx + (n_g - m) * cx * cx AS uxx,")
        .append(" sxy + (n_g - m) * cy * cx AS uxy FROM cells),\n");
    String cell = "PARTITION BY year, gid, " + vl;
    q.append("dc AS (SELECT *, sum(CASE WHEN ind = -1 THEN 1 ELSE 0 END) OVER (")
        .append(cell)
        .append(") AS h_d, sum(CASE WHEN ind = -1 THEN avg_lonely ELSE 0 END) OVER (")
        .append(cell)
        .append(") AS l_d FROM contrib),\n");
    q.append("dm AS (SELECT year, ind, gid, ")
        .append(vl)
        .append(", sum(ty) AS Y, sum(tx) AS X,")
        .append(" sum(a_g * (uyy - uy * uy / n_g)) AS Ayy,")
        .append(" sum(a_g * (uxx - ux * ux / n_g)) AS Axx,")
        .append(" sum(a_g * (uxy - uy * ux / n_g)) AS Axy,")
        .append(" sum(a_g * (uyy + uy * uy / n_g)) AS Ayy_mag,")
        .append(" sum(a_g * (uxx + ux * ux / n_g)) AS Axx_mag,")
        .append(" sum(wyy) AS wyy, sum(wxx) AS wxx, sum(wxy) AS wxy,")
        .append(" sum(n_resp) AS n_resp, sum(nhat) AS nhat, sum(n_nonzero) AS n_nonzero,")
        .append(" sum(n_missing) AS n_missing,")
        .append(" bit_or(treat) AS treats, max(h_d) AS h_d, max(l_d) AS l_d,")
        .append(" max(strata_no_resp) AS strata_no_resp")
        .append(" FROM dc WHERE ind >= 0 GROUP BY year, ind, gid, ")
        .append(vl)
        .append("),\n");
    q.append("dom AS (SELECT *, CASE WHEN l_d = 0 THEN 1.0::DOUBLE WHEN h_d > l_d")
        .append(" THEN CAST(h_d AS DOUBLE) / (h_d - l_d) END AS af FROM dm),\n");
    q.append("meta AS (SELECT * FROM (VALUES ");
    for (int i = 0; i < inds.size(); i++) {
      Indicator ind = inds.get(i);
      if (i > 0) q.append(", ");
      q.append("(")
          .append(i)
          .append(", '")
          .append(ind.id().replace("'", "''"))
          .append("', ")
          .append(ind.kind().isRatio())
          .append(", ")
          .append(EstimationQuery.usesLogit(ind))
          .append(", CAST(")
          .append(EstimationQuery.scale(ind))
          .append(" AS DOUBLE))");
    }
    q.append(") AS meta(ind, indicator, is_ratio, is_share, scale)),\n");
    q.append("e AS (SELECT dom.*, meta.indicator, meta.is_ratio, meta.is_share, meta.scale,")
        .append(" CASE gid");
    for (Domain dom : doms) {
      q.append(" WHEN ").append(EstimationQuery.gid(dom, vars)).append(" THEN '").append(dom.id());
      q.append("'");
    }
    q.append(" END AS domain_type, CASE gid");
    for (Domain dom : doms) {
      q.append(" WHEN ")
          .append(EstimationQuery.gid(dom, vars))
          .append(" THEN ")
          .append(
              dom.by().isEmpty()
                  ? "'" + EstimationQuery.TOTAL_CODE + "'"
                  : "concat_ws('|', " + String.join(", ", dom.by()) + ")");
    }
    q.append(" END AS domain_code,\n")
        .append(" CASE WHEN NOT meta.is_ratio THEN Y WHEN X <> 0 THEN Y / X END AS est0")
        .append(" FROM dom JOIN meta ON dom.ind = meta.ind),\n");
    String z = Double.toString(EstimationQuery.Z);
    q.append("v AS (SELECT *, CASE WHEN est0 IS NULL THEN NULL WHEN is_ratio THEN")
        .append(" (Ayy - 2 * est0 * Axy + est0 * est0 * Axx) / (X * X) * af ELSE Ayy * af END")
        .append(" AS var0, CASE WHEN est0 IS NULL THEN NULL WHEN is_ratio THEN")
        .append(" (Ayy_mag + est0 * est0 * Axx_mag) / (X * X) ELSE Ayy_mag END AS var_mag,")
        .append(" CASE WHEN est0 IS NULL OR nhat <= 1 OR n_resp < 1 THEN NULL WHEN is_ratio THEN")
        .append(" CASE WHEN wyy - 2 * est0 * wxy + est0 * est0 * wxx")
        .append(" > 1e-12 * (wyy + est0 * est0 * wxx) THEN")
        .append(" nhat * nhat * (1 - n_resp / nhat) / n_resp")
        .append(" * ((wyy - 2 * est0 * wxy + est0 * est0 * wxx) / (X * X)) / (nhat - 1) END")
        .append(" WHEN wyy - Y * Y / nhat > 1e-12 * wyy THEN nhat * nhat * (1 - n_resp / nhat)")
        .append(" / n_resp * (wyy - Y * Y / nhat) / (nhat - 1) END AS var_srs FROM e),\n");
    q.append("p AS (SELECT *, CASE WHEN var0 IS NULL THEN NULL")
        .append(" WHEN var0 <= 1e-13 * var_mag THEN 0.0 ELSE sqrt(var0) END AS se0 FROM v),\n");
    q.append("ci AS (SELECT *, is_share AND est0 >= 0 AND est0 <= 1 AS logit_ci,")
        .append(" CASE WHEN est0 > 0 AND est0 < 1 AND se0 > 0 THEN")
        .append(" ln(est0 / (1 - est0)) END AS lg,")
        .append(" CASE WHEN est0 > 0 AND est0 < 1 AND se0 > 0 THEN ")
        .append(z)
        .append(" * se0 / (est0 * (1 - est0)) END AS hw FROM p)\n");
    q.append("SELECT CAST(year AS INT) AS year, indicator, domain_type, domain_code,")
        .append(" est0 * scale AS estimate, se0 * scale AS se,")
        .append(" CASE WHEN est0 <> 0 THEN 100 * se0 / abs(est0) END AS rse,")
        .append(" scale * CASE WHEN est0 IS NULL THEN NULL")
        .append(" WHEN NOT logit_ci THEN est0 - " + z + " * se0")
        .append(" WHEN est0 = 0 THEN 0.0")
        .append(" WHEN est0 = 1 THEN pow(0.025, 1.0 / n_resp)")
        .append(" WHEN se0 = 0 THEN est0")
        .append(" ELSE 1 / (1 + exp(-(lg - hw))) END AS ci_low,")
        .append(" scale * CASE WHEN est0 IS NULL THEN NULL")
        .append(" WHEN NOT logit_ci THEN est0 + " + z + " * se0")
        .append(" WHEN est0 = 0 THEN 1 - pow(0.025, 1.0 / n_resp)")
        .append(" WHEN est0 = 1 THEN 1.0")
        .append(" WHEN se0 = 0 THEN est0")
        .append(" ELSE 1 / (1 + exp(-(lg + hw))) END AS ci_high,")
        .append(" CASE WHEN var_srs > 0 THEN se0 * se0 / var_srs END AS deff,")
        .append(" CAST(n_resp AS BIGINT) AS n_resp, CAST(n_nonzero AS BIGINT) AS n_nonzero,")
        .append(" concat_ws(',',")
        .append(" CASE WHEN treats & 1 > 0 THEN 'lonely:certainty' END,")
        .append(" CASE WHEN treats & 2 > 0 THEN 'lonely:collapse' END,")
        .append(" CASE WHEN treats & 4 > 0 THEN 'lonely:certainty_no_neighbour' END,")
        .append(" CASE WHEN l_d > 0 THEN 'lonely:average' END,")
        .append(" CASE WHEN af IS NULL THEN 'se_unavailable' END,")
        .append(" CASE WHEN strata_no_resp > 0 THEN concat('strata_without_respondents:',")
        .append(" strata_no_resp) END,")
        .append(" CASE WHEN n_missing > 0 THEN concat('item_missing:', n_missing) END,")
        .append(" CASE WHEN est0 IS NULL THEN 'ratio_undefined' END,")
        .append(" CASE WHEN logit_ci AND (est0 = 0 OR est0 = 1) THEN 'ci_clopper_pearson' END,")
        .append(" CASE WHEN is_share AND NOT logit_ci AND est0 IS NOT NULL")
        .append(" THEN 'share_out_of_range' END")
        .append(") AS flags FROM ci");
    return q.toString();
  }

  // ---------------------------------------------------------------- compare

  /**
   * Joins the three result files on (year, indicator, domain_type, domain_code) and prints the
   * maximum relative differences |a − b| / max(|a|, |b|) of estimates and SEs (an SE below 1e-9 of
   * its estimate counts as 0), and the rows each engine has that another lacks.
   */
  static void compare(Path dir) throws Exception {
    Class.forName("org.duckdb.DuckDBDriver");
    List<String> lines = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      for (String e : List.of("spark", "duckdb", "r")) {
        st.execute(
            "CREATE TABLE "
                + e
                + " AS SELECT year::INT AS year, indicator, domain_type, domain_code::VARCHAR AS"
                + " domain_code, estimate::DOUBLE AS est, se::DOUBLE AS se FROM read_csv('"
                + dir.resolve("result_" + e + ".csv").toAbsolutePath()
                + "', header = true, all_varchar = true, nullstr = ['', 'NA', 'NaN'])");
      }
      String rel =
          "CASE WHEN greatest(abs(%1$s), abs(%2$s)) = 0 THEN 0"
              + " ELSE abs(%1$s - %2$s) / greatest(abs(%1$s), abs(%2$s)) END";
      String seA = "CASE WHEN a.se <= 1e-9 * abs(a.est) THEN 0 ELSE a.se END";
      String seB = "CASE WHEN b.se <= 1e-9 * abs(b.est) THEN 0 ELSE b.se END";
      for (String[] p :
          List.of(
              new String[] {"spark", "duckdb"},
              new String[] {"spark", "r"},
              new String[] {"duckdb", "r"})) {
        String q =
            "SELECT count(*), max("
                + String.format(Locale.ROOT, rel, "a.est", "b.est")
                + "), max("
                + String.format(Locale.ROOT, rel, seA, seB)
                + "), count(*) FILTER (WHERE a.est IS NULL), count(*) FILTER (WHERE b.est IS NULL"
                + " AND a.est IS NOT NULL) FROM "
                + p[0]
                + " a JOIN "
                + p[1]
                + " b USING (year, indicator, domain_type, domain_code)"
                + " WHERE a.est IS NOT NULL AND b.est IS NOT NULL";
        try (ResultSet rs = st.executeQuery(q)) {
          rs.next();
          String line =
              String.format(
                  Locale.ROOT,
                  "compare,%s-%s,%d,%.3g,%.3g",
                  p[0],
                  p[1],
                  rs.getLong(1),
                  rs.getDouble(2),
                  rs.getDouble(3));
          lines.add(line);
        }
        String miss =
            "SELECT count(*) FROM "
                + p[0]
                + " a ANTI JOIN "
                + p[1]
                + " b USING (year, indicator, domain_type, domain_code) WHERE a.est IS NOT NULL";
        try (ResultSet rs = st.executeQuery(miss)) {
          rs.next();
          lines.add("only_in," + p[0] + "-not-" + p[1] + "," + rs.getLong(1) + ",0,0");
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM spark")) {
        rs.next();
        lines.add("rows,spark," + rs.getLong(1) + ",0,0");
      }
    }
    lines.forEach(System.out::println);
    Files.write(dir.resolve("compare.csv"), lines);
  }

  static String[] split(String s) {
    return Arrays.stream(s.split(",")).map(String::trim).toArray(String[]::new);
  }

  // ---------------------------------------------------------------- report

  static String yearRange(Path dir) {
    return duckOne(dir, "SELECT min(year) || '-' || max(year) FROM read_parquet('%s')");
  }

  static double rowShare(Path dir, String years) {
    String[] y = years.split("-");
    String last = y.length > 1 ? y[1] : y[0];
    return Double.parseDouble(
        duckOne(
            dir,
            "SELECT (count(*) FILTER (WHERE year BETWEEN "
                + y[0]
                + " AND "
                + last
                + "))::DOUBLE / count(*) FROM read_parquet('%s')"));
  }

  static String duckOne(Path dir, String sql) {
    try {
      Class.forName("org.duckdb.DuckDBDriver");
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  String.format(Locale.ROOT, sql, dir.resolve("units.parquet").toAbsolutePath()))) {
        rs.next();
        return rs.getString(1);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(null);
    int n = s.size();
    return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  /**
   * Writes the section "## Estimation" of docs/benchmarks.md (replacing an earlier one) from the
   * files of a run: medians over the measured runs (the warm-up run apart), ratios, differences.
   */
  static void report(Path dir, Path doc, String label, String machine) throws IOException {
    java.util.Map<String, List<Double>> t = new java.util.LinkedHashMap<>();
    java.util.Map<String, Double> warm = new java.util.HashMap<>();
    java.util.Map<String, String> ver = new java.util.HashMap<>();
    List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("times_jvm.csv")));
    List<String> rt = Files.readAllLines(dir.resolve("times_r.csv"));
    lines.addAll(rt.subList(1, rt.size()));
    lines.addAll(Files.readAllLines(dir.resolve("versions_r.csv")));
    for (String l : lines) {
      int a = l.indexOf(','), b = l.lastIndexOf(',');
      String e = l.substring(0, a), run = l.substring(a + 1, b);
      if (e.endsWith("_version") || e.equals("r_years")) {
        ver.put(e, run);
      } else if (run.equals("warmup")) {
        warm.put(e, Double.parseDouble(l.substring(b + 1)));
      } else {
        t.computeIfAbsent(e, k -> new ArrayList<>()).add(Double.parseDouble(l.substring(b + 1)));
      }
    }
    List<String> cmp = Files.readAllLines(dir.resolve("compare.csv"));
    double spark = median(t.get("spark")), duck = median(t.get("duckdb")), r = median(t.get("r"));
    StringBuilder s = new StringBuilder();
    s.append("## Estimation, ").append(label).append("\n\n");
    s.append(
            "Every indicator × domain × year of `pub.estimates` for 2004–2024 (estimate, SE, RSE,"
                + " CI, deff, counts, flags), from one prepared input file, by three engines in one run of"
                + " `scripts/bench-estimation.sh` (")
        .append(machine)
        .append(").\n\n");
    s.append("| engine | runs | median (s) | min (s) | first run (s) | vs this project |\n");
    s.append("|---|---|---|---|---|---|\n");
    String[][] rows = {
      {
        "spark",
        "this project: `EstimationQuery` on Spark "
            + ver.get("spark_version")
            + " (local[*], same JVM, input Parquet)"
      },
      {
        "duckdb",
        "DuckDB " + ver.get("duckdb_version") + " (JDBC, in process): the same one-pass SQL"
      },
      {
        "r",
        ver.get("r_version")
            + ", survey "
            + ver.get("survey_version")
            + ": svydesign + svyby(svytotal / svyratio), input CSV, years "
            + ver.get("r_years")
      }
    };
    String ry = ver.getOrDefault("r_years", "");
    double rFull = r;
    String rNote = "";
    if (!ry.isEmpty() && !ry.equals(yearRange(dir))) {
      double frac = rowShare(dir, ry);
      rFull = r / frac;
      rNote =
          String.format(
              Locale.ROOT,
              " R covered only the years %s (%.1f %% of the respondent rows) to keep its run within"
                  + " the time available; its time for 2004–2024 is extrapolated in proportion to"
                  + " the rows: %.0f s (R's cost per year grows at least linearly with the rows, as"
                  + " svyby subsets the full design once per domain cell).",
              ry,
              100 * frac,
              rFull);
    }
    for (String[] row : rows) {
      List<Double> v = t.get(row[0]);
      double m = median(v);
      boolean extrapolated = row[0].equals("r") && !rNote.isEmpty();
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %s | %.3f | %s | %s |\n",
              row[1],
              v.size(),
              extrapolated
                  ? String.format(
                      Locale.ROOT, "%.3f (%s) → ≈ %.0f extrapolated to 2004–2024", m, ry, rFull)
                  : String.format(Locale.ROOT, "%.3f", m),
              v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
              warm.containsKey(row[0]) ? String.format(Locale.ROOT, "%.3f", warm.get(row[0])) : "–",
              row[0].equals("spark")
                  ? "1"
                  : String.format(
                      Locale.ROOT,
                      "%s%.2f×",
                      extrapolated ? "≈ " : "",
                      (extrapolated ? rFull : m) / spark)));
    }
    s.append(
        String.format(
            Locale.ROOT,
            "%nRatios of medians: R survey / this project = **%.1f×**%s (target ≥ 100×); this"
                + " project / DuckDB = **%.2f×** (target ≤ 2× at scale ×10).%s%n%n",
            rFull / spark,
            rNote.isEmpty() ? "" : " (R extrapolated to 2004–2024)",
            spark / duck,
            rNote));
    s.append(
        "Agreement (rows present in both; relative difference |a − b| / max(|a|, |b|); an SE"
            + " below 1e-9 of its estimate counts as 0):\n\n");
    s.append(
        "| pair | cells compared | max rel. diff. estimate | max rel. diff. SE |\n|---|---|---|---|\n");
    StringBuilder only = new StringBuilder();
    for (String l : cmp) {
      String[] f = l.split(",");
      if (f[0].equals("compare")) {
        s.append("| ")
            .append(f[1])
            .append(" | ")
            .append(f[2])
            .append(" | ")
            .append(f[3])
            .append(" | ")
            .append(f[4])
            .append(" |\n");
      } else if (f[0].equals("only_in")) {
        only.append(f[1]).append(": ").append(f[2]).append("; ");
      } else if (f[0].equals("rows")) {
        s.append("\nResult rows (this project): ").append(f[2]).append(". ");
      }
    }
    s.append("Cells with an estimate in one engine and none in the other: ")
        .append(only)
        .append(
            "(R also reports 0 for totals of cells where the indicator's population has no"
                + " unit, and NaN for undefined ratios; the project writes no row there).\n");
    String begin = "<!-- estimation-bench " + label + " -->\n";
    String end = "<!-- /estimation-bench " + label + " -->\n";
    String block = begin + s + end;
    String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n";
    int i = text.indexOf(begin);
    if (i >= 0) {
      int j = text.indexOf(end, i);
      text = text.substring(0, i) + block + text.substring(j + end.length());
    } else {
      text = text + (text.endsWith("\n\n") ? "" : "\n") + block;
    }
    Files.writeString(doc, text);
    System.out.print(s);
  }
}
