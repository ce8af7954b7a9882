package kz.stat.ictstat.estimation;

import static org.apache.spark.sql.functions.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import kz.stat.ictstat.survey.Item;
import kz.stat.ictstat.survey.SampleDesign.LonelyPolicy;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.weighting.StratumDesign;
import kz.stat.ictstat.weighting.VarianceGroups;
import kz.stat.ictstat.weighting.Weighting;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A small synthetic population (deterministic, hash-based) with every canonical item, and
 * stratified samples of it with non-response: the fixture of the end-to-end and Monte Carlo tests.
 *
 * <p>Strata: section (C, G, J) × size class × region (11, 15, 19, 75); small units sampled at
 * {@code rate} with at least 2 per stratum, medium and large take-all; every sampled unit responds
 * with probability {@code response}.
 */
final class SyntheticSurvey {
  private SyntheticSurvey() {}

  /** u ∈ [0, 1) from a hash of the unit and a salt. */
  static String u(String salt) {
    return "(pmod(xxhash64(bin, '" + salt + "'), 1000003) / 1000003.0D)";
  }

  /** The population: one row per unit with frame columns, domain variables and all items. */
  static Dataset<Row> population(SparkSession spark, SurveyDefinitions survey, int units) {
    StringBuilder q = new StringBuilder("SELECT bin, ");
    q.append("CASE WHEN ")
        .append(u("size"))
        .append(" < 0.80 THEN 'small' WHEN ")
        .append(u("size"))
        .append(" < 0.95 THEN 'medium' ELSE 'large' END AS size_class, ");
    q.append("element_at(array('C', 'G', 'G', 'J'), CAST(floor(")
        .append(u("sec"))
        .append(" * 4) AS INT) + 1) AS section, ");
    q.append("element_at(array('11', '15', '19', '75', '75'), CAST(floor(")
        .append(u("reg"))
        .append(" * 5) AS INT) + 1) AS region, ");
    q.append("element_at(array('11', '15', '15', '32'), CAST(floor(")
        .append(u("own"))
        .append(" * 4) AS INT) + 1) AS ownership, '1' AS sector FROM (SELECT lpad(CAST(id AS")
        .append(" STRING), 12, '0') AS bin FROM range(")
        .append(units)
        .append("))");
    Dataset<Row> base = spark.sql(q.toString());
    base.createOrReplaceTempView("syn_base");
    StringBuilder p = new StringBuilder("SELECT *, concat_ws('|', section, size_class, region)");
    p.append(" AS stratum FROM (SELECT b.*, CAST(CASE size_class WHEN 'small' THEN 1 + floor(")
        .append(u("emp"))
        .append(" * 49) WHEN 'medium' THEN 50 + floor(")
        .append(u("emp"))
        .append(" * 200) ELSE 250 + floor(")
        .append(u("emp"))
        .append(" * 1500) END AS BIGINT) AS employees");
    for (Item it : survey.contentItems()) {
      if (it.id().equals("employees")) continue;
      String v =
          switch (it.type()) {
            case BINARY ->
                "CAST(("
                    + u(it.id())
                    + " < CASE size_class WHEN 'small' THEN 0.35 WHEN 'medium' THEN 0.6 ELSE 0.85 END)"
                    + " AS INT)";
            case COUNT -> "CAST(floor(" + u(it.id()) + " * 0.6 * emp0) AS BIGINT)";
            case AMOUNT -> "round(" + u(it.id()) + " * 120.0D * emp0, 1)";
            case CLASS ->
                it.allowed() == null || it.allowed().isEmpty()
                    ? "1"
                    : String.valueOf(it.allowed().get(0));
            default -> "CAST(NULL AS STRING)";
          };
      p.append(", ").append(v).append(" AS ").append(it.id());
    }
    p.append(" FROM (SELECT *, CASE size_class WHEN 'small' THEN 1 + floor(")
        .append(u("emp"))
        .append(" * 49) WHEN 'medium' THEN 50 + floor(")
        .append(u("emp"))
        .append(" * 200) ELSE 250 + floor(")
        .append(u("emp"))
        .append(" * 1500) END AS emp0 FROM syn_base) b)");
    return spark.sql(p.toString()).drop("emp0");
  }

  /**
   * Samples of the population, one per "year" in {@code years}: columns of core.sample (frame and
   * domain variables, stratum, frame_units, sample_units, take_all) plus {@code responds}.
   */
  /**
   * {@code core.design} rows of {@link #samples}: one stratum per (year, stratum) with its frame
   * size, sample size and respondents, variance groups resolved under {@code policy}.
   */
  static Dataset<Row> design(SparkSession spark, Dataset<Row> samples, LonelyPolicy policy) {
    List<StratumDesign> strata = new ArrayList<>();
    for (Row r :
        samples
            .groupBy("year", "stratum")
            .agg(
                expr("first(section)"),
                expr("first(size_class)"),
                expr("first(region)"),
                expr("max(frame_units)"),
                expr("max(sample_units)"),
                expr("sum(CASE WHEN responds THEN 1 ELSE 0 END)"),
                expr("max(take_all)"))
            .collectAsList()) {
      strata.add(StratumDesign.of(r));
    }
    return Weighting.designFrame(spark, VarianceGroups.resolve(strata, policy), policy);
  }

  static Dataset<Row> samples(
      SparkSession spark,
      Dataset<Row> population,
      List<Integer> years,
      double rate,
      double response,
      long seed) {
    population.createOrReplaceTempView("syn_pop");
    List<String> ys = new ArrayList<>();
    for (int y : years) ys.add(String.valueOf(y));
    String q =
        String.format(
            Locale.ROOT,
            "WITH f AS (SELECT p.*, y.year, count(*) OVER (PARTITION BY y.year, p.stratum) AS"
                + " frame_units, p.size_class <> 'small' AS take_all,"
                + " pmod(xxhash64(p.bin, y.year, %d), 1000003) / 1000003.0D AS key,"
                + " pmod(xxhash64(p.bin, y.year, %d, 'r'), 1000003) / 1000003.0D AS rkey"
                + " FROM syn_pop p CROSS JOIN (SELECT explode(array(%s)) AS year) y),"
                + " s AS (SELECT *, CASE WHEN take_all THEN frame_units ELSE least(frame_units,"
                + " greatest(2L, CAST(round(%s * frame_units) AS BIGINT))) END AS sample_units,"
                + " row_number() OVER (PARTITION BY year, stratum ORDER BY key, bin) AS rk FROM f)"
                + " SELECT *, rkey < %s AS responds FROM s WHERE rk <= sample_units",
            seed,
            seed,
            String.join(", ", ys),
            Double.toString(rate),
            Double.toString(response));
    return spark.sql(q).drop("key", "rkey", "rk");
  }
}
