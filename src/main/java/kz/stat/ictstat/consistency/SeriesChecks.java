package kz.stat.ictstat.consistency;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Macro checks on the published series (METHODS.md "Macro checks"): for every series (indicator ×
 * domain_type × domain_code) of {@code pub.estimates} and every year t whose year t − 1 is also
 * estimated:
 *
 * <ul>
 *   <li>change d_t = est_t − est_{t−1} and its standard error. <b>Approximation</b>: se(d) =
 *       sqrt(se_t² + se_{t−1}²), i.e. the two estimates treated as independent. In this design the
 *       take-all strata (medium, large) have no sampling variance (f_h = 1) and so add nothing to
 *       either variance nor to the covariance; the covariance comes from the small units kept in
 *       both samples by the permanent random numbers, whose values are positively correlated over
 *       time, so Cov(est_t, est_{t−1}) ≥ 0 and the independence formula <b>overstates</b> se(d): z
 *       = d / se(d) is conservative (fewer changes called significant than with the covariance
 *       term).
 *   <li>z_t = d_t / se(d_t); significant if |z| > z_threshold, or if se(d) = 0 and d ≠ 0 (a series
 *       from take-all strata only has no sampling error, so every change is real).
 *   <li>robust score of the change against the series' own changes: r_t = (d_t − med(d)) / (1.4826
 *       MAD(d)), median and MAD over the changes of the series that do not cross a break; unusual
 *       if |r_t| > robust_threshold (with MAD = 0, any d_t ≠ med(d)); only for series with at least
 *       min_changes such changes.
 *   <li>flag_break: the change crosses a break of the registry ({@link Breaks}); reason {@code
 *       b:<id>}. flag_outlier: unusual <b>and</b> significant, not at a break (a jump at a break is
 *       reported in reasons as {@code jump_at_break}).
 * </ul>
 *
 * Everything is window functions over the series; nothing is collected.
 */
public final class SeriesChecks {
  private SeriesChecks() {}

  /** The columns of {@code pub.series_checks}, in order. */
  public static final List<String> COLUMNS =
      List.of(
          "year",
          "indicator",
          "domain_type",
          "domain_code",
          "estimate",
          "prev_estimate",
          "change",
          "se_change",
          "z",
          "flag_break",
          "flag_outlier",
          "reasons");

