package kz.stat.ictstat.disclosure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.survey.Domain;

/**
 * Re-checks a table of published cells before it leaves the Bureau: no cell that breaks a primary
 * rule is published, and no line of a linked table has exactly one suppressed cell (it would be
 * recovered by subtraction from its margin). Suppressed cells are recognised only by a missing
 * value with flag {@code c}, i.e. from what is published, not from the suppression's own record.
 */
public final class Audit {
  private Audit() {}

  /**
   * The disclosive cells of one indicator and year.
   *
   * @param suppressed keys of the cells published as {@code c}
   */
  public static List<String> leaks(
      List<Cell> cells, Set<String> suppressed, List<Domain> domains, DisclosureRules rules) {
    List<String> out = new ArrayList<>();
    for (Cell c : cells) {
      var reason = Suppression.primaryReason(c, rules);
      if (reason.isPresent() && !suppressed.contains(c.key())) {
        out.add(
            c.indicator() + " " + c.key() + " published but breaks the " + reason.get() + " rule");
      }
    }
    for (LinkedTables.Line line : LinkedTables.lines(cells, domains)) {
      Set<String> s = new TreeSet<>();
      for (String k : line.cells()) if (suppressed.contains(k)) s.add(k);
      if (s.size() == 1) {
        String k = s.iterator().next();
        String ind = cells.isEmpty() ? "" : cells.get(0).indicator() + " ";
        out.add(ind + k + " is the only suppressed cell of line " + line.id());
      }
    }
    return out;
  }

  /** Fails the publication when any of {@code leaksByTable} (table -> leaks) is non-empty. */
  public static void require(Map<String, List<String>> leaksByTable) {
    List<String> all = new ArrayList<>();
    leaksByTable.values().forEach(all::addAll);
    if (all.isEmpty()) return;
    throw IctstatException.runFailed(
        all.size()
            + " disclosive cell(s) in the tables to publish, e.g. "
            + all.subList(0, Math.min(3, all.size())),
        "nothing was published; check conf/disclosure.yaml and the suppression pattern of these"
            + " tables, then rerun `ictstat publish`");
  }
}
