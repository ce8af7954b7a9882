package kz.stat.ictstat.disclosure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kz.stat.ictstat.estimation.EstimationQuery;
import kz.stat.ictstat.survey.Domain;

/**
 * The additive relations between the published domains: for a domain with variables V (e.g. region
 * × section) and each variable v of V, the cells that differ only in v add up to the cell of the
 * margin domain with variables V \ {v} (the region total, the section total); one-way domains add
 * up to the national total. Each relation is a "line" (a row or column of a linked table, including
 * its margin). A relation is only formed when the margin domain is published.
 */
public final class LinkedTables {
  private LinkedTables() {}

  /** A line: its id and the keys ({@link Cell#key()}) of its cells, the margin last. */
  public record Line(String id, List<String> cells) {}

  /** The lines among {@code cells} (one indicator and year), sorted by id. */
  public static List<Line> lines(List<Cell> cells, List<Domain> domains) {
    Map<List<String>, Domain> byVars = new LinkedHashMap<>();
    for (Domain d : domains) byVars.putIfAbsent(d.by(), d);
    Map<String, Cell> cellByKey = new LinkedHashMap<>();
    for (Cell c : cells) cellByKey.put(c.key(), c);
    Map<String, List<String>> members = new TreeMap<>();
    Map<String, String> margins = new TreeMap<>();
    for (Domain d : domains) {
      List<String> vars = d.by();
      for (int j = 0; j < vars.size(); j++) {
        List<String> rest = new ArrayList<>(vars);
        rest.remove(j);
        Domain margin = byVars.get(rest);
        if (margin == null) continue;
        for (Cell c : cells) {
          if (!c.domainType().equals(d.id())) continue;
          String[] parts = c.domainCode().split("\\|", -1);
          if (parts.length != vars.size()) continue;
          List<String> fixed = new ArrayList<>(Arrays.asList(parts));
          fixed.remove(j);
          String fixedCode = fixed.isEmpty() ? EstimationQuery.TOTAL_CODE : String.join("|", fixed);
          String marginKey = margin.id() + "/" + fixedCode;
          if (!cellByKey.containsKey(marginKey)) continue;
          String id = d.id() + "#" + vars.get(j) + "#" + fixedCode;
          members.computeIfAbsent(id, k -> new ArrayList<>()).add(c.key());
          margins.put(id, marginKey);
        }
      }
    }
    List<Line> out = new ArrayList<>();
    for (var e : members.entrySet()) {
      List<String> l = new ArrayList<>(e.getValue());
      l.sort(null);
      l.add(margins.get(e.getKey()));
      out.add(new Line(e.getKey(), List.copyOf(l)));
    }
    return out;
  }
}
