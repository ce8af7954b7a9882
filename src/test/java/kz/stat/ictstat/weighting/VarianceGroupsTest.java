package kz.stat.ictstat.weighting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.survey.SampleDesign.LonelyPolicy;
import org.junit.jupiter.api.Test;

class VarianceGroupsTest {
  static StratumDesign s(String section, String size, String region, long n, long r) {
    return new StratumDesign(
        2024,
        section + "|" + size + "|" + region,
        section,
        size,
        region,
        n,
        Math.max(r, 2),
        r,
        false);
  }

  static Map<String, VarianceGroups.Assignment> resolve(
      List<StratumDesign> strata, LonelyPolicy p) {
    return VarianceGroups.resolve(strata, p).stream()
        .collect(Collectors.toMap(a -> a.stratum().stratum(), a -> a));
  }

  @Test
  void aSingleUnitStratumOfOneFrameUnitIsACertaintyNotALonelyStratum() {
    assertFalse(s("C", "medium", "11", 1, 1).lonely());
    assertTrue(s("C", "small", "11", 30, 1).lonely());
    assertFalse(s("C", "small", "11", 30, 2).lonely());
  }

  @Test
  void collapsePoolsWithTheNextRegionElseThePreviousElseTheSameSizeClass() {
    var a =
        resolve(
            List.of(
                s("C", "small", "11", 40, 1), // lonely -> next region 15
                s("C", "small", "15", 25, 4),
                s("C", "small", "19", 30, 1), // lonely, last region -> previous (15)
                s("G", "small", "11", 60, 1), // lonely, alone in G|small -> next small (J)
                s("J", "small", "11", 20, 3),
                s("G", "large", "11", 9, 1)), // lonely, nothing of its size -> certainty
            LonelyPolicy.COLLAPSE);
    String c = "C|small|11+C|small|15+C|small|19";
    assertEquals(c, a.get("C|small|11").varGroup());
    assertEquals(c, a.get("C|small|15").varGroup());
    assertEquals(c, a.get("C|small|19").varGroup());
    assertEquals("collapse", a.get("C|small|15").treatment());
    assertEquals("G|small|11+J|small|11", a.get("J|small|11").varGroup());
    assertEquals("G|large|11", a.get("G|large|11").varGroup());
    assertTrue(a.get("G|large|11").treatment().startsWith("certainty"));
  }

  @Test
  void certaintyAndAverageKeepTheStrataAndRecordTheTreatment() {
    List<StratumDesign> strata =
        List.of(s("C", "small", "11", 40, 1), s("C", "small", "15", 25, 4));
    var c = resolve(strata, LonelyPolicy.CERTAINTY);
    assertEquals("C|small|11", c.get("C|small|11").varGroup());
    assertEquals("certainty", c.get("C|small|11").treatment());
    assertNull(c.get("C|small|15").treatment());
    assertEquals("average", resolve(strata, LonelyPolicy.AVERAGE).get("C|small|11").treatment());
  }

  @Test
  void failListsTheLonelyStrataAndTheFix() {
    var e =
        assertThrows(
            IctstatException.class,
            () -> VarianceGroups.resolve(List.of(s("C", "small", "11", 40, 1)), LonelyPolicy.FAIL));
    assertEquals(IctstatException.RUN_FAILED, e.exitCode());
    assertTrue(e.getMessage().contains("2024 C|small|11"), e.getMessage());
    assertTrue(e.getMessage().contains("certainty, collapse or average"), e.getMessage());
  }
}
