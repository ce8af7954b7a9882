package kz.stat.ictstat.estimation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.survey.SampleDesign.LonelyPolicy;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Agreement with R {@code survey} (src/test/r/golden.R writes the expected values; see its header
 * to rerun): estimates and SEs of totals, counts, shares and ratios for domains that cut across
 * strata, a lonely stratum under the certainty, average and collapse policies, a take-all stratum
 * with non-response, a missing answer and an indicator with a population filter.
 */
@SparkTest
class GoldenTest {
  static final Path DIR = Path.of("src/test/resources/golden");
  static final double TOL = 1e-9;

  @Test
  void estimatesAndStandardErrorsEqualRSurvey(SparkSession spark) throws Exception {
    List<TestData.Unit> units = TestData.readCsv(DIR.resolve("units.csv"));
    List<String> lines = Files.readAllLines(DIR.resolve("expected.csv"));
    Map<String, Map<String, Row>> java = new HashMap<>();
    for (LonelyPolicy p :
        List.of(LonelyPolicy.CERTAINTY, LonelyPolicy.AVERAGE, LonelyPolicy.COLLAPSE)) {
      var est =
          EstimationQuery.estimates(
              spark,
              TestData.unitFrame(spark, units),
              TestData.design(spark, units, p),
              TestData.INDICATORS,
              TestData.DOMAINS);
      java.put(p.name().toLowerCase(), TestData.byKey(est));
    }
    double maxRel = 0;
    int compared = 0;
    int undefined = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      String key = f[1] + "/" + f[2] + "/" + f[3];
      Row r = java.get(f[0]).get(key);
      double scale = f[1].startsWith("share") ? 100 : 1;
      if (f[4].equals("NA")) {
        // R: 0/0 ratio of a cell outside the population: absent, or present with no estimate.
        assertTrue(r == null || r.getAs("estimate") == null, key);
        undefined++;
        continue;
      }
      assertNotNull(r, "no estimate for " + f[0] + " " + key);
      double est = Double.parseDouble(f[4]);
      if (f[5].equals("NA")) {
        // R: no SE (average policy, a cell of lonely strata only): none here either, flagged.
        assertTrue(r.getAs("se") == null, key);
        assertTrue(((String) r.getAs("flags")).contains("se_unavailable"), key);
        check(f[0] + " " + key + " estimate", est, (Double) r.getAs("estimate") / scale, est);
        undefined++;
        continue;
      }
      double se = Double.parseDouble(f[5]);
      double gotEst = (Double) r.getAs("estimate") / scale;
      double gotSe = (Double) r.getAs("se") / scale;
      maxRel = Math.max(maxRel, check(f[0] + " " + key + " estimate", est, gotEst, est));
      maxRel = Math.max(maxRel, check(f[0] + " " + key + " se", se, gotSe, est));
      compared++;
    }
    System.out.printf(
        "golden: %d cells × (estimate, se) agree with R survey, max relative difference %.3g;"
            + " %d undefined ratios or SEs%n",
        compared, maxRel, undefined);
    assertTrue(compared > 150, "compared " + compared);
    // every Java cell (with an estimate) has an R counterpart: nothing extra, nothing missing
    long javaCells =
        java.values().stream()
            .flatMap(m -> m.values().stream())
            .filter(r -> r.getAs("estimate") != null && r.getAs("se") != null)
            .count();
    assertEquals(compared, javaCells);
  }

  @Test
  void logitIntervalOfAShareEqualsSvyciprop(SparkSession spark) throws Exception {
    List<TestData.Unit> units = TestData.readCsv(DIR.resolve("units.csv"));
    String[] f = Files.readAllLines(DIR.resolve("expected_ci.csv")).get(1).split(",");
    var est =
        TestData.byKey(
            EstimationQuery.estimates(
                spark,
                TestData.unitFrame(spark, units),
                TestData.design(spark, units, LonelyPolicy.CERTAINTY),
                TestData.INDICATORS,
                TestData.DOMAINS));
    Row r = est.get("share_b/total/_T");
    double lo = Double.parseDouble(f[4]);
    double hi = Double.parseDouble(f[5]);
    check("ci_low", lo, (Double) r.getAs("ci_low") / 100, lo);
    check("ci_high", hi, (Double) r.getAs("ci_high") / 100, hi);
  }

  @Test
  void failPolicyStopsOnTheLonelyStratumLikeR() throws Exception {
    List<TestData.Unit> units = TestData.readCsv(DIR.resolve("units.csv"));
    var e =
        assertThrows(
            IctstatException.class,
            () ->
                kz.stat.ictstat.weighting.VarianceGroups.resolve(
                    TestData.strata(units), LonelyPolicy.FAIL));
    assertTrue(e.getMessage().contains("1 strata have a single responding unit"), e.getMessage());
    assertTrue(e.getMessage().contains("2024 C|small|19"), e.getMessage());
  }

  static double check(String what, double expected, double got, double estimate) {
    double diff = Math.abs(got - expected);
    double denom = Math.max(Math.abs(expected), 1e-6 * Math.abs(estimate));
    double rel = denom == 0 ? diff : diff / denom;
    assertTrue(rel <= TOL || diff <= 1e-12, what + ": R " + expected + ", Java " + got);
    return denom == 0 ? 0 : rel;
  }
}
