package kz.stat.ictstat.consistency;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.survey.Domain;
import kz.stat.ictstat.survey.FormVersion;
import kz.stat.ictstat.survey.Indicator;
import kz.stat.ictstat.survey.SurveyDefinitions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The breaks registry: what changed when, resolved into rules that say which series (indicator ×
 * domain) a break touches. Form-version breaks are derived from conf/forms (every version after the
 * first starts a break in its first year; introduced and dropped items computed from the columns)
 * plus the items conf/breaks.yaml declares redefined; classification and boundary events (KATO,
 * OKED) come from conf/breaks.yaml and touch only the domains that use their variable, and, for
 * KATO, only the regions named in the succession rows of that date.
 *
 * @param breaks what changed, one entry per break (for reports)
 * @param rules the series each break touches
 */
public record Breaks(List<Break> breaks, List<Rule> rules) {

  /** One change: its first year on the new basis and what changed. */
  public record Break(
      String id, int year, String kind, String what, Set<String> introduced, Set<String> dropped) {}

  /**
   * A series touched by a break: the change from {@code year − 1} to {@code year} of {@code
   * indicator} (null = every indicator) in {@code domainType} (null = every domain) and, if {@code
   * code} is set, only where part {@code pos} (1-based) of the domain code equals it.
   */
  public record Rule(
      String breakId, int year, String indicator, String domainType, int pos, String code) {}

  /** The schema of {@link #rulesFrame}. */
  public static final StructType RULES =
      new StructType()
          .add("break_id", DataTypes.StringType)
          .add("year", DataTypes.IntegerType)
          .add("indicator", DataTypes.StringType)
          .add("domain_type", DataTypes.StringType)
          .add("pos", DataTypes.IntegerType)
          .add("code", DataTypes.StringType);

  /** Resolves the registry against the survey definitions. */
  public static Breaks resolve(SurveyDefinitions survey, ConsistencyConfig conf) {
    List<String> problems = new ArrayList<>();
    List<Break> breaks = new ArrayList<>();
    List<Rule> rules = new ArrayList<>();
    List<FormVersion> forms = new ArrayList<>(survey.forms());
    forms.sort(Comparator.comparingInt(f -> f.years().first()));
    for (String v : conf.formBreaks().redefined().keySet()) {
      if (forms.stream().noneMatch(f -> f.version().equals(v))) {
        problems.add(
            "form_versions.redefined names version '"
                + v
                + "', which is not under conf/forms/ (versions: "
                + forms.stream().map(FormVersion::version).toList()
                + ")");
      }
    }
    for (int i = 1; i < forms.size(); i++) {
      FormVersion prev = forms.get(i - 1);
      FormVersion cur = forms.get(i);
      Set<String> before = new LinkedHashSet<>(prev.columns().values());
      Set<String> now = new LinkedHashSet<>(cur.columns().values());
      Set<String> introduced = new TreeSet<>(now);
      introduced.removeAll(before);
      Set<String> dropped = new TreeSet<>(before);
      dropped.removeAll(now);
      List<String> redefined = conf.formBreaks().redefined().getOrDefault(cur.version(), List.of());
      for (String item : redefined) {
        if (!now.contains(item) || !before.contains(item)) {
          problems.add(
              "form_versions.redefined."
                  + cur.version()
                  + " lists '"
                  + item
                  + "', which is not asked in both "
                  + prev.version()
                  + " and "
                  + cur.version()
                  + " (a redefined item must exist on both sides of the break)");
        }
      }
      int year = cur.years().first();
      String id = "form_" + cur.version();
      breaks.add(
          new Break(
              id,
              year,
              "form",
              cur.description()
                  + (redefined.isEmpty() ? "" : " Redefined: " + String.join(", ", redefined)),
              introduced,
              dropped));
      if (conf.formBreaks().affectsAll()) {
        rules.add(new Rule(id, year, null, null, 0, null));
      } else {
        for (Indicator ind : survey.indicators()) {
          if (ind.items().stream().anyMatch(redefined::contains)) {
            rules.add(new Rule(id, year, ind.id(), null, 0, null));
          }
        }
      }
    }
    for (ConsistencyConfig.Event e : conf.events()) {
      if (!Domain.VARIABLES.contains(e.variable())) {
        problems.add(
            "event '"
                + e.id()
                + "' names variable '"
                + e.variable()
                + "'; use one of "
                + Domain.VARIABLES);
        continue;
      }
      Set<String> codes = new TreeSet<>(e.codes());
      if (e.classifier() != null) {
        if (!survey.classifiers().containsKey(e.classifier())) {
          problems.add(
              "event '" + e.id() + "' names classifier '" + e.classifier() + "', not in conf");
          continue;
        }
        for (Map<String, String> r : survey.classifier(e.classifier()).rows()) {
          if (e.date().toString().equals(r.get("valid_from"))) {
            codes.add(r.get("from_prefix").substring(0, 2));
            codes.add(r.get("to_prefix").substring(0, 2));
          }
        }
        if (codes.isEmpty()) {
          problems.add(
              "event '"
                  + e.id()
                  + "': no row of "
                  + e.classifier()
                  + ".csv has valid_from "
                  + e.date());
        }
      }
      breaks.add(
          new Break(
              e.id(),
              e.effectiveYear(),
              e.variable(),
              e.what() + (codes.isEmpty() ? "" : " (codes " + String.join(", ", codes) + ")"),
              Set.of(),
              Set.of()));
      for (Domain d : survey.domains()) {
        int pos = d.by().indexOf(e.variable());
        if (pos < 0) continue;
        if (codes.isEmpty()) {
          rules.add(new Rule(e.id(), e.effectiveYear(), null, d.id(), 0, null));
        } else {
          for (String c : codes) {
            rules.add(new Rule(e.id(), e.effectiveYear(), null, d.id(), pos + 1, c));
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw IctstatException.usage(
          problems.size()
              + " problem(s) in conf/breaks.yaml:\n  - "
              + String.join("\n  - ", problems),
          "fix conf/breaks.yaml and run again");
    }
    breaks.sort(Comparator.comparingInt(Break::year));
    return new Breaks(List.copyOf(breaks), List.copyOf(rules));
  }

  /** The rules as a small DataFrame for joining with the series. */
  public Dataset<Row> rulesFrame(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (Rule r : rules) {
      rows.add(
          RowFactory.create(
              r.breakId(), r.year(), r.indicator(), r.domainType(), r.pos(), r.code()));
    }
    return spark.createDataFrame(rows, RULES);
  }
}
