package kz.stat.ictstat.disclosure;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.UUID;
import kz.stat.ictstat.estimation.EstimationQuery;
import kz.stat.ictstat.survey.Domain;
import kz.stat.ictstat.survey.Indicator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The two largest weighted contributions x₁ ≥ x₂ (w_k·y_k, in absolute value) and their total T = Σ
 * w_k·y_k of every magnitude cell (indicator of kind total × domain cell × year), for the dominance
 * and p % rules. One Spark job: each respondent is exploded into its (indicator, domain cell)
 * pairs, ranked within the cell by a window, and the top two kept; only the per-cell aggregate (a
 * few hundred rows per year) reaches the driver.
 */
public final class TopContributions {
  private TopContributions() {}

  /**
   * @param units one row per respondent: year, bin, final_weight, the domain variables and the
   *     items the indicators use
   * @return year, indicator, domain_type, domain_code, top1, top2, total
   */
  public static Dataset<Row> compute(
      SparkSession spark, Dataset<Row> units, List<Indicator> magnitude, List<Domain> domains) {
    String view = "top_units_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    units.createOrReplaceTempView(view);
    StringBuilder inds = new StringBuilder("array(");
    for (int i = 0; i < magnitude.size(); i++) {
      Indicator ind = magnitude.get(i);
      if (i > 0) inds.append(", ");
      String v = ind.numeratorSql();
      if (ind.population() != null) v = "CASE WHEN (" + ind.population() + ") THEN " + v + " END";
      inds.append("named_struct('indicator', '")
          .append(ind.id().replace("'", "''"))
          .append("', 'v', CAST(")
          .append(v)
          .append(" AS DOUBLE))");
    }
    inds.append(")");
    StringBuilder doms = new StringBuilder("array(");
    for (int i = 0; i < domains.size(); i++) {
      Domain d = domains.get(i);
      if (i > 0) doms.append(", ");
      String code =
          d.by().isEmpty()
              ? "'" + EstimationQuery.TOTAL_CODE + "'"
              : "concat_ws('|', " + String.join(", ", d.by()) + ")";
      doms.append("named_struct('domain_type', '")
          .append(d.id())
          .append("', 'domain_code', ")
          .append(code)
          .append(")");
    }
    doms.append(")");
    String sql =
        "SELECT CAST(year AS INT) AS year, bin, ind.indicator AS indicator,"
            + " dom.domain_type AS domain_type, dom.domain_code AS domain_code,"
            + " final_weight * ind.v AS contrib FROM "
            + view
            + " LATERAL VIEW explode("
            + inds
            + ") i AS ind LATERAL VIEW explode("
            + doms
            + ") d AS dom WHERE ind.v IS NOT NULL AND ind.v <> 0";
    Dataset<Row> c = spark.sql(sql);
    WindowSpec cell = Window.partitionBy("year", "indicator", "domain_type", "domain_code");
    Dataset<Row> ranked =
        c.withColumn("rn", row_number().over(cell.orderBy(abs(col("contrib")).desc(), col("bin"))))
            .withColumn("total", sum(col("contrib")).over(cell))
            .where(col("rn").leq(2));
    return ranked
        .groupBy("year", "indicator", "domain_type", "domain_code")
        .agg(
            sum(when(col("rn").equalTo(1), abs(col("contrib")).cast("double")).otherwise(0.0))
                .as("top1"),
            sum(when(col("rn").equalTo(2), abs(col("contrib")).cast("double")).otherwise(0.0))
                .as("top2"),
            max(col("total")).cast("double").as("total"));
  }
}
