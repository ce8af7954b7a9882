package kz.stat.ictstat.weighting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Properties of the calibration: the calibrated weights reproduce the frame totals on every margin
 * (sums recomputed here from a hand-made frame), and with calibration cells equal to the strata
 * (count target) the weights are N_h / r_h whatever the starting weights.
 */
@SparkTest
class CalibrationTest {
  // Hand-made frame of one year: strata (section, size_class, region) with N_h units, frame
  // employment of unit i of stratum h = 3 + (i * 7 + h) % 11. Respondents: the first r_h units,
  // starting weight d = N_h / (r_h + 2) (as if two more had been sampled and not responded).
  static final String[][] STRATA = {
    {"C", "small", "11"},
    {"C", "small", "15"},
    {"C", "large", "11"},
    {"G", "small", "11"},
    {"G", "small", "15"},
    {"G", "medium", "15"}
  };
  static final int[] N = {40, 25, 6, 60, 50, 9};
  static final int[] R = {6, 4, 3, 8, 5, 4};

  static int emp(int h, int i) {
    return 3 + (i * 7 + h) % 11;
  }

  static final StructType UNITS =
      new StructType()
          .add("year", DataTypes.IntegerType)
          .add("bin", DataTypes.StringType)
          .add("section", DataTypes.StringType)
          .add("size_class", DataTypes.StringType)
          .add("region", DataTypes.StringType)
          .add("w", DataTypes.DoubleType)
          .add("employees", DataTypes.LongType);

  static Dataset<Row> respondents(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (int h = 0; h < STRATA.length; h++) {
      for (int i = 0; i < R[h]; i++) {
        rows.add(
            RowFactory.create(
                2024,
                h + ":" + i,
                STRATA[h][0],
                STRATA[h][1],
                STRATA[h][2],
                N[h] / (R[h] + 2.0),
                (long) emp(h, i)));
      }
    }
    return spark.createDataFrame(rows, UNITS);
  }

  static Dataset<Row> frame(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (int h = 0; h < STRATA.length; h++) {
      for (int i = 0; i < N[h]; i++) {
        rows.add(
            RowFactory.create(
                2024,
                "f" + h + ":" + i,
                STRATA[h][0],
                STRATA[h][1],
                STRATA[h][2],
                0.0,
                (long) emp(h, i)));
      }
    }
    return spark.createDataFrame(rows, UNITS);
  }

  @Test
  void calibratedWeightsReproduceTheFrameTotalsOnEveryMargin(SparkSession spark) {
    Dataset<Row> units = respondents(spark);
    Dataset<Row> frame = frame(spark);
    List<List<String>> margins = List.of(List.of("region"), List.of("section", "size_class"));
    // expected frame totals, by hand from the arrays
    Map<String, double[]> expected = new HashMap<>();
    for (int h = 0; h < STRATA.length; h++) {
      String[] keys = {"0/" + STRATA[h][2], "1/" + STRATA[h][0] + "|" + STRATA[h][1]};
      for (String k : keys) {
        double[] t = expected.computeIfAbsent(k, x -> new double[2]);
        for (int i = 0; i < N[h]; i++) {
          t[0] += 1;
          t[1] += emp(h, i);
        }
      }
    }
    for (Calibration.Method m : List.of(Calibration.Method.LINEAR, Calibration.Method.RAKING)) {
      for (double[] b :
          List.of(
              new double[] {-1e300, 1e300},
              m == Calibration.Method.LINEAR ? new double[] {0.5, 2.5} : new double[] {0.2, 5})) {
        Calibration.Options o =
            new Calibration.Options(m, margins, true, true, b[0], b[1], 50, 1e-12);
        Calibration.Result r =
            Calibration.calibrate(units, "w", "employees", Calibration.frameTargets(frame, o), o);
        Map<String, double[]> got = new HashMap<>();
        double gMin = Double.MAX_VALUE;
        double gMax = -Double.MAX_VALUE;
        for (Row u :
            r.units()
                .select(
                    "region", "section", "size_class", "cal_weight", "employees", "g_weight", "w")
                .collectAsList()) {
          double w = u.getDouble(3);
          assertEquals(u.getDouble(6) * u.getDouble(5), w, 1e-12 * w);
          gMin = Math.min(gMin, u.getDouble(5));
          gMax = Math.max(gMax, u.getDouble(5));
          for (String k :
              new String[] {"0/" + u.getString(0), "1/" + u.getString(1) + "|" + u.getString(2)}) {
            double[] t = got.computeIfAbsent(k, x -> new double[2]);
            t[0] += w;
            t[1] += w * u.getLong(4);
          }
        }
        String what = m + " " + b[0] + ".." + b[1];
        assertEquals(expected.keySet(), got.keySet(), what);
        for (var e : expected.entrySet()) {
          double[] g = got.get(e.getKey());
          assertEquals(
              e.getValue()[0], g[0], 1e-9 * e.getValue()[0], what + " count " + e.getKey());
          assertEquals(e.getValue()[1], g[1], 1e-9 * e.getValue()[1], what + " emp " + e.getKey());
        }
        assertTrue(
            gMin >= b[0] - 1e-15 && gMax <= b[1] + 1e-15, what + " g in " + gMin + ".." + gMax);
        Calibration.YearReport rep = r.reports().get(0);
        assertEquals(2024, rep.year());
        assertTrue(rep.converged() && rep.maxRelDeviation() < 1e-10, what + " " + rep);
        assertEquals(2 * (2 + 4), rep.constraints(), what);
        assertEquals(gMin, rep.gMin(), 0.0);
      }
    }
  }

