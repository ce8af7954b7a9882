package kz.stat.ictstat.controls;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.config.YearRange;
import kz.stat.ictstat.spark.Stage;
import kz.stat.ictstat.spark.TableCatalog;
import kz.stat.ictstat.survey.Item;
import kz.stat.ictstat.survey.ItemType;
import kz.stat.ictstat.survey.SurveyDefinitions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The controls stage: confronts each year's {@code core.responses} with the rules that apply in
 * that year, in one pass per year, and writes
 *
 * <ul>
 *   <li>{@code core.control_results}: the long rule × record table (year, bin, rule_id, kind,
 *       severity, error_code, status pass/fail/na, values, record lineage). Every status is kept,
 *       passes included, so that the summary and the record status are exact aggregations of it;
 *       {@code values} (column → value text) is filled for fail and na only, NULL for passes.
 *   <li>{@code core.control_summary}: per year and rule, items (records confronted), passes, fails,
 *       na, eval_errors, as in the confrontation summary of Statistics Netherlands' {@code
 *       validate}.
 *   <li>{@code core.control_status}: per year and BIN, n_fatal and n_warning (failed rules of each
 *       severity) and {@code fit_for_estimation = (n_fatal = 0)}.
 * </ul>
 *
 * <p>One pass per year: the helper columns the year's rules need are added (broadcast joins with
 * the classifiers, a window count, joins with the sample and the previous year), then a single
 * projection computes every rule's status as a column and the statuses are unpivoted into rows
 * ({@code explode} of an array of structs). A rule whose evaluation fails at run time (e.g. an
 * arithmetic overflow) is found by evaluating the rules of that year one by one, left out of the
 * pass, and counted in {@code eval_errors} for every record of the year.
 */
public final class Controls {
  /** The years to control. */
  public record Options(YearRange years) {}

  /** One row of the confrontation summary. */
  public record SummaryRow(
      int year,
      String ruleId,
      String kind,
      String severity,
      long items,
      long passes,
      long fails,
      long na,
      long evalErrors) {}

  /**
   * What a run did.
   *
   * @param evaluations records × applicable rules evaluated (rows of core.control_results)
   * @param passSeconds wall time of the evaluation pass (helpers, statuses, write of the results)
   */
  public record Result(
      List<SummaryRow> summary,
      List<Integer> yearsControlled,
      List<Integer> yearsWithoutResponses,
      long records,
      long recordsFit,
      long evaluations,
      double passSeconds) {
    public double evaluationsPerSecond() {
      return passSeconds <= 0 ? 0 : evaluations / passSeconds;
    }
  }

  /**
   * Whole-stage code generation is switched off for the pass: the one projection holding every
   * rule's CASE expression compiles into a method so large that compiling it costs more than the
   * pass itself at survey volumes; expressions are still compiled one by one.
   */
  static final String WHOLE_STAGE = "spark.sql.codegen.wholeStage";

  private final TableCatalog catalog;
  private final SurveyDefinitions survey;
  private final RuleSet rules;
  private final HelperColumns helpers;
  private final PrintStream out;
  private final String binItem;
  private final String yearItem;

  public Controls(TableCatalog catalog, SurveyDefinitions survey, RuleSet rules, PrintStream out) {
    this.catalog = catalog;
    this.survey = survey;
    this.rules = rules;
    this.helpers = new HelperColumns(survey);
    this.out = out;
    this.binItem = helpers.binItem();
    this.yearItem =
        survey.items().values().stream()
            .filter(i -> i.type() == ItemType.YEAR)
            .map(Item::id)
            .findFirst()
            .orElseThrow();
  }

