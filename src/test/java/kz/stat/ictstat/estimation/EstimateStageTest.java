package kz.stat.ictstat.estimation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kz.stat.ictstat.cli.Main;
import kz.stat.ictstat.config.JobConfig;
import kz.stat.ictstat.spark.TableCatalog;
import kz.stat.ictstat.survey.Indicator;
import kz.stat.ictstat.survey.Item;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** End to end: core.sample + core.responses + core.control_status → `ictstat estimate`. */
@SparkTest
class EstimateStageTest {
  @Test
  void estimateCommandWeightsAndEstimatesEveryIndicatorAndDomain(
      SparkSession spark, TableCatalog catalog, JobConfig config) {
    long t0 = System.nanoTime();
    SurveyDefinitions survey = SurveyLoader.load(Path.of("conf"));
    Dataset<Row> pop = SyntheticSurvey.population(spark, survey, 2000).cache();
    Dataset<Row> smp = SyntheticSurvey.samples(spark, pop, List.of(2024), 0.1, 0.8, 11).cache();
    catalog.overwrite(
        "core.sample",
        smp.selectExpr(
            "year",
            "bin",
            "employees",
            "region",
            "section",
            "size_class",
            "ownership",
            "sector",
            "stratum",
            "frame_units",
            "sample_units",
            "take_all"),
        "year");
    List<String> cols = new ArrayList<>(List.of("year", "bin"));
    for (Item it : survey.contentItems()) cols.add(it.id());
    catalog.overwrite(
        "core.responses", smp.where("responds").selectExpr(cols.toArray(new String[0])), "year");
    // 2 % of respondents fail a fatal control
    catalog.overwrite(
        "core.control_status",
        smp.where("responds")
            .selectExpr(
                "year",
                "bin",
                "0 AS n_fatal",
                "0 AS n_warning",
                "pmod(xxhash64(bin), 50) <> 0 AS fit_for_estimation"),
        "year");

    int code = Main.execute("estimate", "--warehouse", catalog.warehouse(), "--years", "2024");
    assertEquals(0, code);
    System.out.printf("estimate %.1f s%n", (System.nanoTime() - t0) / 1e9);

    long fit = smp.where("responds AND pmod(xxhash64(bin), 50) <> 0").count();
    Row d =
        spark.sql("SELECT sum(resp_units), sum(frame_units), count(*) FROM core.design").first();
    assertEquals(fit, d.getLong(0));
    long strata = smp.select("stratum").distinct().count();
    assertEquals(strata, d.getLong(2));
    long frameWithRespondents =
        spark
            .sql("SELECT coalesce(sum(frame_units), 0) FROM core.design WHERE resp_units > 0")
            .first()
            .getLong(0);
    double sumW = spark.sql("SELECT sum(final_weight) FROM core.weights").first().getDouble(0);
    assertEquals(frameWithRespondents, sumW, 1e-6);

    // every available indicator × every domain type, no missing codes
    long indicators = survey.indicators().stream().filter(i -> i.availableIn(2024)).count();
    Row e =
        spark
            .sql(
                "SELECT count(DISTINCT indicator), count(DISTINCT domain_type),"
                    + " sum(CASE WHEN domain_code IS NULL OR flags IS NULL THEN 1 ELSE 0 END)"
                    + " FROM pub.estimates")
            .first();
    assertEquals(indicators, e.getLong(0));
    assertEquals(survey.domains().size(), e.getLong(1));
    assertEquals(0L, e.getLong(2));
    Row org =
        spark
            .sql(
                "SELECT estimate, se, flags FROM pub.estimates WHERE indicator = 'organisations'"
                    + " AND domain_type = 'total'")
            .first();
    assertEquals(frameWithRespondents, org.getDouble(0), 1e-6);
    // N_h/r_h · r_h = N_h exactly in every stratum: no variance, unless a lonely stratum was
    // pooled with a neighbour of another weight (collapse), which the flags then say
    assertTrue(
        Math.abs(org.getDouble(1)) < 1e-9 || org.getString(2).contains("lonely:collapse"),
        org.toString());
    Row sums =
        spark
            .sql(
                "SELECT sum(CASE WHEN domain_type = 'region' THEN estimate END),"
                    + " sum(CASE WHEN domain_type = 'total' THEN estimate END)"
                    + " FROM pub.estimates WHERE indicator = 'computers'")
            .first();
    assertEquals(sums.getDouble(1), sums.getDouble(0), 1e-6 * sums.getDouble(1));

    // the headline estimates cover the population truth
    List<String> outside = new ArrayList<>();
    pop.createOrReplaceTempView("truth_pop");
    for (Indicator ind : survey.indicators()) {
      if (!ind.headline() || !ind.availableIn(2024)) continue;
      double truth = truth(spark, ind);
      Row r =
          spark
              .sql(
                  "SELECT ci_low, ci_high FROM pub.estimates WHERE indicator = '"
                      + ind.id()
                      + "' AND domain_type = 'total'")
              .first();
      double eps = 1e-9 * Math.max(1, Math.abs(truth));
      if (!(r.getDouble(0) - eps <= truth && truth <= r.getDouble(1) + eps)) {
        outside.add(
            String.format(
                Locale.ROOT,
                "%s truth %.4f CI [%.4f, %.4f]",
                ind.id(),
                truth,
                r.getDouble(0),
                r.getDouble(1)));
      }
    }
    assertTrue(outside.isEmpty(), "truth outside the 95 % CI: " + outside);
  }

  /** The population value of an indicator on its published scale, by plain sums. */
  static double truth(SparkSession spark, Indicator ind) {
    String pop = ind.population() == null ? "true" : ind.population();
    String den = ind.denominatorSql();
    Row r =
        spark
            .sql(
                "SELECT sum(CASE WHEN "
                    + pop
                    + " THEN CAST("
                    + ind.numeratorSql()
                    + " AS DOUBLE) ELSE 0 END), sum(CASE WHEN "
                    + pop
                    + " THEN CAST("
                    + (den == null ? "1" : den)
                    + " AS DOUBLE) ELSE 0 END) FROM truth_pop")
            .first();
    double scale = ind.publishScale() > 0 ? ind.publishScale() : 1;
    return den == null ? r.getDouble(0) : scale * r.getDouble(0) / r.getDouble(1);
  }
}
