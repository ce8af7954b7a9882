package kz.stat.ictstat.controls;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Checks the rules against a log of injected errors (columns bin, year, item, error_type), as the
 * synthetic generator writes it:
 *
 * <ul>
 *   <li>recall per error type: an injected error is caught when the same BIN and year failed a rule
 *       (of any severity) that involves the error's item (a rule involves the canonical items it
 *       names and those its helper columns are computed from; an error without item is caught by
 *       any failure of the record). Required: 100 % for every covered error type.
 *   <li>errors the controls cannot see are reported apart: in records that never reached them
 *       (quarantined at ingest, no response) and, when not caught, in records that also have an
 *       injected item non-response (the rule is then not applicable). Recall = caught / (caught +
 *       missed).
 *   <li>false fatals: records (year, BIN) absent from the error log that failed a fatal rule.
 *       Required: none.
 * </ul>
 */
public final class RecallCheck {
  private RecallCheck() {}

  /** The error type of an item left empty (normalised as in the log). */
  static final String ITEM_NONRESPONSE = "item_nonresponse";

  /**
   * Recall of one error type.
   *
   * @param notReached errors in records the controls never saw (quarantined at ingest, e.g. by a
   *     second error that broke the line, or not responding): not caught, not counted as missed
   * @param masked errors not caught in records that also have an injected item non-response (a
   *     missing value makes the rule not applicable): not counted as missed
   */
  public record TypeRecall(
      String errorType, boolean covered, long injected, long caught, long notReached, long masked) {
    /** Missed errors: in a controlled record, without item non-response, and not caught. */
    public long missed() {
      return injected - caught - notReached - masked;
    }

    /** caught / (caught + missed). */
    public double recall() {
      return caught + missed() == 0 ? 1.0 : (double) caught / (caught + missed());
    }
  }

  /**
   * The outcome.
   *
   * @param missed examples of covered errors not caught (year, bin, item, error_type)
   * @param falseFatal examples of clean records failing a fatal rule (year, bin, rule_id)
   */
  public record Result(
      List<TypeRecall> byType,
      long cleanRecords,
      long cleanFailingFatal,
      List<String> missed,
      List<String> falseFatal) {
    public boolean passed() {
      return cleanFailingFatal == 0
          && byType.stream().filter(TypeRecall::covered).allMatch(t -> t.missed() == 0);
    }

    public String render() {
      StringBuilder b = new StringBuilder();
      b.append(
          String.format(
              "%-36s %8s %9s %12s %8s %9s %8s%n",
              "error type", "covered", "injected", "not reached", "masked", "caught", "recall"));
      for (TypeRecall t : byType) {
        b.append(
            String.format(
                java.util.Locale.ROOT,
                "%-36s %8s %9d %12d %8d %9d %7.1f%%%n",
                t.errorType(),
                t.covered() ? "yes" : "no",
                t.injected(),
                t.notReached(),
                t.masked(),
                t.caught(),
                100 * t.recall()));
      }
      b.append(
          "not reached: the record never reached the controls (quarantined at ingest or no"
              + " response); masked: not caught in a record that also has an injected item"
              + " non-response; recall = caught / (injected - not reached - masked)\n");
      b.append(
          String.format(
              "clean records: %d, of which failing a fatal rule: %d%n",
              cleanRecords, cleanFailingFatal));
      missed.forEach(m -> b.append("  missed: ").append(m).append('\n'));
      falseFatal.forEach(m -> b.append("  false fatal: ").append(m).append('\n'));
      b.append(passed() ? "PASSED" : "FAILED").append('\n');
      return b.toString();
    }
  }