  /**
   * The long rule × record table of one year's records for the given rules (no write): helper
   * columns added, one projection of all statuses, unpivoted.
   */
  public Dataset<Row> evaluate(Dataset<Row> records, int year, List<Rule> yearRules) {
    Set<String> needed = new LinkedHashSet<>();
    for (Rule r : yearRules) {
      for (String c : r.columns()) {
        if (!survey.items().containsKey(c) && !HelperColumns.LINEAGE.containsKey(c)) needed.add(c);
      }
    }
    Dataset<Row> df = helpers.add(records, year, needed, catalog);
    Set<String> cols = Set.of(df.columns());
    List<Column> keep = new ArrayList<>();
    keep.add(col(yearItem).cast("int").alias("year"));
    keep.add(col(binItem).alias("bin"));
    for (String l : HelperColumns.LINEAGE.keySet()) {
      keep.add(cols.contains(l) ? col(l) : lit(null).cast(HelperColumns.LINEAGE.get(l)).alias(l));
    }
    // One map per record of every column the year's rules involve (the values of a failure are
    // filtered from it after the unpivot), so that each rule adds only its status expression.
    Set<String> involved = new LinkedHashSet<>();
    for (Rule r : yearRules) {
      involved.addAll(r.columns());
      involved.addAll(r.items());
    }
    List<Column> withStatus = new ArrayList<>(keep);
    withStatus.add(expr(mapSql(involved)).alias("__values"));
    for (int i = 0; i < yearRules.size(); i++) {
      withStatus.add(expr(yearRules.get(i).statusSql()).alias("__s" + i));
    }
    Dataset<Row> statuses = df.select(withStatus.toArray(Column[]::new));
    List<Column> structs = new ArrayList<>();
    for (int i = 0; i < yearRules.size(); i++) {
      Rule r = yearRules.get(i);
      Set<String> ruleCols = new LinkedHashSet<>(r.columns());
      ruleCols.addAll(r.items());
      structs.add(
          org.apache.spark.sql.functions.struct(
              lit(r.id()).alias("rule_id"),
              lit(r.kind().code()).alias("kind"),
              lit(r.severity().code()).alias("severity"),
              lit(r.errorCode()).alias("error_code"),
              col("__s" + i).alias("status"),
              expr("array(" + quoted(ruleCols) + ")").alias("cols")));
    }
    List<Column> sel = new ArrayList<>();
    for (String k : new String[] {"year", "bin", "__values"}) sel.add(col(k));
    for (String l : HelperColumns.LINEAGE.keySet()) sel.add(col(l));
    sel.add(
        org.apache
            .spark
            .sql
            .functions
            .explode(org.apache.spark.sql.functions.array(structs.toArray(Column[]::new)))
            .alias("r"));
    return statuses
        .select(sel.toArray(Column[]::new))
        .select(
            col("year"),
            col("bin"),
            col("r.rule_id"),
            col("r.kind"),
            col("r.severity"),
            col("r.error_code"),
            col("r.status"),
            expr("CASE WHEN r.status <> 'pass' THEN"
                    + " map_filter(__values, (k, v) -> array_contains(r.cols, k)) END")
                .alias("values"),
            col("form_version"),
            col("source_file"),
            col("source_line"));
  }

  private static String quoted(Set<String> cols) {
    return cols.stream().map(c -> "'" + c + "'").collect(Collectors.joining(", "));
  }

  private static String mapSql(Set<String> cols) {
    if (cols.isEmpty()) return "CAST(NULL AS MAP<STRING, STRING>)";
    return "map_from_arrays(array("
        + quoted(cols)
        + "), array("
        + cols.stream().map(c -> "CAST(" + c + " AS STRING)").collect(Collectors.joining(", "))
        + "))";
  }

  /** Runs the stage for the years of {@code options} and writes the three tables. */
  public Result execute(Options options) {
    Stage stage = new Stage(catalog.spark(), "controls", out);
    Dataset<Row> responses = catalog.read("core.responses");
    Set<Integer> present =
        responses.select(col(yearItem)).distinct().collectAsList().stream()
            .map(r -> ((Number) r.get(0)).intValue())
            .collect(Collectors.toCollection(TreeSet::new));
    List<Integer> years = new ArrayList<>();
    List<Integer> missing = new ArrayList<>();
    Map<Integer, List<Rule>> byYear = new LinkedHashMap<>();
    for (int y : options.years().years()) {
      if (!present.contains(y)) {
        missing.add(y);
        continue;
      }
      List<Rule> yr = rules.applicable(y, survey);
      if (yr.isEmpty()) {
        missing.add(y);
        continue;
      }
      years.add(y);
      byYear.put(y, new ArrayList<>(yr));
    }
    if (years.isEmpty()) {
      throw IctstatException.usage(
          "core.responses holds no records of the years " + options.years(),
          present.isEmpty()
              ? "run `ictstat ingest` first"
              : "it holds the years " + present + "; choose among them with --years");
    }
    String inYears =
        "year IN (" + years.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
    List<SummaryRow> errors = new ArrayList<>();
    long t0 = System.nanoTime();
    var conf = catalog.spark().conf();
    String wholeStage = conf.get(WHOLE_STAGE, "true");
    conf.set(WHOLE_STAGE, "false");
    try {
      stage.run(
          "evaluate " + years.size() + " year(s), write core.control_results",
          () -> writeResults(responses, byYear, inYears, errors));
    } finally {
      conf.set(WHOLE_STAGE, wholeStage);
    }
    double passSeconds = (System.nanoTime() - t0) / 1e9;

    Dataset<Row> results = catalog.read("core.control_results").where(inYears);
    stage.run(
        "core.control_summary",
        () ->
            catalog.replaceWhere(
                "core.control_summary", summary(results, errors), inYears, "year"));
    stage.run(
        "core.control_status",
        () -> catalog.replaceWhere("core.control_status", status(results), inYears, "year"));
    List<SummaryRow> rows =
        catalog
            .read("core.control_summary")
            .where(inYears)
            .orderBy("year", "rule_id")
            .collectAsList()
            .stream()
            .map(
                r ->
                    new SummaryRow(
                        r.getInt(r.fieldIndex("year")),
                        r.getString(r.fieldIndex("rule_id")),
                        r.getString(r.fieldIndex("kind")),
                        r.getString(r.fieldIndex("severity")),
                        r.getLong(r.fieldIndex("items")),
                        r.getLong(r.fieldIndex("passes")),
                        r.getLong(r.fieldIndex("fails")),
                        r.getLong(r.fieldIndex("na")),
                        r.getLong(r.fieldIndex("eval_errors"))))
            .toList();
    Row fit =
        catalog
            .read("core.control_status")
            .where(inYears)
            .agg(
                org.apache.spark.sql.functions.count(lit(1)),
                sum(when(col("fit_for_estimation"), 1L).otherwise(0L)))
            .first();
    long evaluations = rows.stream().mapToLong(SummaryRow::items).sum();
    return new Result(
        rows,
        years,
        missing,
        fit.getLong(0),
        fit.isNullAt(1) ? 0 : fit.getLong(1),
        evaluations,
        passSeconds);
  }