  /**
   * @param estimates rows shaped like {@code pub.estimates} (year, indicator, domain_type,
   *     domain_code, estimate, se at least)
   */
  public static Dataset<Row> run(
      SparkSession spark, Dataset<Row> estimates, Breaks breaks, ConsistencyConfig.SeriesParams p) {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    String vEst = "sc_est_" + id;
    String vRules = "sc_rules_" + id;
    estimates.createOrReplaceTempView(vEst);
    breaks.rulesFrame(spark).createOrReplaceTempView(vRules);
    String series = "PARTITION BY indicator, domain_type, domain_code";
    String q =
        String.format(
            Locale.ROOT,
            "WITH s AS (SELECT CAST(year AS INT) AS year, indicator, domain_type, domain_code,"
                + " CAST(estimate AS DOUBLE) AS estimate, CAST(se AS DOUBLE) AS se,"
                + " lag(CAST(year AS INT)) OVER (%1$s ORDER BY year) AS prev_year,"
                + " lag(CAST(estimate AS DOUBLE)) OVER (%1$s ORDER BY year) AS prev_estimate,"
                + " lag(CAST(se AS DOUBLE)) OVER (%1$s ORDER BY year) AS prev_se"
                + " FROM %2$s WHERE estimate IS NOT NULL),\n"
                + "c AS (SELECT *, prev_year = year - 1 AS consecutive FROM s),\n"
                + "d AS (SELECT year, indicator, domain_type, domain_code, estimate,"
                + " CASE WHEN consecutive THEN prev_estimate END AS prev_estimate,"
                + " CASE WHEN consecutive THEN estimate - prev_estimate END AS change,"
                + " CASE WHEN consecutive THEN sqrt(se * se + prev_se * prev_se) END AS se_change,"
                + " prev_year FROM c),\n"
                // breaks crossed: one row per series and year, with the ids
                + "b AS (SELECT d.year, d.indicator, d.domain_type, d.domain_code,"
                + " array_sort(collect_set(r.break_id)) AS break_ids FROM d JOIN %3$s r"
                + " ON d.year = r.year AND d.change IS NOT NULL"
                + " AND (r.indicator IS NULL OR r.indicator = d.indicator)"
                + " AND (r.domain_type IS NULL OR r.domain_type = d.domain_type)"
                + " AND (r.code IS NULL OR element_at(split(d.domain_code, '[|]'), r.pos) = r.code)"
                + " GROUP BY d.year, d.indicator, d.domain_type, d.domain_code),\n"
                + "j AS (SELECT d.*, coalesce(b.break_ids, array()) AS break_ids,"
                + " size(coalesce(b.break_ids, array())) > 0 AS flag_break"
                + " FROM d LEFT JOIN b ON d.year = b.year AND d.indicator = b.indicator"
                + " AND d.domain_type = b.domain_type AND d.domain_code = b.domain_code),\n"
                + "m AS (SELECT *, CASE WHEN NOT flag_break THEN change END AS dd FROM j),\n"
                + "med AS (SELECT *, percentile(dd, 0.5) OVER (%1$s) AS d_med,"
                + " count(dd) OVER (%1$s) AS n_changes FROM m),\n"
                + "mad AS (SELECT *, 1.4826D * percentile(abs(dd - d_med), 0.5) OVER (%1$s) AS"
                + " d_scale FROM med),\n"
                + "z AS (SELECT *, CASE WHEN se_change > 0 THEN change / se_change END AS z,"
                + " CASE WHEN change IS NULL OR n_changes < %4$d THEN NULL"
                + " WHEN d_scale > 0 THEN (change - d_med) / d_scale"
                + " WHEN change = d_med THEN 0.0D"
                + " ELSE CAST('Infinity' AS DOUBLE) * signum(change - d_med) END AS rz FROM mad),\n"
                + "f AS (SELECT *,"
                + " abs(rz) > %6$s AS unusual,"
                + " CASE WHEN change IS NULL THEN false WHEN se_change IS NULL THEN true"
                + " WHEN se_change = 0 THEN change <> 0 ELSE abs(change / se_change) > %5$s END"
                + " AS significant FROM z)\n"
                + "SELECT year, indicator, domain_type, domain_code, estimate, prev_estimate,"
                + " change, se_change, z, flag_break,"
                + " coalesce(NOT flag_break AND unusual AND significant, false) AS flag_outlier,"
                + " concat_ws('; ',"
                + " transform(break_ids, x -> concat('b:', x)),"
                + " CASE WHEN coalesce(unusual AND significant, false) THEN concat("
                + "   CASE WHEN flag_break THEN 'jump_at_break' ELSE 'outlier' END,"
                + "   ': change ', format_number(change, 4), ' vs median ', format_number(d_med, 4),"
                + "   ', robust score ', CASE WHEN isnan(rz) OR abs(rz) = CAST('Infinity' AS DOUBLE)"
                + "   THEN 'inf (MAD 0)' ELSE format_number(rz, 1) END,"
                + "   CASE WHEN se_change IS NULL THEN ', se unavailable'"
                + "   WHEN se_change = 0 THEN ', no sampling error'"
                + "   ELSE concat(', z ', format_number(change / se_change, 1)) END) END,"
                + " CASE WHEN change IS NOT NULL AND significant AND se_change > 0"
                + "   AND NOT coalesce(unusual, false) THEN concat('significant: z ',"
                + "   format_number(change / se_change, 1)) END,"
                + " CASE WHEN prev_year IS NOT NULL AND prev_year < year - 1 THEN"
                + "   concat('gap: previous estimate ', prev_year) END"
                + ") AS reasons FROM f",
            series,
            vEst,
            vRules,
            p.minChanges(),
            Double.toString(p.zThreshold()),
            Double.toString(p.robustThreshold()));
    return spark.sql(q);
  }
}
