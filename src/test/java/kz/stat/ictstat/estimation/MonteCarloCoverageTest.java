package kz.stat.ictstat.estimation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kz.stat.ictstat.survey.Domain;
import kz.stat.ictstat.survey.Indicator;
import kz.stat.ictstat.survey.SampleDesign.LonelyPolicy;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Monte Carlo coverage of the 95 % CIs: many stratified samples (with 20 % non-response) of one
 * synthetic population, all estimated in one pass (each replicate is a "year"), and the share of
 * replicates whose CI contains the population value, per headline indicator, nationally and by size
 * class. Also the ratio of the empirical SD of the estimates to their mean SE (≈ 1 if the variance
 * estimator is unbiased).
 *
 * <p>The suite runs a few replicates; for a real study run for example {@code mvn -q test
 * -Dtest=MonteCarloCoverageTest -Dictstat.mc.replicates=1000 -Dictstat.mc.units=20000}.
 */
@SparkTest
class MonteCarloCoverageTest {
  @Test
  void confidenceIntervalsCoverThePopulationValue(SparkSession spark) {
    int reps = Integer.getInteger("ictstat.mc.replicates", 20);
    int units = Integer.getInteger("ictstat.mc.units", 3000);
    SurveyDefinitions survey = SurveyLoader.load(Path.of("conf"));
    LonelyPolicy policy = survey.design().lonelyStrata();
    Dataset<Row> pop = SyntheticSurvey.population(spark, survey, units).cache();
    List<Integer> years = new ArrayList<>();
    for (int r = 1; r <= reps; r++) years.add(3000 + r);
    Dataset<Row> smp = SyntheticSurvey.samples(spark, pop, years, 0.1, 0.8, 2025).cache();

    Dataset<Row> design = SyntheticSurvey.design(spark, smp, policy);
    Dataset<Row> resp =
        smp.where("responds")
            .selectExpr(
                "*",
                "CAST(frame_units AS DOUBLE) / count(*) OVER (PARTITION BY year, stratum)"
                    + " AS final_weight");
    List<Indicator> headline =
        survey.indicators().stream().filter(i -> i.headline() && i.lastYear() == null).toList();
    List<Domain> domains =
        survey.domains().stream().filter(d -> d.by().isEmpty() || d.id().equals("size")).toList();
    long t0 = System.nanoTime();
    Dataset<Row> est = EstimationQuery.estimates(spark, resp, design, headline, domains).cache();
    est.count();
    if (Boolean.getBoolean("ictstat.mc.profile")) {
      for (int i = 0; i < 2; i++) {
        long t1 = System.nanoTime();
        EstimationQuery.estimates(spark, resp, design, headline, domains).count();
        System.out.printf("rerun %.1f s%n", (System.nanoTime() - t1) / 1e9);
      }
      try {
        java.nio.file.Files.writeString(
            Path.of("target/mc-plan.txt"),
            EstimationQuery.estimates(spark, resp, design, headline, domains)
                .queryExecution()
                .toString());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;

    pop.createOrReplaceTempView("truth_pop");
    List<String> truths = new ArrayList<>();
    for (Indicator ind : headline) {
      String p = ind.population() == null ? "true" : ind.population();
      String den = ind.denominatorSql() == null ? "1" : ind.denominatorSql();
      String num = "sum(CASE WHEN " + p + " THEN CAST(" + ind.numeratorSql() + " AS DOUBLE) END)";
      String dsum = "sum(CASE WHEN " + p + " THEN CAST(" + den + " AS DOUBLE) END)";
      String value =
          ind.denominatorSql() == null
              ? num
              : (ind.publishScale() > 0 ? ind.publishScale() : 1) + " * " + num + " / " + dsum;
      truths.add(
          "SELECT '"
              + ind.id()
              + "' AS indicator, 'total' AS domain_type, '_T' AS domain_code, "
              + value
              + " AS truth FROM truth_pop");
      truths.add(
          "SELECT '"
              + ind.id()
              + "', 'size', size_class, "
              + value
              + " FROM truth_pop GROUP BY size_class");
    }
    spark.sql(String.join(" UNION ALL ", truths)).createOrReplaceTempView("mc_truth");
    est.createOrReplaceTempView("mc_est");
    List<Row> rows =
        spark
            .sql(
                "SELECT e.indicator, e.domain_type, e.domain_code, count(*) AS reps,"
                    + " avg(CASE WHEN e.ci_low - 1e-9 * greatest(1, abs(t.truth)) <= t.truth"
                    + " AND t.truth <= e.ci_high + 1e-9 * greatest(1, abs(t.truth))"
                    + " THEN 1.0D ELSE 0.0D END) AS coverage,"
                    + " avg(e.estimate) AS mean_est, max(t.truth) AS truth,"
                    + " try_divide(stddev_samp(e.estimate), avg(e.se)) AS sd_over_se"
                    + " FROM mc_est e JOIN mc_truth t ON e.indicator = t.indicator"
                    + " AND e.domain_type = t.domain_type AND e.domain_code = t.domain_code"
                    + " GROUP BY e.indicator, e.domain_type, e.domain_code"
                    + " ORDER BY e.domain_type DESC, e.domain_code, e.indicator")
            .collectAsList();
    System.out.printf(
        Locale.ROOT,
        "Monte Carlo: %d replicate samples of %d units, estimated in one pass in %.1f s%n",
        reps,
        units,
        seconds);
    System.out.printf(
        Locale.ROOT,
        "%-38s %-6s %-8s %9s %16s %16s %8s%n",
        "indicator",
        "domain",
        "code",
        "coverage",
        "mean estimate",
        "truth",
        "sd/se");
    List<String> low = new ArrayList<>();
    for (Row r : rows) {
      System.out.printf(
          Locale.ROOT,
          "%-38s %-6s %-8s %9.3f %16.3f %16.3f %8s%n",
          r.getString(0),
          r.getString(1),
          r.getString(2),
          r.getDouble(4),
          r.getDouble(5),
          r.getDouble(6),
          r.isNullAt(7) ? "-" : String.format(Locale.ROOT, "%.3f", r.getDouble(7)));
      if (r.getString(1).equals("total") && r.getDouble(4) < 0.75) low.add(r.getString(0));
    }
    assertTrue(rows.size() >= headline.size(), "rows " + rows.size());
    assertTrue(low.isEmpty(), "national coverage below 75 %: " + low);
  }
}
