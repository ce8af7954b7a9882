package kz.stat.ictstat.synthetic;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.config.YearRange;
import kz.stat.ictstat.sampling.Sampler;
import kz.stat.ictstat.survey.SurveyDefinitions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes the synthetic population: for each year a business register, the sample drawn from it by
 * the product's own {@link Sampler}, and the response files of the sampled units in that year's
 * form layout and file format, with injected errors; and, apart, the truth (true values of every
 * in-scope active unit, the error log, the sample, calibration figures).
 *
 * <p>Input files under {@code inputDir/<year>/}; truth under {@code truthDir} (default {@code
 * <inputDir>/../truth}). The panel is always simulated from 2004 (units carry over), files are
 * written for the requested years only. Deterministic given the seed.
 */
public final class Generator {
  /**
   * @param inputDir where the yearly input files go
   * @param truthDir where the truth goes (kept apart from the input)
   * @param scale multiplies every volume (units, totals)
   */
  public record Options(Path inputDir, Path truthDir, YearRange years, long seed, double scale) {
    public static Path defaultTruthDir(Path inputDir) {
      Path parent = inputDir.toAbsolutePath().normalize().getParent();
      return (parent == null ? inputDir.toAbsolutePath() : parent).resolve("truth");
    }
  }

  /** What one year produced. */
  public record YearResult(
      int year,
      long registerUnits,
      long inScopeUnits,
      long sampledUnits,
      long responses,
      long errors,
      Map<String, Double> figures) {}

  /** The whole run: per year results and the elapsed time. */
  public record Result(Path inputDir, Path truthDir, List<YearResult> years, double seconds) {}

  /** The calibration figures of a year's truth, by name (shares in percent). */
  public static final List<String> FIGURES =
      List.of(
          "organisations",
          "large_and_medium",
          "share_uses_computers",
          "share_has_internet",
          "share_has_website",
          "share_orders_received_online",
          "share_uses_cloud",
          "share_lm_digital_tech",
          "share_lm_manufacturing_digital_tech",
          "computers",
          "ict_costs_total");

  private final SurveyDefinitions survey;
  private final SyntheticModel model;
  private final Options o;
  private final SparkSession spark;
  private final PrintStream out;

  /**
   * @param spark the session that draws the samples; null writes registers and truth only (no
   *     samples, no response files)
   */
  public Generator(
      SurveyDefinitions survey,
      SyntheticModel model,
      Options options,
      SparkSession spark,
      PrintStream out) {
    this.survey = survey;
    this.model = model;
    this.o = options;
    this.spark = spark;
    this.out = out;
  }

  public Result execute() {
    long t0 = System.nanoTime();
    List<YearResult> results = new ArrayList<>();
    try {
      Files.createDirectories(o.truthDir());
      // Pass 1: the registers (the panel is simulated from 2004 whatever the years asked).
      Map<Integer, Long> registerUnits = new TreeMap<>();
      List<String> registerFiles = new ArrayList<>();
      writeRegisters(registerUnits, registerFiles);
      progress("registers " + o.years(), t0);
      // The samples of all years in one job of the sampling stage, kept with the truth.
      Path sampleDir = o.truthDir().resolve("sample");
      if (spark != null) {
        long ts = System.nanoTime();
        drawSamples(registerFiles, sampleDir);
        progress("samples " + o.years() + " (sampling stage)", ts);
      }
      // Pass 2: the same panel again (deterministic), with true values and response files.
      Panel panel = new Panel(survey, model, o.seed(), o.scale());
      ValueModel values = new ValueModel(survey, model, o.seed(), o.scale());
      try (ErrorLog log = new ErrorLog(o.truthDir().resolve("errors.csv"));
          BufferedWriter summary =
              Files.newBufferedWriter(
                  o.truthDir().resolve("summary.csv"), StandardCharsets.UTF_8)) {
        summary.write("year,figure,value\n");
        // records written without error the year before: the panel for cross-year anomalies
        java.util.Set<String> cleanLastYear = java.util.Set.of();
        for (int year : o.years().years()) {
          long ty = System.nanoTime();
          panel.advanceTo(year);
          Path dir = o.inputDir().resolve(Integer.toString(year));
          ValueModel.YearTruth truth = values.compute(panel, year);
          writeTruth(panel, truth, o.truthDir().resolve("population_" + year + ".csv"));
          Map<String, Double> fig = figures(panel, truth);
          for (String f : FIGURES) {
            summary.write(year + "," + f + "," + fmt(fig.get(f)) + "\n");
          }
          long sampled = 0;
          long responses = 0;
          long errors0 = log.count;
          if (spark != null) {
            Map<String, String[]> sample = readSample(sampleDir.resolve("year=" + year));
            sampled = sample.size();
            ResponseFiles files =
                new ResponseFiles(survey, model, o.seed(), panel, truth, log, cleanLastYear);
            responses = files.write(dir, year, sample);
            cleanLastYear = files.cleanThisYear();
          }
          YearResult r =
              new YearResult(
                  year,
                  registerUnits.get(year),
                  truth.units().length,
                  sampled,
                  responses,
                  log.count - errors0,
                  fig);
          results.add(r);
          progress(
              String.format(
                  Locale.ROOT,
                  "%d: register %,d (in scope %,d), sample %,d, rows %,d, errors %,d",
                  year,
                  r.registerUnits(),
                  r.inScopeUnits(),
                  sampled,
                  responses,
                  r.errors()),
              ty);
        }
      }
    } catch (IOException e) {
      throw IctstatException.runFailed(
          "cannot write the synthetic files: " + e.getMessage(),
          "check that " + o.inputDir() + " and " + o.truthDir() + " are writable");
    }
    return new Result(o.inputDir(), o.truthDir(), results, (System.nanoTime() - t0) / 1e9);
  }

