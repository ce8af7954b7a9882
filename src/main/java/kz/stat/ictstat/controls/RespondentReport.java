package kz.stat.ictstat.controls;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.spark.TableCatalog;
import org.apache.spark.sql.Row;

/**
 * The follow-up report for one respondent: every failed control of one BIN in one year, with the
 * rule text in Kazakh, Russian or English and the values involved, fatal failures first.
 */
public final class RespondentReport {
  private RespondentReport() {}

  /** One failed control. */
  public record Line(
      String ruleId,
      String severity,
      String errorCode,
      String text,
      Map<String, String> values,
      String sourceFile,
      Long sourceLine) {}

  /**
   * The report: how many rules were evaluated for each record of the year and which failed (every
   * failure of every record of the BIN).
   */
  public record Result(int year, String bin, String lang, long evaluated, List<Line> failures) {
    public String render() {
      String[] h = HEADINGS.getOrDefault(lang, HEADINGS.get("ru"));
      StringBuilder b = new StringBuilder();
      b.append(
          String.format(
              Locale.ROOT,
              "%s %s, %d: %s %d, %s %d%n",
              h[0],
              bin,
              year,
              h[1],
              evaluated,
              h[2],
              failures.size()));
      for (Line l : failures) {
        b.append(
            String.format(
                Locale.ROOT,
                "  [%s] %s %s  %s%n",
                l.severity(),
                l.errorCode(),
                l.ruleId(),
                l.text()));
        if (l.values() != null && !l.values().isEmpty()) {
          StringBuilder v = new StringBuilder();
          new TreeMap<>(l.values())
              .forEach(
                  (k, x) ->
                      v.append(v.length() == 0 ? "" : ", ")
                          .append(k)
                          .append(" = ")
                          .append(x == null ? "—" : x));
          b.append("      ").append(v).append('\n');
        }
        if (l.sourceFile() != null) {
          b.append("      ")
              .append(l.sourceFile())
              .append(l.sourceLine() == null ? "" : ":" + l.sourceLine())
              .append('\n');
        }
      }
      return b.toString();
    }
  }

  private static final Map<String, String[]> HEADINGS =
      Map.of(
          "ru", new String[] {"БИН", "проверено правил", "ошибок"},
          "kk", new String[] {"БСН", "тексерілген ережелер", "қателер"},
          "en", new String[] {"BIN", "rules evaluated", "failures"});

  /**
   * Builds the report from core.control_status (the BIN was controlled), core.control_results (its
   * failures) and core.control_summary (the rules evaluated in the year); a BIN without a control
   * status is a usage error.
   */
  public static Result build(
      TableCatalog catalog, RuleSet rules, int year, String bin, String lang) {
    if (!HEADINGS.containsKey(lang)) {
      throw IctstatException.usage("unknown language '" + lang + "'", "use ru, kk or en");
    }
    boolean controlled =
        catalog.exists("core.control_status")
            && !catalog
                .read("core.control_status")
                .where(col("year").equalTo(year).and(col("bin").equalTo(bin)))
                .isEmpty();
    if (!controlled) {
      throw IctstatException.usage(
          "BIN " + bin + " has no control results for " + year,
          "check the BIN and the year, or run `ictstat controls --years " + year + "` first");
    }
    long evaluated =
        catalog
            .read("core.control_summary")
            .where(col("year").equalTo(year).and(col("eval_errors").equalTo(0L)))
            .count();
    List<Row> rows =
        catalog
            .read("core.control_results")
            .where(
                col("year")
                    .equalTo(year)
                    .and(col("bin").equalTo(bin))
                    .and(col("status").equalTo("fail")))
            .collectAsList();
    List<Line> failures = new ArrayList<>();
    for (Row r : rows) {
      String id = r.getString(r.fieldIndex("rule_id"));
      String text =
          rules.rules().stream()
              .filter(x -> x.id().equals(id))
              .findFirst()
              .map(x -> x.text(lang))
              .orElse(id);
      Map<String, String> values =
          r.isNullAt(r.fieldIndex("values")) ? Map.of() : r.getJavaMap(r.fieldIndex("values"));
      int sl = r.fieldIndex("source_line");
      failures.add(
          new Line(
              id,
              r.getString(r.fieldIndex("severity")),
              r.getString(r.fieldIndex("error_code")),
              text,
              values,
              r.getString(r.fieldIndex("source_file")),
              r.isNullAt(sl) ? null : r.getLong(sl)));
    }
    failures.sort(
        Comparator.comparing((Line l) -> "fatal".equals(l.severity()) ? 0 : 1)
            .thenComparing(Line::ruleId));
    return new Result(year, bin, lang, evaluated, failures);
  }
}
