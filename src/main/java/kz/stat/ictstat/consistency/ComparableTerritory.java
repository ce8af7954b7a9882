package kz.stat.ictstat.consistency;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kz.stat.ictstat.survey.Classifier;

/**
 * Regions of today's boundaries for units observed in earlier years: a unit's 9-digit KATO code is
 * carried through {@code conf/classifiers/kato_succession.csv} (from_prefix, to_prefix,
 * valid_from), reform by reform in date order. A reform applies to a code observed in reference
 * year Y when it took effect in Y or later (the code may predate it); within one reform the longest
 * matching prefix wins (5110 Shymkent before 51 South Kazakhstan). The region is the first two
 * digits of the result. Regional estimates on these regions (domain type {@code region_<year>}) are
 * comparable over the whole series, next to the series on each year's own boundaries.
 */
public final class ComparableTerritory {
  private ComparableTerritory() {}

  /**
   * A Spark SQL expression for the KATO code of today from {@code kato} observed in {@code year}.
   */
  public static String mappedKatoSql(Classifier succession, String kato, String year) {
    Map<String, List<Map<String, String>>> byDate = new TreeMap<>();
    for (Map<String, String> r : succession.rows()) {
      byDate.computeIfAbsent(r.get("valid_from"), d -> new ArrayList<>()).add(r);
    }
    String expr = "CAST(" + kato + " AS STRING)";
    for (var e : byDate.entrySet()) {
      int reformYear = Integer.parseInt(e.getKey().substring(0, 4));
      List<Map<String, String>> rules = new ArrayList<>(e.getValue());
      rules.sort(
          Comparator.comparingInt((Map<String, String> r) -> -r.get("from_prefix").length())
              .thenComparing(r -> r.get("from_prefix")));
      StringBuilder c =
          new StringBuilder("(CASE WHEN " + year + " <= " + reformYear + " THEN CASE");
      for (Map<String, String> r : rules) {
        String from = r.get("from_prefix");
        c.append(" WHEN startswith(k, '")
            .append(from)
            .append("') THEN concat('")
            .append(r.get("to_prefix"))
            .append("', substr(k, ")
            .append(from.length() + 1)
            .append("))");
      }
      c.append(" ELSE k END ELSE k END)");
      // bind k to the previous step with a lambda-free inline: aggregate via transform
      expr = "element_at(transform(array(" + expr + "), k -> " + c + "), 1)";
    }
    return expr;
  }

  /** The region (first two digits) of today's boundaries. */
  public static String regionSql(Classifier succession, String kato, String year) {
    return "substr(" + mappedKatoSql(succession, kato, year) + ", 1, 2)";
  }
}