  /** Pass 1: each year's register, from a panel that is dropped before pass 2 simulates again. */
  private void writeRegisters(Map<Integer, Long> units, List<String> files) throws IOException {
    Panel panel = new Panel(survey, model, o.seed(), o.scale());
    for (int year : o.years().years()) {
      panel.advanceTo(year);
      Path dir = o.inputDir().resolve(Integer.toString(year));
      Files.createDirectories(dir);
      Path register = dir.resolve("register_" + year + ".csv");
      units.put(year, writeRegister(panel, register));
      files.add(register.toAbsolutePath().toString());
    }
  }

  private void progress(String what, long t0) {
    if (out == null) return;
    out.printf(
        Locale.ROOT, "  %-10s %-62s %7.1f s%n", "generate", what, (System.nanoTime() - t0) / 1e9);
    out.flush();
  }

  /**
   * The calibration figures of the truth for the given years, without writing anything (the panel
   * is still simulated from 2004).
   */
  public static Map<Integer, Map<String, Double>> truthFigures(
      SurveyDefinitions survey, SyntheticModel model, long seed, double scale, int... years) {
    Panel panel = new Panel(survey, model, seed, scale);
    ValueModel values = new ValueModel(survey, model, seed, scale);
    Map<Integer, Map<String, Double>> out = new TreeMap<>();
    for (int year : java.util.Arrays.stream(years).sorted().toArray()) {
      panel.advanceTo(year);
      out.put(year, figures(panel, values.compute(panel, year)));
    }
    return out;
  }

  static Map<String, Double> figures(Panel p, ValueModel.YearTruth t) {
    Map<String, Double> f = new LinkedHashMap<>();
    int n = t.units().length;
    f.put("organisations", (double) n);
    long lm = 0;
    long lmC = 0;
    double dig = 0;
    double digC = 0;
    double[] d = t.get("uses_digital");
    for (int i = 0; i < n; i++) {
      int u = t.units()[i];
      if (p.sizeClass(u).equals("small")) continue;
      lm++;
      if (d != null) dig += d[i];
      if (p.okedSection[p.oked[u]].equals("C")) {
        lmC++;
        if (d != null) digC += d[i];
      }
    }
    f.put("large_and_medium", (double) lm);
    for (String item :
        List.of(
            "uses_computers",
            "has_internet",
            "has_website",
            "orders_received_online",
            "uses_cloud")) {
      double[] x = t.get(item);
      f.put("share_" + item, x == null ? null : 100 * sum(x) / n);
    }
    f.put("share_lm_digital_tech", d == null ? null : 100 * dig / lm);
    f.put("share_lm_manufacturing_digital_tech", d == null ? null : 100 * digC / lmC);
    f.put("computers", sum(t.get("n_computers")));
    f.put("ict_costs_total", sum(t.get("ict_costs_total")));
    return f;
  }

  private static double sum(double[] x) {
    double s = 0;
    for (double v : x) if (!Double.isNaN(v)) s += v;
    return s;
  }

  private static String fmt(Double v) {
    if (v == null) return "";
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString(v.longValue())
        : String.format(Locale.ROOT, "%.3f", v);
  }

  static final String REGISTER_HEADER = "bin,year,oked,kato,krp,kfs,kse,employees,activity_status";

