package kz.stat.ictstat.consistency;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Checks micro-editing ({@code core.edit_flags}) against a log of injected errors (columns year,
 * bin, item, error_type), as the synthetic generator writes it.
 *
 * <ul>
 *   <li>Recall per error type: an injected record (year, BIN, error type) is found when the unit
 *       has a flagged row of method {@code hb} or {@code selective} in that year on one of the
 *       items the error touched. Only error types touching an edited item are reported.
 *   <li>Precision side, per method: the flagged (year, BIN, item) rows split into those explained
 *       by an injected error on the item that year ({@code injected}), by one on the item the year
 *       before ({@code echo}: the value returns to normal, so the ratio jumps back), by another
 *       injected error of the unit in either year ({@code other_error}), and the rest ({@code
 *       clean}): flags on records nobody corrupted, the cost of the editing for the follow-up.
 * </ul>
 */
public final class AnomalyRecall {
  private AnomalyRecall() {}

  /** Recall of one error type: injected records, found by any method, by HB, by selective. */
  public record TypeRecall(
      String errorType, long injected, long found, long byHb, long bySelective) {
    public double recall() {
      return injected == 0 ? 1.0 : (double) found / injected;
    }
  }

  /** The flags of one method, by what explains them. */
  public record MethodFlags(
      String method, long flagged, long injected, long echo, long otherError, long clean) {}

  /** The outcome. */
  public record Result(List<TypeRecall> byType, List<MethodFlags> byMethod, long checks) {
    public String render() {
      StringBuilder b = new StringBuilder();
      b.append(
          String.format(
              Locale.ROOT,
              "%-34s %9s %9s %9s %9s %8s%n",
              "error type (records)",
              "injected",
              "found",
              "by hb",
              "by sel.",
              "recall"));
      for (TypeRecall t : byType) {
        b.append(
            String.format(
                Locale.ROOT,
                "%-34s %9d %9d %9d %9d %7.1f%%%n",
                t.errorType(),
                t.injected(),
                t.found(),
                t.byHb(),
                t.bySelective(),
                100 * t.recall()));
      }
      b.append(
          String.format(
              Locale.ROOT,
              "%nflagged rows of %d unit x item checks, by what explains them%n"
                  + "%-10s %9s %9s %9s %12s %9s%n",
              checks,
              "method",
              "flagged",
              "injected",
              "echo",
              "other error",
              "clean"));
      for (MethodFlags m : byMethod) {
        b.append(
            String.format(
                Locale.ROOT,
                "%-10s %9d %9d %9d %12d %9d%n",
                m.method(),
                m.flagged(),
                m.injected(),
                m.echo(),
                m.otherError(),
                m.clean()));
      }
      return b.toString();
    }
  }

  /**
   * @param errorLog year, bin, item, error_type (one row per injected error and item)
   * @param flags core.edit_flags of the years to judge
   * @param items the items micro-editing checks (HB and selective editing)
   */
  public static Result run(Dataset<Row> errorLog, Dataset<Row> flags, Set<String> items) {
    SparkSession spark = flags.sparkSession();
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    String log = "ar_log_" + id;
    String fl = "ar_flags_" + id;
    errorLog
        .selectExpr(
            "CAST(year AS INT) AS year",
            "CAST(bin AS STRING) AS bin",
            "lower(trim(item)) AS item",
            "error_type")
        .createOrReplaceTempView(log);
    flags
        .where("method IN ('hb', 'selective')")
        .selectExpr("year", "bin", "item", "method", "flagged")
        .createOrReplaceTempView(fl);
    String inItems =
        String.join(", ", items.stream().map(i -> "'" + i.replace("'", "") + "'").toList());
    // recall: one row per injected record and error type touching an edited item
    List<TypeRecall> byType = new ArrayList<>();
    for (Row r :
        spark
            .sql(
                "WITH e AS (SELECT DISTINCT year, bin, item, error_type FROM "
                    + log
                    + " WHERE item IN ("
                    + inItems
                    + ")), m AS (SELECT e.year, e.bin, e.error_type,"
                    + " max(f.method = 'hb') AS hb, max(f.method = 'selective') AS sel FROM e"
                    + " LEFT JOIN "
                    + fl
                    + " f ON f.year = e.year AND f.bin = e.bin AND f.item = e.item AND f.flagged"
                    + " GROUP BY e.year, e.bin, e.error_type)"
                    + " SELECT error_type, count(*), count_if(coalesce(hb, false) OR"
                    + " coalesce(sel, false)), count_if(coalesce(hb, false)),"
                    + " count_if(coalesce(sel, false)) FROM m GROUP BY error_type"
                    + " ORDER BY error_type")
            .collectAsList()) {
      byType.add(
          new TypeRecall(r.getString(0), r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4)));
    }
    // precision side
    List<MethodFlags> byMethod = new ArrayList<>();
    for (Row r :
        spark
            .sql(
                "WITH u AS (SELECT DISTINCT year, bin FROM "
                    + log
                    + "), i AS (SELECT DISTINCT year, bin, item FROM "
                    + log
                    + "), c AS (SELECT f.method, CASE"
                    + " WHEN EXISTS (SELECT 1 FROM i WHERE i.year = f.year AND i.bin = f.bin"
                    + " AND i.item = f.item) THEN 'injected'"
                    + " WHEN EXISTS (SELECT 1 FROM i WHERE i.year = f.year - 1 AND i.bin = f.bin"
                    + " AND i.item = f.item) THEN 'echo'"
                    + " WHEN EXISTS (SELECT 1 FROM u WHERE u.bin = f.bin"
                    + " AND u.year IN (f.year, f.year - 1)) THEN 'other_error'"
                    + " ELSE 'clean' END AS why FROM "
                    + fl
                    + " f WHERE f.flagged)"
                    + " SELECT method, count(*), count_if(why = 'injected'), count_if(why = 'echo'),"
                    + " count_if(why = 'other_error'), count_if(why = 'clean') FROM c"
                    + " GROUP BY method ORDER BY method")
            .collectAsList()) {
      byMethod.add(
          new MethodFlags(
              r.getString(0),
              r.getLong(1),
              r.getLong(2),
              r.getLong(3),
              r.getLong(4),
              r.getLong(5)));
    }
    long checks = spark.table(fl).count();
    return new Result(List.copyOf(byType), List.copyOf(byMethod), checks);
  }
}
