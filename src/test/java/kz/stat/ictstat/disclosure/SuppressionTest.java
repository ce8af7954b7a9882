package kz.stat.ictstat.disclosure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.survey.Domain;
import kz.stat.ictstat.survey.Labels;
import org.junit.jupiter.api.Test;

/** Primary and secondary patterns worked out by hand on a 2 × 2 region × section table. */
class SuppressionTest {
  static final List<Domain> DOMAINS =
      List.of(
          dom("total"),
          dom("region", "region"),
          dom("section", "section"),
          dom("region_section", "region", "section"));
  static final DisclosureRules RULES = DisclosureRules.defaults();

  static Domain dom(String id, String... by) {
    return new Domain(id, List.of(by), new Labels(Map.of("en", id)));
  }

  static Cell share(String type, String code, long n) {
    return new Cell("s", type, code, false, false, 50.0, 5.0, n, n, 0, 0, 0);
  }

  /** Respondents: r1|A 2, r1|B 10, r2|A 5, r2|B 20; margins r1 12, r2 25, A 7, B 30, total 37. */
  static List<Cell> table() {
    return List.of(
        share("total", "_T", 37),
        share("region", "r1", 12),
        share("region", "r2", 25),
        share("section", "A", 7),
        share("section", "B", 30),
        share("region_section", "r1|A", 2),
        share("region_section", "r1|B", 10),
        share("region_section", "r2|A", 5),
        share("region_section", "r2|B", 20));
  }

  static Set<String> suppressed(Map<String, Suppression.Decision> d) {
    Set<String> s = new TreeSet<>();
    d.forEach(
        (k, v) -> {
          if (v.suppressed()) s.add(k);
        });
    return s;
  }

  @Test
  void linesOfTheLinkedTable() {
    List<LinkedTables.Line> lines = LinkedTables.lines(table(), DOMAINS);
    // 1 line of regions, 1 of sections, 2 columns (A, B) and 2 rows (r1, r2) of the crossing
    assertEquals(6, lines.size());
    LinkedTables.Line row =
        lines.stream().filter(l -> l.id().endsWith("#section#r1")).findFirst().get();
    assertEquals(List.of("region_section/r1|A", "region_section/r1|B", "region/r1"), row.cells());
  }

  @Test
  void oneSmallCellForcesTheWholeInteriorByHand() {
    // r1|A (2 < 3) primary; column A: cheapest other is r2|A (5 < section A 7); row r1: r1|B
    // (10 < 12); then row r2 holds only r2|A: r2|B (20 < 25); column B then has two: done.
    Map<String, Suppression.Decision> d = Suppression.protect(table(), DOMAINS, RULES);
    assertEquals(Suppression.Status.PRIMARY, d.get("region_section/r1|A").status());
    assertEquals("frequency", d.get("region_section/r1|A").reason());
    assertEquals(
        Set.of(
            "region_section/r1|A",
            "region_section/r1|B",
            "region_section/r2|A",
            "region_section/r2|B"),
        suppressed(d));
    assertEquals(List.of(), Audit.leaks(table(), suppressed(d), DOMAINS, RULES));
  }

  @Test
  void aSmallMarginIsProtectedInItsOwnLine() {
    // section A has 2 respondents (primary) and so does r1|A; r2|A is empty (0 respondents).
    List<Cell> t =
        List.of(
            share("total", "_T", 32),
            share("region", "r1", 12),
            share("region", "r2", 20),
            share("section", "A", 2),
            share("section", "B", 30),
            share("region_section", "r1|A", 2),
            share("region_section", "r1|B", 10),
            share("region_section", "r2|A", 0),
            share("region_section", "r2|B", 20));
    Map<String, Suppression.Decision> d = Suppression.protect(t, DOMAINS, RULES);
    // Lines in id order: regions (none suppressed); column A (r1|A, r2|A, A) has two; column B
    // none; row r1 (r1|A, r1|B, r1) has one -> r1|B (10 < 12); row r2 none; sections (A, B, total)
    // has one -> B (30 < 32). Second pass: column B (r1|B, B) two: fixed point.
    assertEquals(
        Set.of("section/A", "section/B", "region_section/r1|A", "region_section/r1|B"),
        suppressed(d));
    assertEquals(Suppression.Status.SECONDARY, d.get("section/B").status());
    assertEquals(List.of(), Audit.leaks(t, suppressed(d), DOMAINS, RULES));
  }

  @Test
  void deterministicWhateverTheInputOrder() {
    Map<String, Suppression.Decision> first = Suppression.protect(table(), DOMAINS, RULES);
    for (int seed = 1; seed <= 5; seed++) {
      List<Cell> shuffled = new ArrayList<>(table());
      Collections.shuffle(shuffled, new Random(seed));
      assertEquals(first, Suppression.protect(shuffled, DOMAINS, RULES));
    }
  }

  @Test
  void magnitudeRulesByHand() {
    DisclosureRules r = new DisclosureRules(3, 2, 85, 40, 30, List.of());
    // dominance: 90 + 5 = 95 > 0.85 · 100
    assertEquals(Optional.of("dominance"), Suppression.primaryReason(mag(5, 90, 5, 100), r));
    // p %: 60 + 20 = 80 <= 85; T − x1 − x2 = 20 < 0.40 · 60 = 24
    assertEquals(Optional.of("p_percent"), Suppression.primaryReason(mag(5, 60, 20, 100), r));
    // safe: 40 + 20 = 60 <= 85; 40 >= 16
    assertEquals(Optional.empty(), Suppression.primaryReason(mag(5, 40, 20, 100), r));
    // frequency counts the non-zero contributors of a magnitude cell
    assertEquals(Optional.of("frequency"), Suppression.primaryReason(mag(2, 10, 10, 100), r));
    assertEquals(Optional.empty(), Suppression.primaryReason(mag(0, 0, 0, 0), r));
  }

  static Cell mag(long nonzero, double x1, double x2, double t) {
    return new Cell("m", "total", "_T", true, true, t, 1.0, 50, nonzero, x1, x2, t);
  }

  @Test
  void auditCatchesALeakyTable() {
    // only the primary cell suppressed: its row and column reveal it by subtraction
    List<String> leaks = Audit.leaks(table(), Set.of("region_section/r1|A"), DOMAINS, RULES);
    assertEquals(2, leaks.size());
    assertTrue(leaks.get(0).contains("only suppressed cell of line region_section#region#A"));
    // nothing suppressed: the primary cell itself is published
    List<String> open = Audit.leaks(table(), Set.of(), DOMAINS, RULES);
    assertEquals(List.of("s region_section/r1|A published but breaks the frequency rule"), open);
    IctstatException e =
        assertThrows(IctstatException.class, () -> Audit.require(Map.of("s", leaks)));
    assertTrue(e.getMessage().contains("2 disclosive cell(s)"), e.getMessage());
    assertEquals(1, e.exitCode());
  }
}
