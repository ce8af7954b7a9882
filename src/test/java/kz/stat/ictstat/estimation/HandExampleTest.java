package kz.stat.ictstat.estimation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kz.stat.ictstat.survey.Indicator;
import kz.stat.ictstat.survey.SampleDesign.LonelyPolicy;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** A two-stratum example worked by hand, and identities between estimates. */
@SparkTest
class HandExampleTest {
  // Stratum A (N = 10, r = 2, w = 5): y = 1, 3; b = 1, 0; domain a, b.
  // Stratum B (N = 6, r = 3, w = 2): y = 2, 4, 6; b = 0, 1, 1; domain a, b, b.
  static final List<TestData.Unit> UNITS =
      List.of(
          new TestData.Unit("1", "A", "small", "01", "a", 10, 1, 1, 1),
          new TestData.Unit("2", "A", "small", "01", "b", 10, 3, 1, 0),
          new TestData.Unit("3", "B", "small", "02", "a", 6, 2, 1, 0),
          new TestData.Unit("4", "B", "small", "02", "b", 6, 4, 1, 1),
          new TestData.Unit("5", "B", "small", "02", "b", 6, 6, 1, 1));

  @Test
  void totalsSharesAndDomainsByHand(SparkSession spark) {
    Map<String, Row> e = run(spark, UNITS);
    // total: 5·(1+3) + 2·(2+4+6) = 44; V = 10²(1−2/10)·2/2 + 6²(1−3/6)·4/3 = 80 + 24
    assertClose(44, e.get("total_y/total/_T").getAs("estimate"));
    assertClose(Math.sqrt(104), e.get("total_y/total/_T").getAs("se"));
    // domain a (ownership = a): 5·1 + 2·2 = 9; zero-extended s²: A (1,0) → 1/2, B (2,0,0) → 4/3
    // V = 100·0.8·(1/2)/2 + 36·0.5·(4/3)/3 = 20 + 8
    assertClose(9, e.get("total_y/ownership/a").getAs("estimate"));
    assertClose(Math.sqrt(28), e.get("total_y/ownership/a").getAs("se"));
    // share of b: (5·1 + 2·2)/16 = 9/16; z = (b − p)/16: V = 80·(1/2)/256/2 + 18·(1/3)/256/3
    double v = 80 * 0.5 / 256 / 2 + 18 * (1.0 / 3) / 256 / 3;
    assertClose(100 * 9.0 / 16, e.get("share_b/total/_T").getAs("estimate"));
    assertClose(100 * Math.sqrt(v), e.get("share_b/total/_T").getAs("se"));
    assertClose(
        100 * Math.sqrt(v) / (9.0 / 16) / 100 * 100, e.get("share_b/total/_T").getAs("rse"));
    // respondents and non-zero contributors
    assertEquals(5L, (Long) e.get("share_b/total/_T").getAs("n_resp"));
    assertEquals(3L, (Long) e.get("share_b/total/_T").getAs("n_nonzero"));
    // logit CI stays inside [0, 100] and contains the estimate
    double lo = e.get("share_b/total/_T").getAs("ci_low");
    double hi = e.get("share_b/total/_T").getAs("ci_high");
    assertTrue(0 <= lo && lo < 56.25 && 56.25 < hi && hi <= 100, lo + " " + hi);
    // design effect V / V_srs: N̂ = 16, n = 5, Σw y² = 162, S² = (162 − 44²/16) / 15 = 41/15,
    // V_srs = 16² (1 − 5/16) / 5 · 41/15
    assertClose(104 / (256 * (11.0 / 16) / 5 * 41 / 15), e.get("total_y/total/_T").getAs("deff"));
    // a count has no spread within its domain: its SRS variance, and so deff, is undefined
    assertTrue(e.get("units/ownership/a").isNullAt(e.get("units/ownership/a").fieldIndex("deff")));
    assertTrue(e.get("units/total/_T").isNullAt(e.get("units/total/_T").fieldIndex("deff")));
    // a normal interval for totals
    assertClose(44 - EstimationQuery.Z * Math.sqrt(104), e.get("total_y/total/_T").getAs("ci_low"));
  }

