package kz.stat.ictstat.weighting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Agreement with R {@code survey::calibrate} (src/test/r/calibration.R writes the expected values;
 * see its header to rerun): g-weights of linear and raking calibration, with and without bounds, to
 * unit counts and employment of the margins [section] and [size_class]; the calibrated total of y
 * and its SE by the residual (GREG) variance.
 */
@SparkTest
class CalibrationGoldenTest {
  static final Path DIR = Path.of("src/test/resources/golden");
  static final double TOL = 1e-8;

  record Unit(
      String bin, String stratum, double n, String section, String size, double y, double x) {}

  static List<Unit> units() throws Exception {
    List<Unit> l = new ArrayList<>();
    List<String> lines = Files.readAllLines(DIR.resolve("units.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      l.add(
          new Unit(
              f[0],
              f[1],
              Double.parseDouble(f[2]),
              f[4],
              f[5],
              Double.parseDouble(f[8]),
              Double.parseDouble(f[9])));
    }
    return l;
  }

  static Map<String, Integer> respondents(List<Unit> us) {
    Map<String, Integer> r = new HashMap<>();
    for (Unit u : us) r.merge(u.stratum(), 1, Integer::sum);
    return r;
  }

  static Dataset<Row> frame(SparkSession spark, List<Unit> us) {
    Map<String, Integer> r = respondents(us);
    List<Row> rows = new ArrayList<>();
    for (Unit u : us) {
      rows.add(
          RowFactory.create(
              2024,
              u.bin(),
              u.stratum(),
              u.section(),
              u.size(),
              u.n() / r.get(u.stratum()),
              u.x()));
    }
    StructType s =
        new StructType()
            .add("year", DataTypes.IntegerType)
            .add("bin", DataTypes.StringType)
            .add("stratum", DataTypes.StringType)
            .add("section", DataTypes.StringType)
            .add("size_class", DataTypes.StringType)
            .add("nr_weight", DataTypes.DoubleType)
            .add("employees", DataTypes.DoubleType);
    return spark.createDataFrame(rows, s);
  }

  static Dataset<Row> targets(SparkSession spark) throws Exception {
    List<Row> rows = new ArrayList<>();
    List<String> lines = Files.readAllLines(DIR.resolve("calibration_targets.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      rows.add(
          RowFactory.create(
              2024,
              Integer.parseInt(f[0]),
              f[1],
              Double.parseDouble(f[2]),
              Double.parseDouble(f[3])));
    }
    StructType s =
        new StructType()
            .add("year", DataTypes.IntegerType)
            .add("margin", DataTypes.IntegerType)
            .add("code", DataTypes.StringType)
            .add("count", DataTypes.DoubleType)
            .add("employment", DataTypes.DoubleType);
    return spark.createDataFrame(rows, s);
  }

  static Calibration.Options options(String kase) {
    Calibration.Method m =
        kase.startsWith("raking") ? Calibration.Method.RAKING : Calibration.Method.LINEAR;
    double lo = Double.NEGATIVE_INFINITY;
    double hi = Double.POSITIVE_INFINITY;
    if (kase.equals("linear_bounded")) {
      lo = 0.68;
      hi = 1.5;
    } else if (kase.equals("raking_bounded")) {
      lo = 0.5;
      hi = 1.22;
    }
    return new Calibration.Options(
        m, List.of(List.of("section"), List.of("size_class")), true, true, lo, hi, 100, 1e-13);
  }

  static double rel(double expected, double actual) {
    return Math.abs(expected - actual) / Math.max(Math.abs(expected), 1e-300);
  }