  private long writeRegister(Panel p, Path file) throws IOException {
    long c = 0;
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(REGISTER_HEADER);
      w.write('\n');
      StringBuilder b = new StringBuilder(96);
      for (int u = 0; u < p.live(); u++) {
        b.setLength(0);
        b.append(p.bin[u]).append(',').append(p.year).append(',');
        b.append(p.okedCodes[p.oked[u]]).append(',').append(p.kato[u]).append(',');
        b.append(p.krpCode[p.krpIndex(p.employees[u])]).append(',');
        b.append(p.kfs[u]).append(',').append(p.kse(u)).append(',');
        b.append(p.employees[u]).append(',').append(p.status[u]).append('\n');
        w.write(b.toString());
        c++;
      }
    }
    return c;
  }

  private void writeTruth(Panel p, ValueModel.YearTruth t, Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("bin,year,oked,kato,krp,kfs,kse,region,section,size_class,employees");
      for (String item : t.items()) if (!item.equals("employees")) w.write("," + item);
      w.write('\n');
      StringBuilder b = new StringBuilder(256);
      for (int i = 0; i < t.units().length; i++) {
        int u = t.units()[i];
        b.setLength(0);
        String kato = Integer.toString(p.kato[u]);
        b.append(p.bin[u]).append(',').append(t.year()).append(',');
        b.append(p.okedCodes[p.oked[u]]).append(',').append(kato).append(',');
        b.append(p.krpCode[p.krpIndex(p.employees[u])]).append(',');
        b.append(p.kfs[u]).append(',').append(p.kse(u)).append(',');
        b.append(kato, 0, 2).append(',').append(p.okedSection[p.oked[u]]).append(',');
        b.append(p.sizeClass(u)).append(',').append(p.employees[u]);
        for (String item : t.items()) {
          if (item.equals("employees")) continue;
          b.append(',');
          double v = t.get(item)[i];
          if (!Double.isNaN(v)) b.append(ResponseFiles.number(v, survey.item(item).type(), '.'));
        }
        b.append('\n');
        w.write(b.toString());
      }
    }
  }

  private static final StructType REGISTER_SCHEMA =
      new StructType()
          .add("bin", DataTypes.StringType)
          .add("year", DataTypes.IntegerType)
          .add("oked", DataTypes.StringType)
          .add("kato", DataTypes.StringType)
          .add("krp", DataTypes.StringType)
          .add("kfs", DataTypes.StringType)
          .add("kse", DataTypes.StringType)
          .add("employees", DataTypes.LongType)
          .add("activity_status", DataTypes.IntegerType);

  /**
   * Draws every year's sample with the sampling stage and writes it, one CSV folder per year
   * ({@code year=YYYY/}: bin, stratum, frame_units, sample_units, design_weight).
   */
  private void drawSamples(List<String> registers, Path sampleDir) {
    spark.sparkContext().setJobGroup("ictstat:generate", "generate: samples", false);
    try {
      Dataset<Row> reg =
          spark
              .read()
              .option("header", "true")
              .schema(REGISTER_SCHEMA)
              .csv(registers.toArray(String[]::new));
      new Sampler(survey, o.seed())
          .draw(reg)
          .sample()
          .selectExpr("year", "bin", "stratum", "frame_units", "sample_units", "design_weight")
          .repartition(org.apache.spark.sql.functions.col("year"))
          .write()
          .mode("overwrite")
          .option("header", "true")
          .partitionBy("year")
          .csv(sampleDir.toAbsolutePath().toString());
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }

  /** bin -> {stratum, frame_units, sample_units, design_weight} of one year's sample folder. */
  private static Map<String, String[]> readSample(Path yearDir) throws IOException {
    Map<String, String[]> m = new HashMap<>();
    if (!Files.isDirectory(yearDir)) return m;
    try (var files = Files.list(yearDir)) {
      for (Path f : files.filter(x -> x.getFileName().toString().endsWith(".csv")).toList()) {
        try (var lines = Files.lines(f, StandardCharsets.UTF_8)) {
          lines
              .skip(1)
              .filter(l -> !l.isBlank())
              .forEach(
                  l -> {
                    String[] v = l.split(",", -1);
                    m.put(v[0], new String[] {v[1], v[2], v[3], v[4]});
                  });
        }
      }
    }
    return m;
  }

  /** The injected-error log: one CSV row per error. */
  static final class ErrorLog implements AutoCloseable {
    private final BufferedWriter w;
    long count;

    ErrorLog(Path file) throws IOException {
      w =
          new BufferedWriter(
              new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8));
      w.write("year,bin,item,error_type,file,line,true_value,written_value\n");
    }

    void add(
        int year,
        String bin,
        String item,
        String type,
        String file,
        long line,
        String was,
        String now) {
      try {
        w.write(
            year
                + ","
                + bin
                + ","
                + nz(item)
                + ","
                + type
                + ","
                + nz(file)
                + ","
                + (line > 0 ? Long.toString(line) : "")
                + ","
                + csv(was)
                + ","
                + csv(now)
                + "\n");
        count++;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static String nz(String s) {
      return s == null ? "" : s;
    }

    private static String csv(String s) {
      if (s == null) return "";
      return s.contains(",") || s.contains("\"") || s.contains(";")
          ? "\"" + s.replace("\"", "\"\"") + "\""
          : s;
    }

    @Override
    public void close() throws IOException {
      w.close();
    }
  }
}
