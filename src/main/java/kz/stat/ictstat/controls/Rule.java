package kz.stat.ictstat.controls;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import kz.stat.ictstat.config.YearRange;
import kz.stat.ictstat.survey.FormVersion;
import kz.stat.ictstat.survey.Labels;
import kz.stat.ictstat.survey.SurveyDefinitions;

/**
 * One control (edit rule) of a rule file under {@code conf/rules/}: a Spark SQL boolean expression
 * over canonical items and helper columns that must be TRUE for the record to pass.
 *
 * <p>Status of a record: {@code na} when the condition is not TRUE or the expression is NULL (a
 * missing input), {@code pass} when the expression is TRUE, {@code fail} when it is FALSE.
 *
 * @param file the rule file, relative to the survey folder
 * @param years the years the rule is limited to, or null (all years where its items exist)
 * @param forms the form versions it is limited to, or empty (all)
 * @param condition optional Spark SQL boolean; when not TRUE the rule does not apply
 * @param columns every column the condition and expression name, in order of appearance
 * @param items the canonical items of the reference year involved (helpers resolved to the item
 *     they are computed from)
 * @param prevItems the canonical items read from the previous year ({@code prev_<item>})
 * @param catches error types (of a synthetic error log) the rule is meant to catch
 */
public record Rule(
    String id,
    String file,
    RuleKind kind,
    Severity severity,
    String errorCode,
    Labels labels,
    String description,
    YearRange years,
    Set<String> forms,
    String condition,
    String expression,
    List<String> columns,
    Set<String> items,
    Set<String> prevItems,
    Set<String> catches) {

  public Rule {
    forms = Set.copyOf(forms);
    columns = List.copyOf(columns);
    items = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(items));
    prevItems = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(prevItems));
    catches = Set.copyOf(catches);
  }

  /**
   * Whether the rule is evaluated in {@code year}: within its years and form versions, and every
   * item it uses exists in that year's form version (the previous year's for {@code prev_} items).
   * An item the form of the year does not ask makes the rule not applicable, never a failure.
   */
  public boolean appliesIn(int year, SurveyDefinitions survey) {
    if (years != null && !years.contains(year)) return false;
    var form = survey.findForm(year);
    if (form.isEmpty()) return false;
    if (!forms.isEmpty() && !forms.contains(form.get().version())) return false;
    if (!asks(form.get(), items)) return false;
    if (!prevItems.isEmpty()) {
      var before = survey.findForm(year - 1);
      return before.isPresent() && asks(before.get(), prevItems);
    }
    return true;
  }

  private static boolean asks(FormVersion f, Set<String> needed) {
    return f.columns().values().containsAll(needed);
  }

  /**
   * The status as a Spark SQL expression: 'na', 'pass' or 'fail'. The expression appears once (its
   * value, as 0 or 1, picks from {@code array('fail', 'pass')}), so that the projection of all
   * rules stays small.
   */
  public String statusSql() {
    String status = "coalesce(get(array('fail', 'pass'), CAST((" + expression + ") AS INT)), 'na')";
    if (condition == null) return status;
    return "CASE WHEN coalesce((" + condition + "), false) THEN " + status + " ELSE 'na' END";
  }

  /** The text shown to a respondent: label in the language, falling back to Russian, English. */
  public String text(String lang) {
    return labels.get(lang);
  }
}
