package kz.stat.ictstat.estimation;

import static org.apache.spark.sql.functions.col;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.survey.Domain;
import kz.stat.ictstat.survey.Indicator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The one-pass estimator: every indicator × domain × year from unit-level data in a single Spark
 * query (one job when written).
 *
 * <h2>Method (METHODS.md)</h2>
 *
 * Per unit k and indicator i: y_k = numerator, x_k = denominator (1 for shares, employees for
 * employment shares, 0 for totals), both 0 outside the indicator's population and in years where it
 * is not available; a unit of the population with a missing value has y = x = 0 and is counted in
 * the flag {@code item_missing}. With w_k the final weight and t_k = w_k y_k, s_k = w_k x_k:
 *
 * <ul>
 *   <li>Ŷ_d = Σ t_k δ_dk, X̂_d = Σ s_k δ_dk; totals and counts publish Ŷ_d; shares and ratios R̂_d
 *       = Ŷ_d / X̂_d (× publishScale).
 *   <li>Variance per variance group g (a stratum, or collapsed strata, see {@code
 *       weighting.VarianceGroups}) with n_g respondents and N_g frame units: V_g(v) = a_g Σ_{k∈g}
 *       (v_k − v̄_g)², a_g = (1 − n_g/N_g) n_g/(n_g − 1), v_k = t_k δ_dk over <b>all</b>
 *       respondents of g, zeros included for units outside the domain (zero extension). With w_k =
 *       N_h/r_h this is N_h² (1 − f_h) s²_h / r_h.
 *   <li>Totals: V(Ŷ_d) = Σ_g a_g S_g(t,t). Ratios (z_k = (y_k − R̂ x_k) δ_dk / X̂_d): V(R̂_d) = Σ_g
 *       a_g [S_g(t,t) − 2R̂ S_g(t,s) + R̂² S_g(s,s)] / X̂_d², with S_g(a,b) = Σ (a_k − ā)(b_k − b̄)
 *       over the group: the quadratic form in R̂ needs only sums per group and domain cell.
 *   <li>Numerical stability: sums are centred within the group — every t_k is shifted by C_g = Σ_g
 *       t / n_g, the group mean over all its respondents, before squaring; the n_g − m units of the
 *       group outside the domain cell (m units inside) contribute exactly (0 − C_g) each, which is
 *       added analytically, so only units with a value in the population are aggregated. A negative
 *       quadratic form from rounding (a ratio that is exactly constant) is set to 0.
 *   <li>One pass over the units: they are laid out by variance group (one shuffle) and each group's
 *       respondents become, in {@link GroupCells} (plain Java over arrays, two passes over the
 *       group: sums, then the sums centred at C_g), its contributions per indicator × domain cell
 *       of every domain type. The unit × indicator values never become rows, and the cost of more
 *       domains does not grow with the number of units. {@link DomainSums} (plain Java over the
 *       cells of a task) then sums the group contributions per domain cell.
 *   <li>Order (reproducibility): a sum of doubles depends on the order of its terms in the last
 *       bits, and Spark adds partial sums in the order tasks finish. So the units are laid out by
 *       variance group and sorted by BIN (a group's sums add its units in that order, its finest
 *       cells in the order of their codes), and the group contributions are laid out by domain cell
 *       and added per indicator in the order of their groups' codes. The estimates are identical
 *       bit for bit in local[1], local[n] and on a cluster, whatever the partitioning of the input
 *       (DeterminismTest, scripts/cluster-smoke.sh).
 *   <li>Design effect: V / V_srs with V_srs = N̂_d² (1 − n_d/N̂_d) S²_d / n_d, the variance of an
 *       SRS of the same n_d respondents from the domain's N̂_d units (S²_d the weighted variance of
 *       y, or of z for ratios, within the domain).
 *   <li>95 % CI: normal for totals and ratios; logit for shares (expit(logit p̂ ± 1.96 se /
 *       (p̂(1−p̂)))), and Clopper–Pearson with n = n_resp at p̂ = 0 or 1, so that it stays in [0,
 *       100].
 * </ul>
 */
