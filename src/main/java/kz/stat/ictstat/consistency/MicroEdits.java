package kz.stat.ictstat.consistency;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.survey.Item;
import kz.stat.ictstat.survey.ItemType;
import kz.stat.ictstat.survey.SurveyDefinitions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Micro-editing over time of units that responded in two consecutive years (METHODS.md "Editing and
 * time-series consistency"). Results go to {@code core.edit_flags} (year, bin, item, method, score,
 * flagged, reason) and {@code core.edit_transitions}.
 *
 * <h2>Hidiroglou–Berthelot (method {@code hb})</h2>
 *
 * For a continuous item with y_t > 0 and y_{t−1} > 0: r_k = y_t / y_{t−1}; r_med the median of r in
 * the group; s_k = 1 − r_med / r_k if r_k &lt; r_med, else r_k / r_med − 1; E_k = s_k · max(y_t,
 * y_{t−1})^U. With the quartiles E_Q1, E_M, E_Q3 of the group (exact, linear interpolation as R's
 * default quantile type 7): d_Q1 = max(E_M − E_Q1, |A·E_M|), d_Q3 = max(E_Q3 − E_M, |A·E_M|);
 * outlier if E_k &lt; E_M − C·d_Q1 or E_k &gt; E_M + C·d_Q3. Groups are the strata of year t; a
 * stratum with fewer than {@code min_group} pairs is pooled by {@code fallback_group_by}. score =
 * E_k. The groups, ratios, E and quartiles are computed per year and item in Java ({@link
 * HbScores}), the interval and the reason in SQL.
 *
 * <h2>Selective editing (method {@code selective})</h2>
 *
 * score_k = w_k · |y_k,t − y_k,t−1| / T̂_t, with w_k the final weight of year t and T̂_t = Σ w y
 * the weighted total of the item over all respondents of year t: the share of the published total
 * the unit's change represents. Flagged above {@code threshold}; rank by score for follow-up.
 *
 * <h2>Transitions (method {@code transition})</h2>
 *
 * For binary items: the table of (y_{t−1} → y_t) over panel units, counts and weighted counts
 * ({@code core.edit_transitions}); units making a transition listed in {@code flag} (e.g. 1-&gt;0)
 * are written to {@code core.edit_flags} with score = their weight.
 */
public final class MicroEdits {
  private MicroEdits() {}

  /**
   * The two outputs, computed from the panel of unit pairs, which stays cached until {@link
   * #close()}.
   */
  public record Output(Dataset<Row> flags, Dataset<Row> transitions, Dataset<Row> panel)
      implements AutoCloseable {
    @Override
    public void close() {
      panel.unpersist();
    }
  }

  /** Checks that the configured items exist and have the right type. */
  public static void validate(SurveyDefinitions survey, ConsistencyConfig conf) {
    List<String> problems = new ArrayList<>();
    Set<String> continuous = new LinkedHashSet<>(conf.hb().items());
    continuous.addAll(conf.selective().items());
    for (String id : continuous) {
      Item it = survey.items().get(id);
      if (it == null || (it.type() != ItemType.COUNT && it.type() != ItemType.AMOUNT)) {
        problems.add(
            "'"
                + id
                + "' is "
                + (it == null ? "not an item of items.yaml" : "of type " + it.type())
                + "; Hidiroglou-Berthelot and selective editing need count or amount items");
      }
    }
    for (String id : conf.transitions().items()) {
      Item it = survey.items().get(id);
      if (it == null || it.type() != ItemType.BINARY) {
        problems.add(
            "transitions item '"
                + id
                + "' is "
                + (it == null ? "not an item of items.yaml" : "of type " + it.type())
                + "; use binary items");
      }
    }
    if (!problems.isEmpty()) {
      throw IctstatException.usage(
          "conf/editing.yaml: " + String.join("; ", problems), "fix the item lists");
    }
  }

