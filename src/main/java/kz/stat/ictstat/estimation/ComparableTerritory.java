package kz.stat.ictstat.estimation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kz.stat.ictstat.survey.Classifier;
import kz.stat.ictstat.survey.Domain;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Regions of today's boundaries for units observed in earlier years: a unit's 9-digit KATO code is
 * carried through {@code conf/classifiers/kato_succession.csv} (from_prefix, to_prefix,
 * valid_from), reform by reform in date order. A reform applies to a code observed in reference
 * year Y when it took effect in Y or later (the code may predate it); within one reform the longest
 * matching prefix wins (5110 Shymkent before 51 South Kazakhstan). The region is the first two
 * digits of the result. Regional estimates on these regions (the {@code comparable_territory}
 * domain of conf/domains.yaml, estimated with the other domains when {@code core.sample} carries
 * the KATO codes) are comparable over the whole series, next to the series on each year's own
 * boundaries.
 */
public final class ComparableTerritory {
  private ComparableTerritory() {}

  /**
   * year, bin and {@link Domain#COMPARABLE_REGION} of the units of {@code sample} (year, bin,
   * kato).
   */
  public static Dataset<Row> regions(Dataset<Row> sample, Classifier succession) {
    return withMappedKato(
            sample.select("year", "bin", "kato"), succession, "kato", "year", "kato_today")
        .selectExpr("year", "bin", "substr(kato_today, 1, 2) AS " + Domain.COMPARABLE_REGION);
  }

  /**
   * Adds {@code outCol}, the KATO code of today of {@code katoCol} observed in {@code yearCol}: one
   * CASE expression per reform date, applied in date order.
   */
  public static Dataset<Row> withMappedKato(
      Dataset<Row> df, Classifier succession, String katoCol, String yearCol, String outCol) {
    Map<String, List<Map<String, String>>> byDate = new TreeMap<>();
    for (Map<String, String> r : succession.rows()) {
      byDate.computeIfAbsent(r.get("valid_from"), d -> new ArrayList<>()).add(r);
    }
    Dataset<Row> out = df.withColumn(outCol, functions.col(katoCol).cast("string"));
    for (var e : byDate.entrySet()) {
      int reformYear = Integer.parseInt(e.getKey().substring(0, 4));
      List<Map<String, String>> rules = new ArrayList<>(e.getValue());
      rules.sort(
          Comparator.comparingInt((Map<String, String> r) -> -r.get("from_prefix").length())
              .thenComparing(r -> r.get("from_prefix")));
      StringBuilder c =
          new StringBuilder("CASE WHEN " + yearCol + " <= " + reformYear + " THEN CASE");
      for (Map<String, String> r : rules) {
        String from = r.get("from_prefix");
        c.append(" WHEN startswith(")
            .append(outCol)
            .append(", '")
            .append(from)
            .append("') THEN concat('")
            .append(r.get("to_prefix"))
            .append("', substr(")
            .append(outCol)
            .append(", ")
            .append(from.length() + 1)
            .append("))");
      }
      c.append(" ELSE ").append(outCol).append(" END ELSE ").append(outCol).append(" END");
      out = out.withColumn(outCol, functions.expr(c.toString()));
    }
    return out;
  }
}
