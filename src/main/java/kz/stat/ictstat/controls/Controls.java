package kz.stat.ictstat.controls;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The controls stage: confronts each year's {@code core.responses} with the rules that apply in
 * that year, all years in one pass, and writes
 *
 * <ul>
 *   <li>{@code core.control_results}: the failures (year, bin, rule_id, kind, severity, error_code,
 *       status 'fail', values, record lineage); {@code values} (column → value text of the columns
 *       the rule involves) is filled for every row. Passes and not-applicable statuses are counted
 *       in the summary, not stored (at scale 1 they are 14 rows for every failure): a record × rule
 *       absent from the table passed or was not applicable.
 *   <li>{@code core.control_summary}: per year and rule, items (records confronted), passes, fails,
 *       na, eval_errors, as in the confrontation summary of Statistics Netherlands' {@code
 *       validate}; items = records of the year × 1 for every rule evaluated in it, passes = items −
 *       fails − na.
 *   <li>{@code core.control_status}: per year and BIN (every controlled record, with or without
 *       failures), n_fatal and n_warning (failed rules of each severity) and {@code
 *       fit_for_estimation = (n_fatal = 0)}.
 * </ul>
 *
 * <p>One pass for all years: the helper columns the rules need are added to the records of every
 * year at once (a window count over (year, BIN), joins with the sample and with the previous year's
 * responses keyed by (year, BIN), broadcast joins with the classifiers), then a single projection
 * computes every rule's status as a column, NULL in the years where the rule does not apply ({@code
 * CASE WHEN year IN (…)}). This wide frame is folded into one compact row per record (the failed
 * rules with their values, the rules not applicable, the counts of failures by severity: {@link
 * Compaction}), which is kept in memory: core.control_results explodes its failures, the summary
 * and the record status aggregate it. A rule whose evaluation fails at run time (e.g. an arithmetic
 * overflow) is found by evaluating the rules one by one (then year by year), left out of the pass
 * in the years where it fails, and counted in {@code eval_errors} for every record of those years.
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
   * @param evaluations records × applicable rules evaluated (the summary's items)
   * @param passSeconds wall time of the evaluation pass and the writes of the three tables
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
   * The rules of a pass and the years each is evaluated in (a rule whose evaluation failed in a
   * year is left out of that year).
   */
  record Plan(List<Rule> rules, Map<String, Set<Integer>> years) {
    static Plan of(Map<Integer, List<Rule>> byYear) {
      Map<String, Rule> rules = new LinkedHashMap<>();
      Map<String, Set<Integer>> years = new LinkedHashMap<>();
      for (var e : byYear.entrySet()) {
        for (Rule r : e.getValue()) {
          rules.putIfAbsent(r.id(), r);
          years.computeIfAbsent(r.id(), k -> new TreeSet<>()).add(e.getKey());
        }
      }
      return new Plan(List.copyOf(rules.values()), years);
    }

    Set<Integer> allYears() {
      Set<Integer> all = new TreeSet<>();
      years.values().forEach(all::addAll);
      return all;
    }
  }

  /**
   * The wide status frame: one row per record of the years of {@code plan} with year, bin, the
   * lineage columns, every column the rules involve (as text), and one status column {@code __s<i>}
   * per rule of the plan: 'pass', 'fail', 'na', or NULL in a year where the rule is not evaluated.
   */
  Dataset<Row> statuses(Dataset<Row> records, Plan plan) {
    Set<String> needed = new LinkedHashSet<>();
    Set<String> involved = new LinkedHashSet<>();
    for (Rule r : plan.rules()) {
      for (String c : r.columns()) {
        if (!survey.items().containsKey(c) && !HelperColumns.LINEAGE.containsKey(c)) needed.add(c);
      }
      involved.addAll(r.columns());
      involved.addAll(r.items());
    }
    Set<Integer> all = plan.allYears();
    Dataset<Row> df =
        helpers.add(records.where(col(yearItem).isin(all.toArray())), all, needed, catalog);
    Set<String> cols = Set.of(df.columns());
    List<Column> sel = new ArrayList<>();
    sel.add(col(yearItem).cast("int").alias("year"));
    sel.add(col(binItem).alias("bin"));
    for (String l : HelperColumns.LINEAGE.keySet()) {
      sel.add(cols.contains(l) ? col(l) : lit(null).cast(HelperColumns.LINEAGE.get(l)).alias(l));
    }
    for (String c : involved) {
      if (!c.equals("year") && !c.equals("bin") && !HelperColumns.LINEAGE.containsKey(c)) {
        sel.add(col(c).cast("string").alias(c));
      }
    }
    for (int i = 0; i < plan.rules().size(); i++) {
      Rule r = plan.rules().get(i);
      Set<Integer> ys = plan.years().get(r.id());
      String status =
          ys.containsAll(all)
              ? r.statusSql()
              : "CASE WHEN " + yearItem + " IN (" + join(ys) + ") THEN " + r.statusSql() + " END";
      sel.add(expr(status).alias(statusColumn(i)));
    }
    return df.select(sel.toArray(Column[]::new));
  }

  private static String statusColumn(int i) {
    return "__s" + i;
  }

  private static String join(Collection<Integer> years) {
    return years.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }

  /**
   * The long rule × record rows of a wide status frame: one row per record and rule evaluated in
   * the record's year. {@code values} (column → value text of the columns the rule involves) is
   * filled for fail and na.
   */
  Dataset<Row> unpivot(Dataset<Row> wide, Plan plan) {
    List<Column> structs = new ArrayList<>();
    for (int i = 0; i < plan.rules().size(); i++) {
      Rule r = plan.rules().get(i);
      Set<String> ruleCols = new LinkedHashSet<>(r.columns());
      ruleCols.addAll(r.items());
      String s = statusColumn(i);
      Column struct =
          functions.struct(
              lit(r.id()).alias("rule_id"),
              lit(r.kind().code()).alias("kind"),
              lit(r.severity().code()).alias("severity"),
              lit(r.errorCode()).alias("error_code"),
              col(s).alias("status"),
              when(col(s).notEqual("pass"), expr(mapSql(ruleCols))).alias("values"));
      structs.add(when(col(s).isNotNull(), struct));
    }
    Column rows = functions.array_compact(functions.array(structs.toArray(Column[]::new)));
    List<Column> sel = new ArrayList<>();
    for (String k : new String[] {"year", "bin"}) sel.add(col(k));
    for (String l : HelperColumns.LINEAGE.keySet()) sel.add(col(l));
    sel.add(functions.explode(rows).alias("r"));
    return wide.select(sel.toArray(Column[]::new))
        .select(
            col("year"),
            col("bin"),
            col("r.rule_id"),
            col("r.kind"),
            col("r.severity"),
            col("r.error_code"),
            col("r.status"),
            col("r.values"),
            col("form_version"),
            col("source_file"),
            col("source_line"));
  }

  /** The compact form of a wide status frame, one row per record (see {@link Compaction}). */
  Dataset<Row> compact(Dataset<Row> wide, Plan plan) {
    List<String> status = new ArrayList<>();
    for (int i = 0; i < plan.rules().size(); i++) status.add(statusColumn(i));
    List<String> keep = new ArrayList<>(List.of("year", "bin"));
    keep.addAll(HelperColumns.LINEAGE.keySet());
    return wide.mapPartitions(
        new Compaction(List.of(wide.columns()), status, plan.rules(), keep),
        Encoders.row(Compaction.schema(wide.schema(), keep)));
  }

  /** core.control_results from the compact frame: one row per failure. */
  static Dataset<Row> failures(Dataset<Row> compact, Plan plan) {
    List<Column> ids = new ArrayList<>();
    List<Column> kinds = new ArrayList<>();
    List<Column> severities = new ArrayList<>();
    List<Column> codes = new ArrayList<>();
    for (Rule r : plan.rules()) {
      ids.add(lit(r.id()));
      kinds.add(lit(r.kind().code()));
      severities.add(lit(r.severity().code()));
      codes.add(lit(r.errorCode()).cast("string"));
    }
    Column at = col("f.rule").plus(1);
    return compact
        .select(
            col("year"),
            col("bin"),
            col("form_version"),
            col("source_file"),
            col("source_line"),
            functions.explode(col("fails")).alias("f"))
        .select(
            col("year"),
            col("bin"),
            functions.element_at(functions.array(ids.toArray(Column[]::new)), at).alias("rule_id"),
            functions.element_at(functions.array(kinds.toArray(Column[]::new)), at).alias("kind"),
            functions
                .element_at(functions.array(severities.toArray(Column[]::new)), at)
                .alias("severity"),
            functions
                .element_at(functions.array(codes.toArray(Column[]::new)), at)
                .alias("error_code"),
            lit("fail").alias("status"),
            col("f.values").alias("values"),
            col("form_version"),
            col("source_file"),
            col("source_line"));
  }

  /**
   * Every status (passes included) of the records of the given years, each year confronted with the
   * rules listed for it, in one plan (no write; used by tests and for inspection).
   */
  public Dataset<Row> evaluate(Dataset<Row> records, Map<Integer, List<Rule>> byYear) {
    Plan plan = Plan.of(byYear);
    return unpivot(statuses(records, plan), plan);
  }

  private static String quoted(Set<String> cols) {
    return cols.stream().map(c -> "'" + c + "'").collect(Collectors.joining(", "));
  }

  private static String mapSql(Set<String> cols) {
    if (cols.isEmpty()) return "CAST(NULL AS MAP<STRING, STRING>)";
    return "map_from_arrays(array(" + quoted(cols) + "), array(" + String.join(", ", cols) + "))";
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
    String inYears = "year IN (" + join(years) + ")";
    List<SummaryRow> errors = new ArrayList<>();
    long t0 = System.nanoTime();
    Pass pass = null;
    try {
      pass =
          stage.run(
              "evaluate " + years.size() + " year(s) in one pass",
              () -> evaluatePass(responses, byYear, errors));
      Pass p = pass;
      // three tables from the one cached pass, written side by side
      Map<String, Runnable> writes = new LinkedHashMap<>();
      writes.put(
          "core.control_results",
          () ->
              catalog.replaceWhere(
                  "core.control_results", failures(p.compact(), p.plan()), inYears, "year"));
      writes.put(
          "core.control_summary",
          () ->
              catalog.replaceWhere(
                  "core.control_summary", summary(p.compact(), p.plan(), errors), inYears, "year"));
      writes.put(
          "core.control_status",
          () -> catalog.replaceWhere("core.control_status", status(p.compact()), inYears, "year"));
      stage.runAll(writes);
    } finally {
      if (pass != null) pass.compact().unpersist();
    }
    double passSeconds = (System.nanoTime() - t0) / 1e9;

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
            .agg(functions.count(lit(1)), sum(when(col("fit_for_estimation"), 1L).otherwise(0L)))
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

  /** The rules evaluated and the persisted compact frame of their statuses. */
  record Pass(Plan plan, Dataset<Row> compact) {}

  /**
   * Evaluates every rule of every year in one plan into the compact frame and keeps it in memory
   * for the three tables. When the pass fails at run time, the (rule, year) pairs whose evaluation
   * fails are found rule by rule, left out, and counted in {@code errors}; the pass is then run
   * again without them.
   */
  private Pass evaluatePass(
      Dataset<Row> responses, Map<Integer, List<Rule>> byYear, List<SummaryRow> errors) {
    Plan plan = Plan.of(byYear);
    try {
      return evaluated(responses, plan);
    } catch (IctstatException e) {
      throw e;
    } catch (Exception first) {
      Map<Integer, List<Rule>> kept = new LinkedHashMap<>();
      byYear.forEach((y, l) -> kept.put(y, new ArrayList<>(l)));
      Map<Integer, Long> records = new HashMap<>();
      for (Rule r : plan.rules()) {
        Set<Integer> ys = plan.years().get(r.id());
        if (evaluationError(responses, r, ys) == null) continue;
        for (int y : ys) {
          Exception bad = evaluationError(responses, r, Set.of(y));
          if (bad == null) continue;
          long n =
              records.computeIfAbsent(y, k -> responses.where(col(yearItem).equalTo(k)).count());
          kept.get(y).remove(r);
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
      Plan rest = Plan.of(kept);
      if (errors.isEmpty() || rest.rules().isEmpty()) {
        throw IctstatException.runFailed(
            "the controls pass failed: "
                + String.valueOf(first.getMessage()).lines().findFirst().orElse(""),
            "rerun with --verbose for the cause",
            first);
      }
      return evaluated(responses, rest);
    }
  }

  /** The compact frame of {@code plan}, persisted and computed (the job that evaluates rules). */
  private Pass evaluated(Dataset<Row> responses, Plan plan) {
    Dataset<Row> c =
        compact(statuses(responses, plan), plan).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      c.count();
      return new Pass(plan, c);
    } catch (RuntimeException e) {
      c.unpersist();
      throw e;
    }
  }

  /** The failure of evaluating one rule in the given years, or null when it evaluates. */
  private Exception evaluationError(Dataset<Row> responses, Rule r, Set<Integer> years) {
    Map<Integer, List<Rule>> one = new LinkedHashMap<>();
    years.forEach(y -> one.put(y, List.of(r)));
    try {
      statuses(responses, Plan.of(one)).where(col(statusColumn(0)).equalTo("x")).count();
      return null;
    } catch (Exception e) {
      return e;
    }
  }

  /**
   * The confrontation summary per year and rule, from the compact frame: items = records of the
   * year where the rule is evaluated, fails and na counted, passes = items − fails − na; plus one
   * row per (year, rule) whose evaluation failed (items = eval_errors = records of the year).
   */
  Dataset<Row> summary(Dataset<Row> compact, Plan plan, List<SummaryRow> evalErrors) {
    SparkSession spark = compact.sparkSession();
    StructType schema =
        new StructType()
            .add("year", DataTypes.IntegerType)
            .add("rule_id", DataTypes.StringType)
            .add("kind", DataTypes.StringType)
            .add("severity", DataTypes.StringType)
            .add("error_code", DataTypes.StringType)
            .add("items", DataTypes.LongType)
            .add("passes", DataTypes.LongType)
            .add("fails", DataTypes.LongType)
            .add("na", DataTypes.LongType)
            .add("eval_errors", DataTypes.LongType);
    List<Row> errorRows = new ArrayList<>();
    for (SummaryRow e : evalErrors) {
      String code =
          rules.rules().stream()
              .filter(x -> x.id().equals(e.ruleId()))
              .findFirst()
              .map(Rule::errorCode)
              .orElse(null);
      errorRows.add(
          RowFactory.create(
              e.year(),
              e.ruleId(),
              e.kind(),
              e.severity(),
              code,
              e.items(),
              0L,
              0L,
              0L,
              e.evalErrors()));
    }
    Dataset<Row> errorFrame = spark.createDataFrame(errorRows, schema);
    if (plan.rules().isEmpty()) return errorFrame;
    // the (year, rule) pairs evaluated: a small frame from the plan
    List<Row> evaluated = new ArrayList<>();
    for (int i = 0; i < plan.rules().size(); i++) {
      Rule r = plan.rules().get(i);
      for (int y : plan.years().get(r.id())) {
        evaluated.add(
            RowFactory.create(y, i, r.id(), r.kind().code(), r.severity().code(), r.errorCode()));
      }
    }
    Dataset<Row> pairs =
        spark.createDataFrame(
            evaluated,
            new StructType()
                .add("year", DataTypes.IntegerType)
                .add("rule", DataTypes.IntegerType)
                .add("rule_id", DataTypes.StringType)
                .add("kind", DataTypes.StringType)
                .add("severity", DataTypes.StringType)
                .add("error_code", DataTypes.StringType));
    Dataset<Row> records = compact.groupBy("year").agg(functions.count(lit(1)).alias("items"));
    Dataset<Row> fails =
        compact
            .select(col("year"), functions.explode(col("fails.rule")).alias("rule"))
            .groupBy("year", "rule")
            .agg(functions.count(lit(1)).alias("fails"));
    Dataset<Row> na =
        compact
            .select(col("year"), functions.explode(col("nas")).alias("rule"))
            .groupBy("year", "rule")
            .agg(functions.count(lit(1)).alias("na"));
    Dataset<Row> s =
        pairs
            .join(records, "year")
            .join(fails, new String[] {"year", "rule"}, "left")
            .join(na, new String[] {"year", "rule"}, "left")
            .select(
                col("year"),
                col("rule_id"),
                col("kind"),
                col("severity"),
                col("error_code"),
                col("items"),
                col("items")
                    .minus(functions.coalesce(col("fails"), lit(0L)))
                    .minus(functions.coalesce(col("na"), lit(0L)))
                    .alias("passes"),
                functions.coalesce(col("fails"), lit(0L)).alias("fails"),
                functions.coalesce(col("na"), lit(0L)).alias("na"),
                lit(0L).alias("eval_errors"));
    return evalErrors.isEmpty() ? s : s.unionByName(errorFrame);
  }

  /**
   * Per year and BIN, from the compact frame: n_fatal and n_warning (failed rules of each severity,
   * summed over the records of a BIN given more than once) and {@code fit_for_estimation = (n_fatal
   * = 0)}. Every controlled record has a row, with or without failures.
   */
  static Dataset<Row> status(Dataset<Row> compact) {
    return compact
        .groupBy("year", "bin")
        .agg(sum("n_fatal").alias("n_fatal"), sum("n_warning").alias("n_warning"))
        .withColumn("fit_for_estimation", col("n_fatal").equalTo(0L))
        .withColumn("year", col("year").cast(DataTypes.IntegerType));
  }
}
