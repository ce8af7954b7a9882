package kz.stat.ictstat.disclosure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import kz.stat.ictstat.survey.Domain;

/**
 * Primary and secondary cell suppression of one indicator and year (METHODS.md, "Confidentiality").
 *
 * <h2>Primary</h2>
 *
 * A non-empty cell is disclosive when
 *
 * <ul>
 *   <li>frequency: 0 &lt; contributors &lt; min_respondents (n_resp; n_nonzero for magnitude
 *       totals);
 *   <li>dominance (n, k), magnitude cells: x₁ + … + x_n &gt; k/100 · T, with x₁ ≥ x₂ ≥ … the
 *       largest weighted contributions w·y and T their sum over the cell (only x₁, x₂ are kept, so
 *       n ≤ 2);
 *   <li>p %, magnitude cells: T − x₁ − x₂ &lt; p/100 · x₁ (the second largest contributor could
 *       estimate x₁ within p %).
 * </ul>
 *
 * <h2>Secondary</h2>
 *
 * A deterministic heuristic over the lines of the linked tables ({@link LinkedTables}): while some
 * line holds exactly one suppressed cell (which the line's other cells would reveal by
 * subtraction), suppress the cheapest other non-empty cell of that line ({@link Cell#cost()}, ties
 * by domain type and code); lines are visited in the order of their ids and the loop runs until no
 * line changes. Empty cells are chosen only when a line has nothing else. The result does not
 * depend on the order of the input cells.
 */
public final class Suppression {
  private Suppression() {}

  /** Why a cell is not published. */
  public enum Status {
    PUBLISHED,
    PRIMARY,
    SECONDARY
  }

  /** The decision for one cell; {@code reason} names the rule (frequency, dominance, p_percent). */
  public record Decision(Status status, String reason) {
    public boolean suppressed() {
      return status != Status.PUBLISHED;
    }
  }

  /** The primary rule a cell breaks, if any. */
  public static Optional<String> primaryReason(Cell c, DisclosureRules r) {
    if (c.empty()) return Optional.empty();
    if (c.contributors() < r.minRespondents()) return Optional.of("frequency");
    if (c.magnitude() && c.total() > 0) {
      double top = r.dominanceN() >= 2 ? c.top1() + c.top2() : c.top1();
      if (top > r.dominanceK() / 100.0 * c.total()) return Optional.of("dominance");
      if (c.total() - c.top1() - c.top2() < r.pPercent() / 100.0 * c.top1()) {
        return Optional.of("p_percent");
      }
    }
    return Optional.empty();
  }

  /** Decides every cell of one indicator and year; keys are {@link Cell#key()}. */
  public static Map<String, Decision> protect(
      List<Cell> cells, List<Domain> domains, DisclosureRules rules) {
    Map<String, Cell> byKey = new TreeMap<>();
    for (Cell c : cells) byKey.put(c.key(), c);
    Map<String, Decision> d = new TreeMap<>();
    for (Cell c : byKey.values()) {
      d.put(
          c.key(),
          primaryReason(c, rules)
              .map(r -> new Decision(Status.PRIMARY, r))
              .orElse(new Decision(Status.PUBLISHED, null)));
    }
    List<LinkedTables.Line> lines = LinkedTables.lines(new ArrayList<>(byKey.values()), domains);
    Comparator<Cell> cheapest =
        Comparator.comparingDouble(Cell::cost)
            .thenComparing(Cell::domainType)
            .thenComparing(Cell::domainCode);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (LinkedTables.Line line : lines) {
        long n = line.cells().stream().filter(k -> d.get(k).suppressed()).count();
        if (n != 1) continue;
        List<Cell> open =
            line.cells().stream()
                .filter(k -> !d.get(k).suppressed())
                .map(byKey::get)
                .sorted(cheapest)
                .toList();
        Optional<Cell> pick = open.stream().filter(c -> !c.empty()).findFirst();
        if (pick.isEmpty()) pick = open.stream().findFirst();
        if (pick.isEmpty()) continue;
        d.put(pick.get().key(), new Decision(Status.SECONDARY, "line " + line.id()));
        changed = true;
      }
    }
    return new LinkedHashMap<>(d);
  }
}
