package kz.stat.ictstat.estimation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import kz.stat.ictstat.survey.SampleDesign.LonelyPolicy;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/**
 * The estimates do not depend on how the input is partitioned: the same respondents estimated from
 * one partition with one shuffle partition (as local[1] reads a small table) and from several
 * partitions in another order with several shuffle partitions and adaptive execution (as local[2]
 * or a cluster) give bit for bit the same rows: {@link EstimationQuery} lays the units out by
 * variance group and the group contributions by domain cell, sorted, so that every sum of doubles
 * adds its terms in the same order.
 */
@SparkTest
class DeterminismTest {
  @Test
  void estimatesAgreeWhateverThePartitioning(SparkSession spark) {
    SurveyDefinitions survey = SurveyLoader.load(Path.of("conf"));
    LonelyPolicy policy = survey.design().lonelyStrata();
    Dataset<Row> pop = SyntheticSurvey.population(spark, survey, 1500);
    Dataset<Row> smp =
        SyntheticSurvey.samples(spark, pop, List.of(2023, 2024), 0.2, 0.8, 7).localCheckpoint();
    Dataset<Row> design = SyntheticSurvey.design(spark, smp, policy).localCheckpoint();
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
    List<String> different = new ArrayList<>();
    for (var e : one.entrySet()) {
      Row a = e.getValue();
      Row b = many.get(e.getKey());
      for (String c : EstimationQuery.COLUMNS) {
        Object x = a.getAs(c);
        Object y = b.getAs(c);
        if (x instanceof Double) doubles++;
        // Double.equals compares the bits
        if (!Objects.equals(x, y)) different.add(e.getKey() + " " + c + ": " + x + " vs " + y);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "Determinism: %d estimate rows, %d doubles compared, %d not bitwise identical%n",
        one.size(),
        doubles,
        different.size());
    assertTrue(
        different.isEmpty(),
        different.size()
            + " values differ between the layouts, e.g. "
            + different.subList(0, Math.min(5, different.size())));
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