  /**
   * @param units one row per respondent and year (years first − 1 … last): year, bin, stratum, the
   *     fallback grouping variables, w (final weight, may be null) and the configured items
   * @param firstYear the first year t to check (its year t − 1 must be among the units)
   */
  public static Output run(
      SparkSession spark, Dataset<Row> units, ConsistencyConfig conf, int firstYear) {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    String v = "me_units_" + id;
    units.createOrReplaceTempView(v);
    ConsistencyConfig.HbParams hb = conf.hb();
    Set<String> continuous = new LinkedHashSet<>(hb.items());
    continuous.addAll(conf.selective().items());
    Set<String> all = new LinkedHashSet<>(continuous);
    all.addAll(conf.transitions().items());
    // the panel: one row per unit and year t present in t - 1 too, every item of both years;
    // cached, since the three methods read it
    StringBuilder pq = new StringBuilder("SELECT c.year, c.bin, c.stratum, ");
    pq.append(
            hb.fallbackBy().isEmpty()
                ? "'all'"
                : "concat_ws('|', "
                    + String.join(", ", hb.fallbackBy().stream().map(x -> "c." + x).toList())
                    + ")")
        .append(" AS pool, CAST(c.w AS DOUBLE) AS w");
    for (String item : all) {
      pq.append(", c.").append(item).append(" AS c_").append(item);
      pq.append(", p.").append(item).append(" AS p_").append(item);
    }
    pq.append(" FROM ")
        .append(v)
        .append(" c JOIN ")
        .append(v)
        .append(" p ON p.bin = c.bin AND p.year = c.year - 1 WHERE c.year >= ")
        .append(firstYear);
    Dataset<Row> panel = spark.sql(pq.toString()).persist(StorageLevel.MEMORY_AND_DISK());
    String pv = "me_panel_" + id;
    panel.createOrReplaceTempView(pv);

    StringBuilder q = new StringBuilder();
    q.append("SELECT year, bin, stratum, pool, w, inline(array(");
    int i = 0;
    for (String item : continuous) {
      if (i++ > 0) q.append(", ");
      q.append("named_struct('item', '")
          .append(item)
          .append("', 'hb', ")
          .append(hb.items().contains(item))
          .append(", 'sel', ")
          .append(conf.selective().items().contains(item))
          .append(", 'y', CAST(c_")
          .append(item)
          .append(" AS DOUBLE), 'yp', CAST(p_")
          .append(item)
          .append(" AS DOUBLE))");
    }
    q.append(")) FROM ").append(pv);
    Dataset<Row> pairs = spark.sql(q.toString());
    String pairsView = "me_pairs_" + id;
    pairs.createOrReplaceTempView(pairsView);
    // Hidiroglou-Berthelot: groups, ratios, E and quartiles in Java (HbScores), per year and item
    String hv = "me_hb_" + id;
    pairs
        .where("hb AND y > 0 AND yp > 0")
        .select("year", "bin", "stratum", "pool", "item", "y", "yp")
        .repartition(col("year"), col("item"))
        .sortWithinPartitions("year", "item")
        .mapPartitions(new HbScores(hb.minGroup(), hb.u()), Encoders.row(HbScores.SCHEMA))
        .createOrReplaceTempView(hv);
    q = new StringBuilder();
    q.append("WITH hd AS (SELECT *, greatest(e_m - e_q1, abs(")
        .append(num(hb.a()))
        .append(" * e_m)) AS d_q1, greatest(e_q3 - e_m, abs(")
        .append(num(hb.a()))
        .append(" * e_m)) AS d_q3 FROM ")
        .append(hv)
        .append("),\n");
    q.append("hb_out AS (SELECT year, bin, item, 'hb' AS method, e AS score,")
        .append(" (e < e_m - ")
        .append(num(hb.c()))
        .append(" * d_q1 OR e > e_m + ")
        .append(num(hb.c()))
        .append(" * d_q3) AS flagged,")
        .append(" concat('ratio ', format_number(r, 3), ' (', format_number(yp, 0), ' -> ',")
        .append(" format_number(y, 0), ') vs median ', format_number(r_med, 3), ' in ', grp,")
        .append(" ' (', n_grp, ' units); E ', format_number(e, 2), ' outside [',")
        .append(" format_number(e_m - ")
        .append(num(hb.c()))
        .append(" * d_q1, 2), ', ', format_number(e_m + ")
        .append(num(hb.c()))
        .append(" * d_q3, 2), ']') AS reason FROM hd),\n");
    // selective editing
    q.append("tot AS (SELECT year, item, sum(w * y) AS t_hat FROM (SELECT year, CAST(w AS DOUBLE)")
        .append(" AS w, inline(array(");
    i = 0;
    for (String item : conf.selective().items()) {
      if (i++ > 0) q.append(", ");
      q.append("named_struct('item', '")
          .append(item)
          .append("', 'y', CAST(")
          .append(item)
          .append(" AS DOUBLE))");
    }
    q.append(")) FROM ")
        .append(v)
        .append(" WHERE year >= ")
        .append(firstYear)
        .append(") GROUP BY year, item),\n");
    q.append("sel_out AS (SELECT p.year, p.bin, p.item, 'selective' AS method,")
        .append(" p.w * abs(p.y - p.yp) / t.t_hat AS score,")
        .append(" p.w * abs(p.y - p.yp) / t.t_hat > ")
        .append(num(conf.selective().threshold()))
        .append(" AS flagged,")
        .append(" concat('weight ', format_number(p.w, 1), ' x |', format_number(p.y, 0), ' - ',")
        .append(" format_number(p.yp, 0), '| = ', format_number(p.w * abs(p.y - p.yp), 0),")
        .append(" ' of total ', format_number(t.t_hat, 0)) AS reason")
        .append(" FROM " + pairsView + " p JOIN tot t ON p.year = t.year AND p.item = t.item")
        .append(" WHERE p.sel AND p.w IS NOT NULL AND p.y IS NOT NULL AND p.yp IS NOT NULL")
        .append(" AND t.t_hat > 0)\n");
    q.append("SELECT CAST(year AS INT) AS year, bin, item, method, score,")
        .append(" coalesce(flagged, false) AS flagged, CASE WHEN flagged THEN reason END AS reason")
        .append(" FROM (SELECT * FROM hb_out UNION ALL SELECT * FROM sel_out)");
    Dataset<Row> flags = spark.sql(q.toString());

    Dataset<Row> transitions;
    Dataset<Row> transitionFlags;
    if (conf.transitions().items().isEmpty()) {
      transitions = null;
      transitionFlags = null;
    } else {
      StringBuilder t = new StringBuilder();
      t.append("SELECT year, bin, w, inline(array(");
      i = 0;
      for (String item : conf.transitions().items()) {
        if (i++ > 0) t.append(", ");
        t.append("named_struct('item', '")
            .append(item)
            .append("', 'tr', concat(CAST(p_")
            .append(item)
            .append(" AS INT), '->', CAST(c_")
            .append(item)
            .append(" AS INT)))");
      }
      t.append(")) FROM ").append(pv);
      String tv = "me_tr_" + id;
      spark.sql(t.toString()).where("tr IS NOT NULL").createOrReplaceTempView(tv);
      transitions =
          spark.sql(
              "SELECT CAST(year AS INT) AS year, item, tr AS transition, count(*) AS units,"
                  + " sum(w) AS weighted_units, count(*) / sum(count(*)) OVER (PARTITION BY year,"
                  + " item, substr(tr, 1, 1)) AS share_of_from FROM "
                  + tv
                  + " GROUP BY year, item, tr");
      String list =
          conf.transitions().flag().isEmpty()
              ? "''"
              : String.join(
                  ", ", conf.transitions().flag().stream().map(x -> "'" + x + "'").toList());
      transitionFlags =
          spark.sql(
              "SELECT CAST(year AS INT) AS year, bin, item, 'transition' AS method, w AS score,"
                  + " true AS flagged, concat('transition ', tr, ' (last year ', substr(tr, 1, 1),"
                  + " ', this year ', substr(tr, 4, 1), ')') AS reason FROM "
                  + tv
                  + " WHERE tr IN ("
                  + list
                  + ")");
      if (!conf.transitions().flag().isEmpty()) flags = flags.unionByName(transitionFlags);
    }
    return new Output(flags, transitions, panel);
  }

  private static String num(double d) {
    return String.format(Locale.ROOT, "%sD", Double.toString(d));
  }
}