  @Test
  void withCalibrationCellsEqualToTheStrataTheWeightsAreNhOverRh(SparkSession spark) {
    Dataset<Row> units = respondents(spark);
    Dataset<Row> frame = frame(spark);
    for (Calibration.Method m : List.of(Calibration.Method.LINEAR, Calibration.Method.RAKING)) {
      Calibration.Options o =
          new Calibration.Options(
              m,
              List.of(List.of("section", "size_class", "region")),
              true,
              false,
              Double.NEGATIVE_INFINITY,
              Double.POSITIVE_INFINITY,
              50,
              1e-12);
      Calibration.Result r =
          Calibration.calibrate(units, "w", "employees", Calibration.frameTargets(frame, o), o);
      for (Row u : r.units().select("bin", "cal_weight").collectAsList()) {
        int h = Integer.parseInt(u.getString(0).split(":")[0]);
        assertEquals((double) N[h] / R[h], u.getDouble(1), 1e-12 * N[h], m + " " + u);
      }
    }
  }

  @Test
  void infeasibleBoundsAndBadOptionsAreActionableErrors(SparkSession spark) {
    Dataset<Row> units = respondents(spark);
    Dataset<Row> frame = frame(spark);
    Calibration.Options tight =
        new Calibration.Options(
            Calibration.Method.LINEAR,
            List.of(List.of("region"), List.of("section", "size_class")),
            true,
            true,
            0.99,
            1.01,
            20,
            1e-9);
    IctstatException e =
        assertThrows(
            IctstatException.class,
            () ->
                Calibration.calibrate(
                    units, "w", "employees", Calibration.frameTargets(frame, tight), tight));
    assertTrue(
        e.getMessage().contains("linear calibration of 2024 did not converge in 20"),
        e.getMessage());
    assertTrue(e.getMessage().contains("widen the calibration bounds"), e.getMessage());

    IctstatException v =
        assertThrows(
            IctstatException.class,
            () ->
                Calibration.parse(
                    Map.of("method", "linear", "margins", List.of(List.of("kato"))),
                    "design.yaml"));
    assertTrue(
        v.getMessage().contains("unknown calibration margin variable 'kato'"), v.getMessage());
    IctstatException b =
        assertThrows(
            IctstatException.class,
            () ->
                Calibration.parse(
                    Map.of(
                        "method",
                        "raking",
                        "margins",
                        List.of("region"),
                        "bounds",
                        List.of(1.2, 3)),
                    "design.yaml"));
    assertTrue(b.getMessage().contains("bounds [1.2, 3.0] do not contain 1"), b.getMessage());
    IctstatException mth =
        assertThrows(
            IctstatException.class,
            () -> Calibration.parse(Map.of("method", "ridge"), "design.yaml"));
    assertTrue(
        mth.getMessage().contains("calibration method 'ridge' is unknown"), mth.getMessage());

    Calibration.Options parsed =
        Calibration.parse(
            Map.of(
                "method", "raking",
                "margins", List.of("region", List.of("section", "size_class")),
                "targets", List.of("count", "employment"),
                "bounds", List.of(0.3, 3.0)),
            "design.yaml");
    assertEquals(List.of(List.of("region"), List.of("section", "size_class")), parsed.margins());
    assertTrue(parsed.count() && parsed.employment());
    assertEquals(
        Calibration.Method.NONE,
        Calibration.load(java.nio.file.Path.of("conf")).method(),
        "conf/design.yaml keeps calibration off by default");
  }
}
