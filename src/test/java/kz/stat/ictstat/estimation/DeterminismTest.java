package kz.stat.ictstat.estimation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import kz.stat.ictstat.survey.SampleDesign.LonelyPolicy;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import kz.stat.ictstat.testing.SparkTest;
import kz.stat.ictstat.weighting.StratumDesign;
import kz.stat.ictstat.weighting.VarianceGroups;
import kz.stat.ictstat.weighting.Weighting;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/**
 * The estimates do not depend on how the input is partitioned: the same respondents estimated from
 * one partition with one shuffle partition (as local[1] reads a small table) and from several
 * partitions in another order with several shuffle partitions and adaptive execution (as local[2]
 * or a cluster) give the same rows, the same counts and flags, and doubles equal up to rounding.
 *
 * <p>Not bitwise: the doubles are Spark {@code sum}s (the window sums for the centring constants
 * and the GROUPING SETS and per-domain aggregations of {@link EstimationQuery}), whose order of
 * additions follows the partitions, so about half the doubles differ in their last bits (relative
 * differences of a few 1e-16 for estimates, up to about 1e-14 for standard errors). The design
 * effect of a cell whose y is constant (a count) divides by an SRS variance that cancels to
 * rounding noise; such values (NULL or beyond a million) are counted, not compared.
 */
@SparkTest
class DeterminismTest {
  /**
   * Largest relative difference allowed between doubles of the two layouts: the project's agreement
   * standard (R golden values, the cluster check). The rounding of a different order of additions
   * is about 1e-15 for estimates, but an SE or design effect near zero is a difference of larger
   * sums and carries their rounding (1e-12 was seen for a deff of 8e-6); a real difference is far
   * larger.
   */
  static final double TOL = 1e-9;

  @Test
  void estimatesAgreeWhateverThePartitioning(SparkSession spark) {
    SurveyDefinitions survey = SurveyLoader.load(Path.of("conf"));
    LonelyPolicy policy = survey.design().lonelyStrata();
    Dataset<Row> pop = SyntheticSurvey.population(spark, survey, 1500);
    Dataset<Row> smp =
        SyntheticSurvey.samples(spark, pop, List.of(2023, 2024), 0.2, 0.8, 7).localCheckpoint();
    List<StratumDesign> strata = new ArrayList<>();
    for (Row r :
        smp.groupBy("year", "stratum")
            .agg(
                functions.expr("first(section)"),
                functions.expr("first(size_class)"),
                functions.expr("first(region)"),
                functions.expr("max(frame_units)"),
                functions.expr("max(sample_units)"),
                functions.expr("sum(CASE WHEN responds THEN 1 ELSE 0 END)"),
                functions.expr("max(take_all)"))
            .collectAsList()) {
      strata.add(
          new StratumDesign(
              r.getInt(0),
              r.getString(1),
              r.getString(2),
              r.getString(3),
              r.getString(4),
              r.getLong(5),
              r.getLong(6),
              r.getLong(7),
              r.getBoolean(8)));
    }
    Dataset<Row> design =
        Weighting.designFrame(spark, VarianceGroups.resolve(strata, policy), policy)
            .localCheckpoint();
    // Weights that are not "round" doubles, so that the order of additions shows in the sums.
    Dataset<Row> resp =
        smp.where("responds")
            .selectExpr(
                "*",
                "CAST(frame_units AS DOUBLE) / count(*) OVER (PARTITION BY year, stratum)"
                    + " * (1 + pmod(xxhash64(bin), 997) / 9970.0D) AS final_weight")
            .localCheckpoint();
    List<kz.stat.ictstat.survey.Indicator> indicators =
        survey.indicators().stream().filter(i -> i.availableIn(2024)).toList();

    Map<String, Row> one =
        estimate(
            spark,
            resp.coalesce(1).sortWithinPartitions("year", "bin"),
            design.coalesce(1),
            indicators,
            survey,
            "1",
            "false");
    Map<String, Row> many =
        estimate(
            spark,
            resp.repartition(5).sortWithinPartitions(functions.col("bin").desc()),
            design.repartition(3),
            indicators,
            survey,
            "7",
            "true");

    assertEquals(one.keySet(), many.keySet(), "the same estimate rows in both layouts");
    assertTrue(one.size() > 100, "rows " + one.size());
    int doubles = 0;
    int notIdentical = 0;
    int illConditioned = 0;
    Map<String, Double> maxRel = new TreeMap<>();
    String worst = "";
    double worstRel = 0;
    for (var e : one.entrySet()) {
      Row a = e.getValue();
      Row b = many.get(e.getKey());
      for (String c : EstimationQuery.COLUMNS) {
        Object x = a.getAs(c);
        Object y = b.getAs(c);
        if (Objects.equals(x, y)) { // Double.equals compares the bits
          if (x instanceof Double) doubles++;
          continue;
        }
        if (c.equals("deff") && huge(x) && huge(y)) {
          // V / V_srs where V_srs cancels to about 0 (y constant in the domain): noise.
          illConditioned++;
          continue;
        }
        assertTrue(
            x instanceof Double && y instanceof Double,
            e.getKey() + " " + c + ": " + x + " in one partition, " + y + " in several");
        double dx = (Double) x;
        double dy = (Double) y;
        doubles++;
        notIdentical++;
        double rel = Math.abs(dx - dy) / Math.max(Math.abs(dx), Math.abs(dy));
        maxRel.merge(c, rel, Math::max);
        if (rel > worstRel) {
          worstRel = rel;
          worst = e.getKey() + " " + c + ": " + dx + " vs " + dy;
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "Determinism: %d estimate rows, %d doubles compared, %d not bitwise identical (largest"
            + " relative difference per column %s), %d ill-conditioned deff%n",
        one.size(),
        doubles,
        notIdentical,
        maxRel,
        illConditioned);
    assertTrue(worstRel <= TOL, "relative difference " + worstRel + " > " + TOL + ": " + worst);
  }

  /** A design effect that only rounding noise can produce: none, or beyond a million. */
  private static boolean huge(Object deff) {
    return deff == null || Math.abs((Double) deff) > 1e6;
  }

  private static Map<String, Row> estimate(
      SparkSession spark,
      Dataset<Row> units,
      Dataset<Row> design,
      List<kz.stat.ictstat.survey.Indicator> indicators,
      SurveyDefinitions survey,
      String shufflePartitions,
      String adaptive) {
    String sp = spark.conf().get("spark.sql.shuffle.partitions");
    String aqe = spark.conf().get("spark.sql.adaptive.enabled");
    spark.conf().set("spark.sql.shuffle.partitions", shufflePartitions);
    spark.conf().set("spark.sql.adaptive.enabled", adaptive);
    try {
      Map<String, Row> m = new java.util.HashMap<>();
      for (Row r :
          EstimationQuery.estimates(spark, units, design, indicators, survey.domains())
              .collectAsList()) {
        String k =
            r.getAs("year")
                + "/"
                + r.getAs("indicator")
                + "/"
                + r.getAs("domain_type")
                + "/"
                + r.getAs("domain_code");
        if (m.put(k, r) != null) throw new AssertionError("duplicate estimate " + k);
      }
      return m;
    } finally {
      spark.conf().set("spark.sql.shuffle.partitions", sp);
      spark.conf().set("spark.sql.adaptive.enabled", aqe);
    }
  }
}
