package kz.stat.ictstat.estimation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * A group's contributions by hand: two variance groups in one partition, one domain variable
 * (region), one indicator, the domain types "total" (gid 1) and "region" (gid 0). No Spark.
 */
class GroupCellsTest {
  private static final List<String> VARS = List.of("region");

  // year, var_group, n_g, a_g, treat, avg_lonely, strata_no_resp, w, d, e, region, k, v, y, x
  private static Row unit(
      String group, long nG, double w, String region, boolean k, boolean v, double y, double x) {
    return RowFactory.create(2024, group, nG, 0.5, 2, 0, 1L, w, 0.0, 0.0, region, k, v, y, x);
  }

  @Test
  void contributionsOfTwoGroupsMatchAHandComputation() {
    List<Row> units =
        List.of(
            // group g1, n_g = 3: two units of region 11 kept, one of region 15 outside the
            // indicator's population
            unit("g1", 3, 2.0, "11", true, true, 1.0, 1.0),
            unit("g1", 3, 2.0, "11", true, true, 0.0, 1.0),
            unit("g1", 3, 4.0, "15", false, false, 0.0, 0.0),
            // group g2, n_g = 1: one unit of region 15 that did not answer
            unit("g2", 1, 1.0, "15", true, false, 0.0, 0.0));
    GroupCells f =
        new GroupCells(
            GroupCells.Output.CONTRIBUTIONS,
            1,
            1,
            new long[] {1L, 0L},
            new boolean[][] {{false}, {true}});
    StructType schema = GroupCells.schema(GroupCells.Output.CONTRIBUTIONS, VARS);
    Map<String, Row> out = new HashMap<>();
    List<String> order = new ArrayList<>();
    f.call(units.iterator())
        .forEachRemaining(
            plain -> {
              assertEquals(schema.size(), plain.size());
              Object[] values = new Object[plain.size()];
              for (int i = 0; i < values.length; i++) values[i] = plain.get(i);
              Row r = new GenericRowWithSchema(values, schema);
              String key = r.getString(1) + "/" + r.getInt(2) + "/" + r.getLong(3) + "/" + r.get(4);
              order.add(key);
              out.put(key, r);
            });

    // g1, indicator 0, region 11: t = (2, 0), s = (2, 2); C_y = 2/3, C_x = 4/3 over n_g = 3;
    // the third unit (outside the cell) adds (0 - C) once.
    Row r = out.get("g1/0/0/11");
    assertEquals(2L, (long) r.<Long>getAs("m"));
    assertEquals(2.0, (double) r.<Double>getAs("ty"), 1e-15);
    assertEquals(4.0, (double) r.<Double>getAs("tx"), 1e-15);
    assertEquals(0.0, (double) r.<Double>getAs("uy"), 1e-15); // (2 - 2/3) + (0 - 2/3) - 2/3
    assertEquals(0.0, (double) r.<Double>getAs("ux"), 1e-15);
    assertEquals(24.0 / 9, (double) r.<Double>getAs("uyy"), 1e-14); // 16/9 + 4/9 + 4/9
    assertEquals(24.0 / 9, (double) r.<Double>getAs("uxx"), 1e-14); // 4/9 + 4/9 + 16/9
    assertEquals(12.0 / 9, (double) r.<Double>getAs("uxy"), 1e-14); // 8/9 - 4/9 + 8/9
    assertEquals(2.0, (double) r.<Double>getAs("wyy"), 1e-15); // Σ t y
    assertEquals(4.0, (double) r.<Double>getAs("wxx"), 1e-15); // Σ s x
    assertEquals(2.0, (double) r.<Double>getAs("wxy"), 1e-15); // Σ t x
    assertEquals(4.0, (double) r.<Double>getAs("nhat"), 1e-15);
    assertEquals(2L, (long) r.<Long>getAs("n_resp"));
    assertEquals(1L, (long) r.<Long>getAs("n_nonzero"));
    assertEquals(0L, (long) r.<Long>getAs("n_missing"));
    assertEquals(3L, (long) r.<Long>getAs("n_g"));
    assertEquals(0.5, (double) r.<Double>getAs("a_g"), 0);
    assertEquals(2, (int) r.getAs("treat"));
    assertEquals(1L, (long) r.<Long>getAs("strata_no_resp"));
    // the total (region unused, NULL) is the same cell here: only region 11 has kept units
    Row total = out.get("g1/0/1/null");
    assertEquals(24.0 / 9, (double) total.<Double>getAs("uyy"), 1e-14);
    // no kept unit of the indicator in region 15 of g1: no row
    assertFalse(out.containsKey("g1/0/0/15"));
    // every unit (ind -1): y = x = 0, counted per domain cell
    assertEquals(2L, (long) out.get("g1/-1/0/11").<Long>getAs("m"));
    assertEquals(1L, (long) out.get("g1/-1/0/15").<Long>getAs("m"));
    assertEquals(3L, (long) out.get("g1/-1/1/null").<Long>getAs("m"));
    // g2: the unit did not answer
    Row g2 = out.get("g2/0/0/15");
    assertEquals(1L, (long) g2.<Long>getAs("m"));
    assertEquals(0L, (long) g2.<Long>getAs("n_resp"));
    assertEquals(1L, (long) g2.<Long>getAs("n_missing"));
    assertEquals(0.0, (double) g2.<Double>getAs("nhat"), 0);
    // groups in input order; within a group, the domain types in the order given, cells by code
    assertEquals("g1/-1/1/null", order.get(0));
    assertEquals("g2", order.get(order.size() - 1).substring(0, 2));
    // g1: total (ind -1, 0) and region (ind -1: 11, 15; ind 0: 11); g2: total and region 15, each
    // for ind -1 and 0
    assertEquals(5 + 4, order.size());
  }
}