public final class EstimationQuery {
  private EstimationQuery() {}

  static final double Z = 1.959963984540054;

  /** The columns of {@code pub.estimates}, in order. */
  public static final List<String> COLUMNS =
      List.of(
          "year",
          "indicator",
          "domain_type",
          "domain_code",
          "estimate",
          "se",
          "rse",
          "ci_low",
          "ci_high",
          "deff",
          "n_resp",
          "n_nonzero",
          "flags");

  /** Domain code of the national total. */
  public static final String TOTAL_CODE = "_T";

  /** Domain code of a unit whose domain variable is unknown. */
  public static final String UNKNOWN_CODE = "_U";

  /**
   * Builds the estimates.
   *
   * @param units one row per respondent: year, stratum, final_weight, the domain variables
   *     (Domain.VARIABLES and any other the domains use) and the items the indicators use
   * @param design {@code core.design} rows of the same years (stratum, frame_units, resp_units,
   *     var_group, …)
   */
  public static Dataset<Row> estimates(
      SparkSession spark,
      Dataset<Row> units,
      Dataset<Row> design,
      List<Indicator> indicators,
      List<Domain> domains) {
    return estimates(spark, units, design, indicators, domains, null);
  }

  /**
   * Builds the estimates; the SEs of the years of {@code greg} (may be null) from the calibration
   * residuals ({@link GregVariance}), for which the units also carry nr_weight (the weight before
   * calibration) and frame_employees (the employment the calibration used).
   */
  static Dataset<Row> estimates(
      SparkSession spark,
      Dataset<Row> units,
      Dataset<Row> design,
      List<Indicator> indicators,
      List<Domain> domains,
      GregVariance.Model greg) {
    if (indicators.isEmpty() || domains.isEmpty()) {
      throw IctstatException.usage(
          "no indicators or no domains to estimate",
          "define them in conf/indicators.yaml and conf/domains.yaml");
    }
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    String vUnits = "est_units_" + id;
    String vDesign = "est_design_" + id;
    units.createOrReplaceTempView(vUnits);
    design.createOrReplaceTempView(vDesign);
    int partitions = Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions"));
    boolean calibrated = greg != null && !greg.years().isEmpty();
    Query query =
        new Query(vUnits, vDesign, indicators, domains, partitions, calibrated ? greg : null);
    String vSums = "est_sums_" + id;
    query
        .domainSums(query.groupCells(spark, GroupCells.Output.CONTRIBUTIONS, null))
        .createOrReplaceTempView(vSums);
    if (!calibrated) return spark.sql(query.estimates(vSums, null));
    Map<Integer, GregVariance.Basis> bases =
        GregVariance.bases(spark.sql(query.gregAux()).collectAsList(), greg);
    String vFine = "est_fine_" + id;
    query
        .groupCells(spark, GroupCells.Output.FINEST, greg.inYears())
        .createOrReplaceTempView(vFine);
    String vGreg = "est_greg_" + id;
    GregVariance.terms(spark, spark.sql(query.gregParts(vFine)), bases, query.vars())
        .createOrReplaceTempView(vGreg);
    return spark.sql(query.estimates(vSums, vGreg));
  }

