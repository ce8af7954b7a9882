package kz.stat.ictstat.publication;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import kz.stat.ictstat.disclosure.Disclosure;
import kz.stat.ictstat.estimation.EstimationQuery;
import kz.stat.ictstat.survey.Indicator;
import org.apache.spark.sql.Row;

/**
 * The quality report of a reference year (ESS SIMS concepts) in Markdown and HTML: A1 RSE and CI of
 * the headline indicators, A4 unit non-response, A5 item non-response, control failure rates,
 * confidentiality (cells suppressed), A6 revisions against the previous release, and the charts.
 */
final class QualityReport {
  private final int year;
  private final String tag;
  private final List<Indicator> headline;
  private final List<PubCell> cells;
  private final Disclosure.Result disclosure;
  private final List<String> charts;
  private final double[] unitNr;
  private final Map<String, Double> itemNr;
  private final List<Row> controls;
  private final List<String[]> revisions;
  private final long revised;
  private final String previousTag;
  private final PublicationLabels labels;

  QualityReport(
      int year,
      String tag,
      List<Indicator> headline,
      List<PubCell> cells,
      Disclosure.Result disclosure,
      List<String> charts,
      double[] unitNr,
      Map<String, Double> itemNr,
      List<Row> controls,
      List<String[]> revisions,
      long revised,
      String previousTag,
      PublicationLabels labels) {
    this.year = year;
    this.tag = tag;
    this.headline = headline;
    this.cells = cells;
    this.disclosure = disclosure;
    this.charts = charts;
    this.unitNr = unitNr;
    this.itemNr = itemNr;
    this.controls = controls;
    this.revisions = revisions;
    this.revised = revised;
    this.previousTag = previousTag;
    this.labels = labels;
  }

  String markdown() {
    StringBuilder s = new StringBuilder();
    s.append("# Quality report ").append(year).append(" — ").append(labels.text("title", "en"));
    s.append("\n\nRelease `").append(tag).append("`.\n\n");
    s.append("## A1 Sampling error of the headline indicators (Kazakhstan)\n\n");
    s.append("| indicator | estimate | RSE % | 95 % CI | flags |\n|---|---:|---:|---|---|\n");
    for (Indicator ind : headline) {
      PubCell c = national(ind.id());
      if (c == null) continue;
      s.append("| ")
          .append(ind.labels().en())
          .append(" | ")
          .append(c.estimate() == null ? "c" : f(c.estimate(), 2))
          .append(" | ")
          .append(c.rse() == null ? "-" : f(c.rse(), 1))
          .append(" | ")
          .append(c.ciLow() == null ? "-" : "[" + f(c.ciLow(), 2) + ", " + f(c.ciHigh(), 2) + "]")
          .append(" | ")
          .append(c.flags())
          .append(" |\n");
    }
    s.append("\n## A4 Unit non-response\n\n");
    if (unitNr == null) {
      s.append("core.design has no sampled units for ").append(year).append(".\n");
    } else {
      s.append("Sampled units: ")
          .append((long) unitNr[2])
          .append(", respondents used: ")
          .append((long) unitNr[3])
          .append(". Unit non-response rate: ")
          .append(f(100 * unitNr[0], 1))
          .append(" % (unweighted), ")
          .append(f(100 * unitNr[1], 1))
          .append(" % (weighted by N_h / n_h).\n");
    }
    s.append("\n## A5 Item non-response (share of blank answers among respondents)\n\n");
    if (itemNr.isEmpty()) s.append("No items.\n");
    else {
      s.append("| item | blank % |\n|---|---:|\n");
      for (var e : itemNr.entrySet()) {
        s.append("| ").append(e.getKey()).append(" | ");
        s.append(e.getValue() == null ? "-" : f(100 * e.getValue(), 1)).append(" |\n");
      }
    }
    s.append("\n## Control failure rates\n\n");
    if (controls.isEmpty()) s.append("core.control_summary is not available for this run.\n");
    else {
      List<String> names = List.of(controls.get(0).schema().fieldNames());
      s.append("The rules with the most failing records first.\n\n");
      s.append("| ").append(String.join(" | ", names)).append(" |\n|");
      s.append("---|".repeat(names.size())).append("\n");
      for (Row r : controls) {
        s.append("|");
        for (int i = 0; i < names.size(); i++)
          s.append(" ").append(r.isNullAt(i) ? "" : r.get(i)).append(" |");
        s.append("\n");
      }
    }
    s.append("\n## Confidentiality\n\n")
        .append("Published cells: ")
        .append(disclosure.cells().size())
        .append("; primary suppressions: ")
        .append(disclosure.primary())
        .append("; secondary suppressions: ")
        .append(disclosure.secondary())
        .append("; low reliability (u): ")
        .append(disclosure.unreliable())
        .append("; disclosive cells after audit: ")
        .append(disclosure.leaks())
        .append(".\n");
    s.append("\n## A6 Revisions\n\n");
    if (previousTag == null) s.append("First release of ").append(year).append(".\n");
    else {
      s.append("Against release `").append(previousTag).append("`: ").append(revised);
      s.append(" cells changed.\n\n");
      if (!revisions.isEmpty()) {
        s.append("| indicator (national) | previous | current |\n|---|---:|---:|\n");
        for (String[] r : revisions) s.append("| ").append(String.join(" | ", r)).append(" |\n");
      }
    }
    s.append("\n## Charts\n\n");
    for (String c : charts) s.append("![").append(c).append("](").append(c).append(")\n\n");
    return s.toString();
  }

  /** A self-contained HTML rendering of {@link #markdown()} (tables, headings, images). */
  String html() {
    StringBuilder h = new StringBuilder();
    h.append(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Quality report ")
        .append(year)
        .append("</title><style>body{font-family:sans-serif;max-width:1000px;margin:2em auto}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #999;padding:3px 8px}")
        .append("td.n{text-align:right}img{max-width:100%}</style></head><body>\n");
    boolean inTable = false;
    boolean header = false;
    for (String line : markdown().split("\n")) {
      if (line.startsWith("|")) {
        String[] parts = line.substring(1, line.length() - 1).split("\\|", -1);
        if (line.startsWith("|---")) continue;
        if (!inTable) {
          h.append("<table>\n");
          inTable = true;
          header = true;
        }
        h.append("<tr>");
        for (String p : parts) {
          String t = esc(p.trim());
          h.append(header ? "<th>" + t + "</th>" : "<td>" + t + "</td>");
        }
        h.append("</tr>\n");
        header = false;
        continue;
      }
      if (inTable) {
        h.append("</table>\n");
        inTable = false;
      }
      if (line.startsWith("## ")) h.append("<h2>").append(esc(line.substring(3))).append("</h2>\n");
      else if (line.startsWith("# "))
        h.append("<h1>").append(esc(line.substring(2))).append("</h1>\n");
      else if (line.startsWith("![")) {
        String src = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
        h.append("<p><img src=\"")
            .append(esc(src))
            .append("\" alt=\"")
            .append(esc(src))
            .append("\"></p>\n");
      } else if (!line.isBlank())
        h.append("<p>").append(esc(line).replace("`", "")).append("</p>\n");
    }
    if (inTable) h.append("</table>\n");
    return h.append("</body></html>\n").toString();
  }

  private PubCell national(String indicator) {
    for (PubCell c : cells) {
      if (c.indicator().equals(indicator) && EstimationQuery.TOTAL_CODE.equals(c.domainCode()))
        return c;
    }
    return null;
  }

  private static String f(double v, int digits) {
    return String.format(Locale.ROOT, "%,." + digits + "f", v);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