  private void writeResults(
      Dataset<Row> responses,
      Map<Integer, List<Rule>> byYear,
      String inYears,
      List<SummaryRow> errors) {
    try {
      catalog.replaceWhere("core.control_results", union(responses, byYear), inYears, "year");
      return;
    } catch (IctstatException e) {
      throw e;
    } catch (RuntimeException first) {
      // Find the rules whose evaluation fails, leave them out and count them as errors.
      for (var e : byYear.entrySet()) {
        int y = e.getKey();
        Dataset<Row> records = responses.where(col(yearItem).equalTo(y));
        long n = -1;
        for (Rule r : List.copyOf(e.getValue())) {
          try {
            evaluate(records, y, List.of(r)).where("status = 'x'").count();
          } catch (RuntimeException bad) {
            if (n < 0) n = records.count();
            e.getValue().remove(r);
            errors.add(
                new SummaryRow(y, r.id(), r.kind().code(), r.severity().code(), n, 0, 0, 0, n));
            if (out != null) {
              out.println(
                  "  controls   rule "
                      + r.id()
                      + " ("
                      + r.file()
                      + ") fails to evaluate in "
                      + y
                      + ": "
                      + String.valueOf(bad.getMessage()).lines().findFirst().orElse("")
                      + "; counted as evaluation errors");
            }
          }
        }
      }
      if (errors.isEmpty()) {
        throw IctstatException.runFailed(
            "the controls pass failed: "
                + String.valueOf(first.getMessage()).lines().findFirst().orElse(""),
            "rerun with --verbose for the cause",
            first);
      }
      catalog.replaceWhere("core.control_results", union(responses, byYear), inYears, "year");
    }
  }

  private Dataset<Row> union(Dataset<Row> responses, Map<Integer, List<Rule>> byYear) {
    Dataset<Row> all = null;
    for (var e : byYear.entrySet()) {
      if (e.getValue().isEmpty()) continue;
      Dataset<Row> part =
          evaluate(responses.where(col(yearItem).equalTo(e.getKey())), e.getKey(), e.getValue());
      all = all == null ? part : all.unionByName(part);
    }
    return all;
  }

  /** The confrontation summary per year and rule (plus rows of rules that failed to evaluate). */
  public static Dataset<Row> summary(Dataset<Row> results, List<SummaryRow> evalErrors) {
    Dataset<Row> s =
        results
            .groupBy("year", "rule_id", "kind", "severity", "error_code")
            .agg(
                org.apache.spark.sql.functions.count(lit(1)).alias("items"),
                sum(when(col("status").equalTo("pass"), 1L).otherwise(0L)).alias("passes"),
                sum(when(col("status").equalTo("fail"), 1L).otherwise(0L)).alias("fails"),
                sum(when(col("status").equalTo("na"), 1L).otherwise(0L)).alias("na"))
            .withColumn("eval_errors", lit(0L));
    if (evalErrors.isEmpty()) return s;
    StructType st = s.schema();
    List<Row> rows = new ArrayList<>();
    for (SummaryRow e : evalErrors) {
      rows.add(
          RowFactory.create(
              e.year(),
              e.ruleId(),
              e.kind(),
              e.severity(),
              null,
              e.items(),
              0L,
              0L,
              0L,
              e.evalErrors()));
    }
    return s.unionByName(results.sparkSession().createDataFrame(rows, st));
  }

  /** Per year and BIN: failed fatal and warning rules, and whether the record may be estimated. */
  public static Dataset<Row> status(Dataset<Row> results) {
    Column fail = col("status").equalTo("fail");
    return results
        .groupBy("year", "bin")
        .agg(
            sum(when(fail.and(col("severity").equalTo("fatal")), 1L).otherwise(0L))
                .alias("n_fatal"),
            sum(when(fail.and(col("severity").equalTo("warning")), 1L).otherwise(0L))
                .alias("n_warning"))
        .withColumn("fit_for_estimation", col("n_fatal").equalTo(0L))
        .withColumn("year", col("year").cast(DataTypes.IntegerType));
  }
}