  /**
   * The query text; {@code partitions}: the number of tasks the units are laid out into by variance
   * group (a fixed number: adaptive execution would otherwise coalesce the small units table into
   * one task, which then does all the work); {@code greg}: the calibrated years whose SEs use the
   * calibration residuals, or null.
   */
  record Query(
      String unitsView,
      String designView,
      List<Indicator> indicators,
      List<Domain> domains,
      int partitions,
      GregVariance.Model greg) {

    /**
     * keep (in the indicator's population and years), valid (answered), y and x of indicator i; y =
     * x = 0 where not answered.
     */
    String[] indicatorColumns(int i) {
      Indicator ind = indicators.get(i);
      String num = ind.numeratorSql();
      String den = ind.denominatorSql();
      String valid = ind.answeredSql();
      String keep = ind.inScopeSql("u.year");
      return new String[] {
        keep,
        valid,
        "CASE WHEN " + valid + " THEN CAST(" + num + " AS DOUBLE) ELSE 0.0D END",
        den == null
            ? "0.0D"
            : "CASE WHEN " + valid + " THEN CAST(" + den + " AS DOUBLE) ELSE 0.0D END"
      };
    }

    /**
     * The domain variables: those every unit carries ({@link Domain#VARIABLES}), then any other a
     * domain uses (a column of the units, such as the comparable-territory region).
     */
    List<String> vars() {
      java.util.LinkedHashSet<String> v = new java.util.LinkedHashSet<>(Domain.VARIABLES);
      for (Domain d : domains) v.addAll(d.by());
      return List.copyOf(v);
    }

    /**
     * The CTEs from the design to the units laid out by variance group and sorted by BIN ({@code
     * ug}), separated by ",".
     */
    String units() {
      StringBuilder q = new StringBuilder();
      // 1. variance groups: n_g, N_g, a_g (with the average-policy factor), lonely treatments.
      q.append(
              "WITH d AS (SELECT *, sum(CASE WHEN resp_units = 0 AND sample_units > 0 THEN 1 ELSE 0 END)")
          .append(" OVER (PARTITION BY year) AS strata_no_resp FROM ")
          .append(designView)
          .append("),\n");
      q.append("g AS (SELECT year, var_group, sum(resp_units) AS n_g, sum(frame_units) AS frame_g,")
          .append(" bit_or(CASE WHEN lonely_treatment IS NULL OR lonely_treatment = 'average'")
          .append(" THEN 0 WHEN lonely_treatment = 'certainty' THEN 1")
          .append(" WHEN lonely_treatment = 'collapse' THEN 2 ELSE 4 END) AS treat,")
          .append(" max(strata_no_resp) AS strata_no_resp,")
          .append(
              " max(CASE WHEN lonely AND lonely_treatment = 'average' THEN 1 ELSE 0 END) AS avg_lonely")
          .append(" FROM d WHERE resp_units > 0 GROUP BY year, var_group),\n");
      q.append("gs AS (SELECT d.year, d.stratum, g.var_group, g.n_g,")
          .append(" CASE WHEN g.n_g > 1 THEN (1.0D - CAST(g.n_g AS DOUBLE) / g.frame_g) * g.n_g")
          .append(" / (g.n_g - 1) ELSE 0.0D END AS a_g,")
          .append(" g.treat, g.avg_lonely, g.strata_no_resp")
          .append(" FROM d JOIN g ON d.year = g.year AND d.var_group = g.var_group),\n");
      // 2. the units, each with its variance group, laid out by group and sorted by unit: every
      // later sum of doubles then adds its terms in an order fixed by the data, not by the
      // partitioning of the input or by which task finishes first ("Order" in the class comment).
      q.append("ug AS (SELECT /*+ REPARTITION(")
          .append(partitions)
          .append(
              ", year, est_var_group) */ u.*, gs.var_group AS est_var_group, gs.n_g AS est_n_g,")
          .append(" gs.a_g AS est_a_g, gs.treat AS est_treat, gs.avg_lonely AS est_avg_lonely,")
          .append(" gs.strata_no_resp AS est_strata_no_resp FROM ")
          .append(unitsView)
          .append(" u JOIN gs ON u.year = gs.year AND u.stratum = gs.stratum")
          .append(" SORT BY year, est_var_group, bin)");
      return q.toString();
    }

    /**
     * The input of {@link GroupCells}: the units of {@link #units()} (of the years {@code where}, a
     * SQL condition) with their group's values, weights, domain variables and per indicator keep,
     * valid, y and x, in the order of {@link GroupCells#UNIT_COLUMNS}.
     */
    String unitValues(String where) {
      StringBuilder q = new StringBuilder(units());
      q.append(
              "\nSELECT CAST(u.year AS INT) AS year, CAST(u.est_var_group AS STRING) AS var_group,")
          .append(" CAST(u.est_n_g AS LONG) AS n_g, CAST(u.est_a_g AS DOUBLE) AS a_g,")
          .append(
              " CAST(u.est_treat AS INT) AS treat, CAST(u.est_avg_lonely AS INT) AS avg_lonely,")
          .append(" CAST(u.est_strata_no_resp AS LONG) AS strata_no_resp,")
          .append(" CAST(u.final_weight AS DOUBLE) AS w, ")
          .append(
              greg == null
                  ? "0.0D AS d, 0.0D AS e"
                  : "CAST(u.nr_weight AS DOUBLE) AS d,"
                      + " coalesce(CAST(u.frame_employees AS DOUBLE), 0.0D) AS e");
      for (String v : vars()) {
        q.append(", coalesce(CAST(u.")
            .append(v)
            .append(" AS STRING), '")
            .append(UNKNOWN_CODE)
            .append("') AS ")
            .append(v);
      }
      String[] names = {"k", "v", "y", "x"};
      for (int i = 0; i < indicators.size(); i++) {
        String[] f = indicatorColumns(i);
        for (int n = 0; n < names.length; n++) {
          q.append(",\n  ").append(f[n]).append(" AS ").append(names[n]).append(i);
        }
      }
      q.append("\n FROM ug u");
      if (where != null) q.append(" WHERE ").append(where);
      return q.toString();
    }

    /** The units' sums per group and cell ({@link GroupCells}). */
    Dataset<Row> groupCells(SparkSession spark, GroupCells.Output output, String where) {
      Map<Long, Domain> byGid = byGid();
      long[] gids = new long[byGid.size()];
      boolean[][] uses = new boolean[byGid.size()][];
      int k = 0;
      for (var e : byGid.entrySet()) {
        gids[k] = e.getKey();
        uses[k] = new boolean[vars().size()];
        for (int v = 0; v < uses[k].length; v++) {
          uses[k][v] = e.getValue().by().contains(vars().get(v));
        }
        k++;
      }
      GroupCells f = new GroupCells(output, vars().size(), indicators.size(), gids, uses);
      return spark
          .sql(unitValues(where))
          .mapPartitions(f, Encoders.row(GroupCells.schema(output, vars())));
    }

    /**
     * The sums per domain cell and indicator ({@link DomainSums}) from the group contributions of
     * {@link #groupCells}: laid out by domain cell, every cell in one task.
     */
    Dataset<Row> domainSums(Dataset<Row> contributions) {
      List<Column> cell = new java.util.ArrayList<>();
      cell.add(col("year"));
      cell.add(col("gid"));
      for (String v : vars()) cell.add(col(v));
      return contributions
          .repartition(cell.toArray(Column[]::new))
          .mapPartitions(new DomainSums(vars().size()), Encoders.row(DomainSums.schema(vars())));
    }

    /**
     * Domain types by gid = grouping_id() of their variables (bit i set if variable i is not used).
     */
    Map<Long, Domain> byGid() {
      List<String> vars = vars();
      Map<Long, Domain> byGid = new LinkedHashMap<>();
      for (Domain dom : domains) {
        byGid.putIfAbsent(gid(dom, vars), dom);
      }
      return byGid;
    }

    /**
     * {@code inline(...)} of a finest cell's copies, one per domain type: its domain cell (the
     * variables the domain type does not use set to NULL) and gid.
     */
    String copies() {
      StringBuilder q = new StringBuilder("inline(array(");
      boolean first = true;
      for (var e : byGid().entrySet()) {
        if (!first) q.append(",\n    ");
        first = false;
        q.append("named_struct('gid', ").append(e.getKey()).append("L");
        for (String v : vars()) {
          q.append(", '")
              .append(v)
              .append("', ")
              .append(e.getValue().by().contains(v) ? v : "CAST(NULL AS STRING)");
        }
        q.append(")");
      }
      return q.append("))").toString();
    }

    /** Per calibrated year × group × calibration cell: the sums of {@link GregVariance#auxSql}. */
    String gregAux() {
      String cell =
          GregVariance.cellSql(
              greg, v -> "coalesce(CAST(" + v + " AS STRING), '" + UNKNOWN_CODE + "')");
      return units()
          + ",\nga AS (SELECT year, est_var_group AS var_group, est_a_g AS a_g, est_n_g AS n_g,"
          + " CAST(nr_weight AS DOUBLE) AS d, CAST(final_weight AS DOUBLE) AS w,"
          + " coalesce(CAST(frame_employees AS DOUBLE), 0.0D) AS e, "
          + cell
          + " AS cell FROM ug WHERE "
          + greg.inYears()
          + ")\n"
          + GregVariance.auxSql("ga");
    }

    /**
     * The parts of every domain cell of the calibrated years: sums per group × indicator × domain
     * cell × calibration cell, from the finest cells ({@code fineView}: {@link #groupCells} with
     * {@link GroupCells.Output#FINEST} over the calibrated years).
     */
    String gregParts(String fineView) {
      String vars = String.join(", ", vars());
      String sums =
          GregVariance.FINE_COLUMNS.stream()
              .map(c -> "sum(" + c + ") AS " + c)
              .collect(Collectors.joining(", "));
      return "WITH gc AS (SELECT *, "
          + GregVariance.cellSql(greg, v -> v)
          + " AS cell FROM "
          + fineView
          + "),\n"
          + "gp AS (SELECT year, var_group, ind, cell, a_g, n_g, ty, tx, "
          + String.join(", ", GregVariance.FINE_COLUMNS)
          + ",\n  "
          + copies()
          + " FROM gc)\n"
          + "SELECT year, var_group, ind, gid, "
          + vars
          + ", cell, max(a_g) AS a_g, max(n_g) AS n_g, sum(ty) AS ty, sum(tx) AS tx, "
          + sums
          + " FROM gp GROUP BY year, var_group, ind, gid, "
          + vars
          + ", cell";
    }

    /**
     * The estimates from the sums per domain cell and indicator ({@code sumsView}: {@link
     * #domainSums}); {@code gregView}: the terms of {@link GregVariance#terms} (null without).
     */
    String estimates(String sumsView, String gregView) {
      List<String> vars = vars();
      Map<Long, Domain> byGid = byGid();
      StringBuilder q = new StringBuilder("WITH ");
      // average policy: lonely strata contribute the mean of the other strata of the domain cell,
      // V × H_d / (H_d − L_d) (as R survey, which counts the strata with a unit in the domain).
      // the calibration residual terms of calibrated years (GregVariance), 0 for the others.
      q.append("dom AS (SELECT dm.*, CASE WHEN l_d = 0 THEN 1.0D WHEN h_d > l_d")
          .append(" THEN CAST(h_d AS DOUBLE) / (h_d - l_d) END AS af");
      String[][] terms = {
        {"Ayy", "gyy"}, {"Axx", "gxx"}, {"Axy", "gxy"}, {"Ayy_mag", "gmy"}, {"Axx_mag", "gmx"}
      };
      for (String[] t : terms) {
        q.append(", ")
            .append(t[0])
            .append("0")
            .append(gregView == null ? "" : " + coalesce(r." + t[1] + ", 0.0D)")
            .append(" AS ")
            .append(t[0]);
      }
      q.append(" FROM ").append(sumsView).append(" dm");
      if (gregView != null) {
        q.append(" LEFT JOIN ")
            .append(gregView)
            .append(" r ON dm.year = r.year AND dm.ind = r.ind AND dm.gid = r.gid");
        for (String v : vars) q.append(" AND dm.").append(v).append(" <=> r.").append(v);
      }
      q.append("),\n");
      // 6. indicator metadata and domain codes.
      q.append("meta AS (SELECT * FROM VALUES ");
      for (int i = 0; i < indicators.size(); i++) {
        Indicator ind = indicators.get(i);
        if (i > 0) q.append(", ");
        q.append("(")
            .append(i)
            .append(", '")
            .append(ind.id().replace("'", "''"))
            .append("', ")
            .append(ind.kind().isRatio())
            .append(", ")
            .append(usesLogit(ind))
            .append(", CAST(")
            .append(scale(ind))
            .append(" AS DOUBLE))");
      }
      q.append(" AS meta(ind, indicator, is_ratio, is_share, scale)),\n");
      q.append("e AS (SELECT dom.*, meta.indicator, meta.is_ratio, meta.is_share, meta.scale,")
          .append(" CASE gid");
      for (var e : byGid.entrySet()) {
        q.append(" WHEN ").append(e.getKey()).append(" THEN '").append(e.getValue().id());
        q.append("'");
      }
      q.append(" END AS domain_type, CASE gid");
      for (var e : byGid.entrySet()) {
        Domain dom = e.getValue();
        q.append(" WHEN ")
            .append(e.getKey())
            .append(" THEN ")
            .append(
                dom.by().isEmpty()
                    ? "'" + TOTAL_CODE + "'"
                    : "concat_ws('|', " + String.join(", ", dom.by()) + ")");
      }
      q.append(" END AS domain_code,\n")
          .append(" CASE WHEN meta.is_ratio THEN try_divide(Y, X) ELSE Y END AS est0")
          .append(" FROM dom JOIN meta ON dom.ind = meta.ind),\n");
      // 7. variance, design effect, intervals.
      q.append("v AS (SELECT *, CASE WHEN est0 IS NULL THEN NULL WHEN is_ratio THEN")
          .append(
              " (Ayy - 2 * est0 * Axy + est0 * est0 * Axx) / (X * X) * af ELSE Ayy * af END AS var0,")
          .append(" CASE WHEN est0 IS NULL THEN NULL WHEN is_ratio THEN")
          .append(" (Ayy_mag + est0 * est0 * Axx_mag) / (X * X) ELSE Ayy_mag END AS var_mag,")
          // the SRS variance; undefined (NULL) where y (or z) has no spread in the domain, e.g. a
          // count, rather than a difference of rounding errors
          .append(" CASE WHEN est0 IS NULL OR nhat <= 1 OR n_resp < 1 THEN NULL WHEN is_ratio THEN")
          .append(" CASE WHEN wyy - 2 * est0 * wxy + est0 * est0 * wxx")
          .append(" > 1e-12 * (wyy + est0 * est0 * wxx) THEN")
          .append(" nhat * nhat * (1 - n_resp / nhat) / n_resp")
          .append(" * ((wyy - 2 * est0 * wxy + est0 * est0 * wxx) / (X * X)) / (nhat - 1) END")
          .append(" WHEN wyy - Y * Y / nhat > 1e-12 * wyy THEN nhat * nhat * (1 - n_resp / nhat)")
          .append(" / n_resp * (wyy - Y * Y / nhat) / (nhat - 1) END AS var_srs FROM e),\n");
      q.append("p AS (SELECT *, CASE WHEN var0 IS NULL THEN NULL")
          .append(" WHEN var0 <= 1e-13 * var_mag THEN 0.0D ELSE sqrt(var0) END AS se0 FROM v),\n");
      q.append("ci AS (SELECT *, is_share AND est0 >= 0 AND est0 <= 1 AS logit_ci,")
          .append(" CASE WHEN est0 > 0 AND est0 < 1 AND se0 > 0 THEN")
          .append(" ln(est0 / (1 - est0)) END AS lg,")
          .append(" CASE WHEN est0 > 0 AND est0 < 1 AND se0 > 0 THEN")
          .append(" " + Z + "D * se0 / (est0 * (1 - est0)) END AS hw FROM p)\n");
      q.append("SELECT CAST(year AS INT) AS year, indicator, domain_type, domain_code,")
          .append(" est0 * scale AS estimate, se0 * scale AS se,")
          .append(" CASE WHEN est0 <> 0 THEN 100 * se0 / abs(est0) END AS rse,")
          .append(" scale * CASE WHEN est0 IS NULL THEN NULL")
          .append(" WHEN NOT logit_ci THEN est0 - " + Z + "D * se0")
          .append(" WHEN est0 = 0 THEN 0.0D")
          .append(" WHEN est0 = 1 THEN pow(0.025D, 1.0D / n_resp)")
          .append(" WHEN se0 = 0 THEN est0")
          .append(" ELSE 1 / (1 + exp(-(lg - hw))) END AS ci_low,")
          .append(" scale * CASE WHEN est0 IS NULL THEN NULL")
          .append(" WHEN NOT logit_ci THEN est0 + " + Z + "D * se0")
          .append(" WHEN est0 = 0 THEN 1 - pow(0.025D, 1.0D / n_resp)")
          .append(" WHEN est0 = 1 THEN 1.0D")
          .append(" WHEN se0 = 0 THEN est0")
          .append(" ELSE 1 / (1 + exp(-(lg + hw))) END AS ci_high,")
          .append(" CASE WHEN var_srs > 0 THEN se0 * se0 / var_srs END AS deff,")
          .append(" CAST(n_resp AS LONG) AS n_resp, CAST(n_nonzero AS LONG) AS n_nonzero,")
          .append(" concat_ws(',',")
          .append(" CASE WHEN treats & 1 > 0 THEN 'lonely:certainty' END,")
          .append(" CASE WHEN treats & 2 > 0 THEN 'lonely:collapse' END,")
          .append(" CASE WHEN treats & 4 > 0 THEN 'lonely:certainty_no_neighbour' END,")
          .append(" CASE WHEN l_d > 0 THEN 'lonely:average' END,")
          .append(" CASE WHEN af IS NULL THEN 'se_unavailable' END,")
          .append(" CASE WHEN strata_no_resp > 0 THEN concat('strata_without_respondents:',")
          .append(" strata_no_resp) END,")
          .append(" CASE WHEN n_missing > 0 THEN concat('item_missing:', n_missing) END,")
          .append(" CASE WHEN est0 IS NULL THEN 'ratio_undefined' END,")
          .append(" CASE WHEN logit_ci AND (est0 = 0 OR est0 = 1) THEN 'ci_clopper_pearson' END,")
          .append(" CASE WHEN is_share AND NOT logit_ci AND est0 IS NOT NULL")
          .append(" THEN 'share_out_of_range' END")
          .append(") AS flags FROM ci");
      return q.toString();
    }
  }

  /** grouping_id() of a domain: bit i (from the left of the keys) set if the key is rolled up. */
  static long gid(Domain dom, List<String> vars) {
    // keys: year, var_group, ind, vars...; the first three are in every set.
    long id = 0;
    for (String v : vars) {
      id = (id << 1) | (dom.by().contains(v) ? 0 : 1);
    }
    return id;
  }

  /** Shares (bounded in [0, 1]) get a logit interval. */
  static boolean usesLogit(Indicator ind) {
    return ind.kind() == Indicator.Kind.SHARE
        || ind.kind() == Indicator.Kind.EMPLOYMENT_SHARE
        || (ind.kind() == Indicator.Kind.RATIO
            && "percent".equals(ind.unit() == null ? null : ind.unit().toLowerCase(Locale.ROOT)));
  }

  static double scale(Indicator ind) {
    return ind.publishScale() > 0 ? ind.publishScale() : 1.0;
  }
}
