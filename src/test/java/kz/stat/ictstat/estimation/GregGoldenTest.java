package kz.stat.ictstat.estimation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kz.stat.ictstat.survey.Indicator;
import kz.stat.ictstat.survey.SampleDesign.LonelyPolicy;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * SEs of calibrated weights from the calibration residuals, against R {@code survey}
 * (src/test/r/calibration.R writes calibration_estimates.csv: the indicators and domains of
 * golden.R on the designs calibrated to counts and employment of the margins [section] and
 * [size_class], linear and bounded raking). The g-weights are R's own (calibration_expected.csv),
 * so this tests the variance alone; the calibration is tested in weighting.CalibrationGoldenTest.
 */
@SparkTest
class GregGoldenTest {
  static final Path DIR = GoldenTest.DIR;

  static final GregVariance.Model MODEL =
      new GregVariance.Model(
          List.of(List.of("section"), List.of("size_class")), true, true, List.of(TestData.YEAR));

  /** The golden units with R's g-weights of one case: nr_weight, final_weight, frame_employees. */
  static Dataset<Row> calibratedUnits(SparkSession spark, List<TestData.Unit> units, String kase)
      throws Exception {
    List<Row> g = new ArrayList<>();
    for (String line : Files.readAllLines(DIR.resolve("calibration_expected.csv"))) {
      String[] f = line.split(",", -1);
      if (f[0].equals(kase)) g.add(RowFactory.create(f[1], Double.parseDouble(f[2])));
    }
    assertEquals(units.size(), g.size(), kase);
    StructType s = new StructType().add("bin", DataTypes.StringType).add("g", DataTypes.DoubleType);
    return TestData.unitFrame(spark, units)
        .join(spark.createDataFrame(g, s), "bin")
        .selectExpr(
            "*",
            "final_weight AS nr_weight",
            "final_weight * g AS cal_weight",
            "x AS frame_employees")
        .drop("final_weight", "g")
        .withColumnRenamed("cal_weight", "final_weight");
  }

  static Map<String, Row> estimates(
      SparkSession spark, List<TestData.Unit> units, String kase, List<Indicator> indicators)
      throws Exception {
    return TestData.byKey(
        EstimationQuery.estimates(
            spark,
            calibratedUnits(spark, units, kase),
            TestData.design(spark, units, LonelyPolicy.CERTAINTY),
            indicators,
            TestData.DOMAINS,
            MODEL));
  }

  @Test
  void residualStandardErrorsOfEveryDomainEqualRSurvey(SparkSession spark) throws Exception {
    List<TestData.Unit> units = TestData.readCsv(DIR.resolve("units.csv"));
    Map<String, Map<String, Row>> java = new HashMap<>();
    for (String kase : List.of("linear", "raking_bounded")) {
      java.put(kase, estimates(spark, units, kase, TestData.INDICATORS));
    }
    List<String> lines = Files.readAllLines(DIR.resolve("calibration_estimates.csv"));
    double maxRel = 0;
    int compared = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      String key = f[1] + "/" + f[2] + "/" + f[3];
      Row r = java.get(f[0]).get(key);
      if (f[4].equals("NA")) {
        assertTrue(r == null || r.getAs("estimate") == null, key);
        continue;
      }
      assertNotNull(r, "no estimate for " + f[0] + " " + key);
      double scale = f[1].startsWith("share") ? 100 : 1;
      double est = Double.parseDouble(f[4]);
      double se = Double.parseDouble(f[5]);
      String what = f[0] + " " + key;
      maxRel =
          Math.max(
              maxRel,
              GoldenTest.check(what + " estimate", est, (Double) r.getAs("estimate") / scale, est));
      maxRel =
          Math.max(maxRel, GoldenTest.check(what + " se", se, (Double) r.getAs("se") / scale, est));
      compared++;
    }
    System.out.printf(
        "calibrated golden: %d cells × (estimate, se) agree with R survey, max relative"
            + " difference %.3g%n",
        compared, maxRel);
    assertTrue(compared > 150, "compared " + compared);
  }

  @Test
  void calibratedTotalsOfTheAuxiliaryVariablesHaveNoVariance(SparkSession spark) throws Exception {
    // The number of units and the employment are calibrated to the frame: nationally their
    // residuals are 0, so is their SE; by region they are not calibrated, so they vary.
    List<TestData.Unit> units = TestData.readCsv(DIR.resolve("units.csv"));
    List<Indicator> aux =
        List.of(
            TestData.indicator("units", Indicator.Kind.COUNT, "1", null, null, 1),
            TestData.indicator("employment", Indicator.Kind.TOTAL, "x", null, null, 1));
    Map<String, Row> est = estimates(spark, units, "linear", aux);
    for (String ind : List.of("units", "employment")) {
      Row total = est.get(ind + "/total/_T");
      assertEquals(0.0, (Double) total.getAs("se"), 1e-9 * (Double) total.getAs("estimate"), ind);
      Row region = est.get(ind + "/region/11");
      assertTrue((Double) region.getAs("se") > 1e-3 * (Double) region.getAs("estimate"), ind);
    }
  }
}