  @Test
  void gWeightsTotalsAndResidualStandardErrorsEqualRSurvey(SparkSession spark) throws Exception {
    List<Unit> us = units();
    Map<String, Integer> resp = respondents(us);
    Dataset<Row> frame = frame(spark, us);
    Dataset<Row> targets = targets(spark);
    Map<String, Map<String, Double>> expectedG = new HashMap<>();
    List<String> lines = Files.readAllLines(DIR.resolve("calibration_expected.csv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      expectedG.computeIfAbsent(f[0], k -> new HashMap<>()).put(f[1], Double.parseDouble(f[2]));
    }
    List<String> totals = Files.readAllLines(DIR.resolve("calibration_totals.csv"));
    double maxRel = 0;
    for (String line : totals.subList(1, totals.size())) {
      String[] f = line.split(",", -1);
      String kase = f[0];
      Calibration.Result res =
          Calibration.calibrate(frame, "nr_weight", "employees", targets, options(kase));
      assertEquals(1, res.reports().size());
      Calibration.YearReport rep = res.reports().get(0);
      assertTrue(rep.converged() && rep.maxRelDeviation() < 1e-12, kase + " " + rep);
      Map<String, Double> g = new HashMap<>();
      for (Row r : res.units().select("bin", "g_weight").collectAsList()) {
        g.put(r.getString(0), r.getDouble(1));
      }
      assertEquals(us.size(), g.size());
      for (var e : expectedG.get(kase).entrySet()) {
        double d = rel(e.getValue(), g.get(e.getKey()));
        maxRel = Math.max(maxRel, d);
        assertTrue(
            d < TOL,
            kase + " bin " + e.getKey() + ": R " + e.getValue() + " Java " + g.get(e.getKey()));
      }
      // total of y and its residual variance, computed here from the g-weights
      double[] se = residualTotal(us, resp, g);
      assertTrue(rel(Double.parseDouble(f[2]), se[0]) < TOL, kase + " total " + se[0]);
      assertTrue(rel(Double.parseDouble(f[3]), se[1]) < TOL, kase + " se " + se[1] + " R " + f[3]);
      assertEquals(Double.parseDouble(f[4]), rep.gMin(), 1e-8 * rep.gMin(), kase);
      assertEquals(Double.parseDouble(f[5]), rep.gMax(), 1e-8 * rep.gMax(), kase);
    }
    System.out.printf("calibration vs R survey: max relative difference of g %.2e%n", maxRel);
  }

  /**
   * Σ w g y and the SE of the linearised variance with e_k = y_k − x_k'B, B = (Σ w x x')⁻¹ Σ w x y
   * (w before calibration), influence w g e, stratified SRSWOR with fpc; lonely strata add nothing.
   * x = (section dummies, section dummies × employment, size dummies, size dummies × employment): B
   * from the normal equations by Gaussian elimination.
   */
  static double[] residualTotal(List<Unit> us, Map<String, Integer> resp, Map<String, Double> g) {
    List<String> sections = us.stream().map(Unit::section).distinct().sorted().toList();
    List<String> sizes = us.stream().map(Unit::size).distinct().sorted().toList();
    // drop the last size class (implied by the sections): full rank
    int p = 2 * sections.size() + 2 * (sizes.size() - 1);
    double[][] a = new double[p][p + 1];
    List<double[]> xs = new ArrayList<>();
    for (Unit u : us) {
      double[] x = new double[p];
      int i = sections.indexOf(u.section());
      x[2 * i] = 1;
      x[2 * i + 1] = u.x();
      int j = sizes.indexOf(u.size());
      if (j < sizes.size() - 1) {
        x[2 * sections.size() + 2 * j] = 1;
        x[2 * sections.size() + 2 * j + 1] = u.x();
      }
      xs.add(x);
      double w = u.n() / resp.get(u.stratum());
      for (int r = 0; r < p; r++) {
        for (int c = 0; c < p; c++) a[r][c] += w * x[r] * x[c];
        a[r][p] += w * x[r] * u.y();
      }
    }
    // Gaussian elimination with partial pivoting
    for (int c = 0; c < p; c++) {
      int piv = c;
      for (int r = c + 1; r < p; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
      double[] t = a[c];
      a[c] = a[piv];
      a[piv] = t;
      for (int r = 0; r < p; r++) {
        if (r == c) continue;
        double f = a[r][c] / a[c][c];
        for (int k = c; k <= p; k++) a[r][k] -= f * a[c][k];
      }
    }
    double total = 0;
    Map<String, List<Double>> z = new HashMap<>();
    Map<String, Double> nh = new HashMap<>();
    for (int k = 0; k < us.size(); k++) {
      Unit u = us.get(k);
      double w = u.n() / resp.get(u.stratum());
      double gk = g.get(u.bin());
      double fit = 0;
      for (int c = 0; c < p; c++) fit += xs.get(k)[c] * a[c][p] / a[c][c];
      total += w * gk * u.y();
      z.computeIfAbsent(u.stratum(), s -> new ArrayList<>()).add(w * gk * (u.y() - fit));
      nh.put(u.stratum(), u.n());
    }
    double v = 0;
    for (var e : z.entrySet()) {
      int n = e.getValue().size();
      if (n < 2) continue;
      double mean = e.getValue().stream().mapToDouble(Double::doubleValue).average().orElse(0);
      double ss = 0;
      for (double zz : e.getValue()) ss += (zz - mean) * (zz - mean);
      v += (1 - n / nh.get(e.getKey())) * n / (n - 1.0) * ss;
    }
    return new double[] {total, Math.sqrt(v)};
  }
}