  @Test
  void identitiesOnTheGoldenData(SparkSession spark) throws Exception {
    var units = TestData.readCsv(Path.of("src/test/resources/golden/units.csv"));
    Map<String, Row> e = run(spark, units);
    // the national total equals the sum of the regional totals
    double sum = 0;
    for (var r : e.entrySet()) {
      if (r.getKey().startsWith("total_y/region/")) sum += (Double) r.getValue().getAs("estimate");
    }
    assertClose(e.get("total_y/total/_T").getAs("estimate"), sum);
    // the weights add up to the frame: Σ N_h
    long frame = TestData.strata(units).stream().mapToLong(s -> s.frameUnits()).sum();
    assertClose((double) frame, e.get("units/total/_T").getAs("estimate"));
    // a share equals the ratio estimator Σ w b / Σ w (same point estimate and SE)
    for (String d : List.of("total/_T", "region/11", "ownership/32", "section_size/C|small")) {
      Row share = e.get("share_b/" + d);
      Row ratio = e.get("ratio_b_valid/" + d);
      assertClose(ratio.getAs("estimate"), (Double) share.getAs("estimate") / 100);
      assertClose(ratio.getAs("se"), (Double) share.getAs("se") / 100);
    }
    // a share's point estimate equals count / number of units with an answer
    assertClose(
        (Double) e.get("count_b/region/15").getAs("estimate")
            / (Double) e.get("units_valid/region/15").getAs("estimate"),
        (Double) e.get("share_b/region/15").getAs("estimate") / 100);
  }

  @Test
  void varianceIsExactForLargeValuesWithASmallSpread(SparkSession spark) {
    // y = 1e9 + 1..4 in one stratum (N = 100, r = 4): s² = 5/3, V = 100²(1 − 0.04)(5/3)/4 = 4000.
    // Raw sums Σy² − (Σy)²/r would cancel ~18 digits; centred sums keep it exact.
    // Ratio y/x with x = 2y: R̂ = 0.5 exactly, every z_k = 0, so V(R̂) = 0.
    List<TestData.Unit> units = new java.util.ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      units.add(
          new TestData.Unit(
              String.valueOf(i), "A", "small", "01", "a", 100, 1e9 + i, 2 * (1e9 + i), 1));
    }
    Map<String, Row> e = run(spark, units);
    assertClose(Math.sqrt(4000), e.get("total_y/total/_T").getAs("se"));
    assertClose(100 * (4e9 + 10) / 4, e.get("total_y/total/_T").getAs("estimate"));
    assertClose(0.5, e.get("ratio_yx/total/_T").getAs("estimate"));
    assertEquals(0.0, (Double) e.get("ratio_yx/total/_T").getAs("se"));
  }

  private static Map<String, Row> run(SparkSession spark, List<TestData.Unit> units) {
    List<Indicator> inds = new java.util.ArrayList<>(TestData.INDICATORS);
    inds.add(TestData.indicator("units", Indicator.Kind.COUNT, "1", null, null, 1));
    inds.add(
        TestData.indicator(
            "units_valid",
            Indicator.Kind.COUNT,
            "CASE WHEN b IS NULL THEN 0 ELSE 1 END",
            null,
            null,
            1));
    inds.add(
        TestData.indicator(
            "ratio_b_valid",
            Indicator.Kind.RATIO,
            "b",
            "CASE WHEN b IS NULL THEN 0 ELSE 1 END",
            null,
            1));
    return TestData.byKey(
        EstimationQuery.estimates(
            spark,
            TestData.unitFrame(spark, units),
            TestData.design(spark, units, LonelyPolicy.CERTAINTY),
            inds,
            TestData.DOMAINS));
  }

  static void assertClose(double expected, Object got) {
    double g = (Double) got;
    assertTrue(
        Math.abs(g - expected) <= 1e-10 * Math.max(1, Math.abs(expected)),
        "expected " + expected + ", got " + g);
  }
}
