package kz.stat.ictstat.estimation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/**
 * The sums per domain cell and indicator by hand: three variance groups contributing to the region
 * cell "11" (gid 0) and the national total (gid 1), one indicator. No Spark.
 */
class DomainSumsTest {
  private static final List<String> VARS = List.of("region");

  /**
   * A contribution row (GroupCells.schema CONTRIBUTIONS): year, var_group, ind, gid, region, n_g,
   * a_g, ty, tx, uy, ux, uyy, uxx, uxy, wyy, wxx, wxy, nhat, n_resp, n_nonzero, n_missing, m,
   * strata_no_resp, treat, avg_lonely.
   */
  private static Row contribution(
      String group,
      int ind,
      long gid,
      String region,
      long nG,
      double aG,
      double base,
      int treat,
      int avgLonely) {
    // values derived from base so that every group contributes different numbers
    return RowFactory.create(
        2024,
        group,
        ind,
        gid,
        region,
        nG,
        aG,
        base,
        2 * base,
        base / 2,
        base / 4,
        base * base,
        3 * base,
        5 * base,
        7 * base,
        11 * base,
        13 * base,
        17 * base,
        2L,
        1L,
        1L,
        2L,
        4L,
        treat,
        avgLonely);
  }

  private static List<Row> contributions() {
    List<Row> rows = new ArrayList<>();
    // slot -1 (every unit) marks the groups present in a cell; g3 is a lonely stratum (average)
    for (String g : List.of("g1", "g2", "g3")) {
      rows.add(contribution(g, -1, 0L, "11", 3, 0.5, 0, 0, g.equals("g3") ? 1 : 0));
      rows.add(contribution(g, -1, 1L, null, 3, 0.5, 0, 0, g.equals("g3") ? 1 : 0));
    }
    rows.add(contribution("g1", 0, 0L, "11", 3, 0.5, 1.0, 2, 0));
    rows.add(contribution("g2", 0, 0L, "11", 4, 0.25, 2.0, 1, 0));
    rows.add(contribution("g3", 0, 0L, "11", 1, 0.0, 3.0, 0, 1));
    rows.add(contribution("g1", 0, 1L, null, 3, 0.5, 10.0, 0, 0));
    return rows;
  }

  private static Map<Long, Row> sums(List<Row> in) {
    Map<Long, Row> out = new HashMap<>();
    new DomainSums(VARS.size()).call(in.iterator()).forEachRemaining(r -> out.put(r.getLong(2), r));
    return out;
  }

  @Test
  void sumsOfARegionCellMatchAHandComputation() {
    Row r = sums(contributions()).get(0L);
    assertEquals(DomainSums.schema(VARS).size(), r.size());
    assertEquals(2024, r.getInt(0));
    assertEquals(0, r.getInt(1));
    assertEquals("11", r.getString(3));
    // Y = Σ ty = 1 + 2 + 3; X = Σ tx = 2 (1 + 2 + 3)
    assertEquals(6.0, r.getDouble(4), 0.0);
    assertEquals(12.0, r.getDouble(5), 0.0);
    // A_yy = Σ a_g (u_yy − u_y² / n_g), u_y = base / 2, u_yy = base²:
    //   g1 0.5 (1 − 0.25 / 3) + g2 0.25 (4 − 1 / 4) + g3 0 = 0.458333… + 0.9375
    assertEquals(0.5 * (1 - 0.25 / 3) + 0.25 * (4 - 1.0 / 4), r.getDouble(6), 1e-15);
    // A_xx = Σ a_g (u_xx − u_x² / n_g), u_x = base / 4, u_xx = 3 base
    assertEquals(0.5 * (3 - 1.0 / 16 / 3) + 0.25 * (6 - 0.25 / 4), r.getDouble(7), 1e-15);
    // A_xy = Σ a_g (u_xy − u_y u_x / n_g), u_xy = 5 base
    assertEquals(0.5 * (5 - 0.5 * 0.25 / 3) + 0.25 * (10 - 1 * 0.5 / 4), r.getDouble(8), 1e-15);
    // magnitudes: the same with + instead of −
    assertEquals(0.5 * (1 + 0.25 / 3) + 0.25 * (4 + 1.0 / 4), r.getDouble(9), 1e-15);
    assertEquals(0.5 * (3 + 1.0 / 16 / 3) + 0.25 * (6 + 0.25 / 4), r.getDouble(10), 1e-15);
    assertEquals(7 * 6.0, r.getDouble(11), 0.0); // w_yy
    assertEquals(11 * 6.0, r.getDouble(12), 0.0); // w_xx
    assertEquals(13 * 6.0, r.getDouble(13), 0.0); // w_xy
    assertEquals(6L, r.getLong(14)); // n_resp: 2 per group
    assertEquals(17 * 6.0, r.getDouble(15), 0.0); // N̂
    assertEquals(3L, r.getLong(16)); // n_nonzero
    assertEquals(3L, r.getLong(17)); // n_missing
    assertEquals(3, r.getInt(18)); // treats: 2 | 1 | 0
    assertEquals(3L, r.getLong(19)); // H_d: three groups in the cell
    assertEquals(1L, r.getLong(20)); // L_d: one of them lonely (average)
    assertEquals(4L, r.getLong(21)); // strata without respondents

    Row total = sums(contributions()).get(1L);
    assertEquals(null, total.get(3));
    assertEquals(10.0, total.getDouble(4), 0.0);
    assertEquals(3L, total.getLong(19));
  }

  @Test
  void theSumsDoNotDependOnTheOrderRowsArriveIn() {
    // weights that are not round, so that the order of additions would show in the last bits
    List<Row> rows = new ArrayList<>();
    Random rnd = new Random(7);
    for (int g = 0; g < 200; g++) {
      double base = 1 + rnd.nextDouble() * 1e3;
      rows.add(contribution("g" + g, -1, 0L, "11", 5, 0.3, 0, 0, 0));
      rows.add(contribution("g" + g, 0, 0L, "11", 5, 0.1 + rnd.nextDouble(), base, 0, 0));
    }
    Row first = sums(rows).get(0L);
    for (int k = 0; k < 5; k++) {
      Collections.shuffle(rows, rnd);
      Row again = sums(rows).get(0L);
      for (int i = 4; i <= 13; i++) {
        assertEquals(
            Double.doubleToRawLongBits(first.getDouble(i)),
            Double.doubleToRawLongBits(again.getDouble(i)),
            "column " + DomainSums.schema(VARS).fields()[i].name());
      }
    }
  }

  @Test
  void groupCodesAreOrderedByCodePointAsSparkDoes() {
    assertEquals(-1, Integer.signum(DomainSums.compareCodePoints("g1", "g2")));
    assertEquals(-1, Integer.signum(DomainSums.compareCodePoints("g1", "g10")));
    assertEquals(0, DomainSums.compareCodePoints("g1", "g1"));
    // U+FF21 (one UTF-16 unit) sorts before U+1F600 (a surrogate pair) in UTF-8 byte order,
    // though String.compareTo puts the surrogate 0xD83D first
    assertEquals(-1, Integer.signum(DomainSums.compareCodePoints("\uFF21", "\uD83D\uDE00")));
  }
}