  /**
   * @param errorLog bin, year, item, error_type (one row per injected error)
   * @param results core.control_results of the same years (its fail rows are used)
   * @param records year and bin of every controlled record (core.control_status)
   * @param covered the error types the rules cover (see {@link RuleSet#coveredErrorTypes()})
   */
  public static Result run(
      Dataset<Row> errorLog,
      Dataset<Row> results,
      Dataset<Row> records,
      RuleSet rules,
      Set<String> covered) {
    SparkSession spark = results.sparkSession();
    Dataset<Row> log =
        errorLog
            .select(
                col("bin").cast("string").alias("e_bin"),
                col("year").cast("int").alias("e_year"),
                lower(trim(col("item").cast("string"))).alias("e_item"),
                regexp_replace(lower(trim(col("error_type"))), "[^a-z0-9]+", "_").alias("e_type"))
            .withColumn("e_id", org.apache.spark.sql.functions.monotonically_increasing_id());
    List<Row> ri = new ArrayList<>();
    for (Rule r : rules.rules()) {
      for (String i : r.items()) ri.add(RowFactory.create(r.id(), i));
      for (String i : r.prevItems()) ri.add(RowFactory.create(r.id(), i));
    }
    StructType st =
        DataTypes.createStructType(
            List.of(
                DataTypes.createStructField("f_rule", DataTypes.StringType, false),
                DataTypes.createStructField("f_item", DataTypes.StringType, false)));
    Dataset<Row> ruleItems = spark.createDataFrame(ri, st);
    Dataset<Row> fails =
        results
            .where(col("status").equalTo("fail"))
            .select(
                col("year").alias("f_year"),
                col("bin").alias("f_bin"),
                col("rule_id"),
                col("severity"));
    Dataset<Row> failItems =
        fails.join(ruleItems, fails.col("rule_id").equalTo(ruleItems.col("f_rule")), "left");
    Dataset<Row> caught =
        log.join(
                failItems,
                log.col("e_year")
                    .equalTo(failItems.col("f_year"))
                    .and(log.col("e_bin").equalTo(failItems.col("f_bin")))
                    .and(
                        log.col("e_item")
                            .isNull()
                            .or(log.col("e_item").equalTo(""))
                            .or(log.col("e_item").equalTo(failItems.col("f_item")))),
                "left_semi")
            .select("e_id")
            .withColumn("caught", lit(true));
    Dataset<Row> reached =
        records
            .select(col("year").alias("r_year"), col("bin").alias("r_bin"))
            .distinct()
            .withColumn("reached", lit(true));
    Dataset<Row> nonResponse =
        log.where(col("e_type").equalTo(ITEM_NONRESPONSE))
            .select(col("e_year").alias("n_year"), col("e_bin").alias("n_bin"))
            .distinct()
            .withColumn("with_nr", lit(true));
    Dataset<Row> judged =
        log.join(caught, "e_id", "left")
            .join(
                reached,
                col("e_year").equalTo(col("r_year")).and(col("e_bin").equalTo(col("r_bin"))),
                "left")
            .join(
                nonResponse,
                col("e_year").equalTo(col("n_year")).and(col("e_bin").equalTo(col("n_bin"))),
                "left")
            .na()
            .fill(false, new String[] {"caught", "reached", "with_nr"})
            .withColumn(
                "not_reached", col("caught").equalTo(false).and(col("reached").equalTo(false)))
            .withColumn(
                "masked",
                col("caught")
                    .equalTo(false)
                    .and(col("reached"))
                    .and(col("with_nr"))
                    .and(col("e_type").notEqual(ITEM_NONRESPONSE)));
    List<TypeRecall> byType = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    for (Row r :
        judged
            .groupBy("e_type")
            .agg(
                org.apache.spark.sql.functions.count(lit(1)),
                org.apache.spark.sql.functions.sum(col("caught").cast("long")),
                org.apache.spark.sql.functions.sum(col("not_reached").cast("long")),
                org.apache.spark.sql.functions.sum(col("masked").cast("long")))
            .orderBy("e_type")
            .collectAsList()) {
      String t = r.getString(0);
      seen.add(t);
      byType.add(
          new TypeRecall(
              t, covered.contains(t), r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4)));
    }
    for (String c : covered) {
      if (!seen.contains(c)) byType.add(new TypeRecall(c, true, 0, 0, 0, 0));
    }
    List<String> missed =
        judged
            .where(
                col("caught")
                    .equalTo(false)
                    .and(col("not_reached").equalTo(false))
                    .and(col("masked").equalTo(false))
                    .and(col("e_type").isin(covered.toArray())))
            .select("e_year", "e_bin", "e_item", "e_type")
            .orderBy("e_year", "e_bin")
            .limit(20)
            .collectAsList()
            .stream()
            .map(Row::toString)
            .toList();
    Dataset<Row> dirty = log.select(col("e_year"), col("e_bin")).distinct();
    Dataset<Row> controlled = records.select("year", "bin").distinct();
    Dataset<Row> clean =
        controlled.join(
            dirty,
            controlled
                .col("year")
                .equalTo(dirty.col("e_year"))
                .and(controlled.col("bin").equalTo(dirty.col("e_bin"))),
            "left_anti");
    Dataset<Row> fatal =
        fails
            .where(col("severity").equalTo("fatal"))
            .join(
                clean,
                fails
                    .col("f_year")
                    .equalTo(clean.col("year"))
                    .and(fails.col("f_bin").equalTo(clean.col("bin"))),
                "left_semi");
    long cleanN = clean.count();
    long fatalN = fatal.select("f_year", "f_bin").distinct().count();
    List<String> falseFatal =
        fatal.orderBy("f_year", "f_bin").limit(20).collectAsList().stream()
            .map(Row::toString)
            .toList();
    return new Result(byType, cleanN, fatalN, missed, falseFatal);
  }
}
