package kz.stat.ictstat.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.survey.SurveyLoader;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Hidiroglou–Berthelot, selective editing and transitions on a panel worked by hand. */
@SparkTest
class MicroEditsTest {
  static final StructType UNITS =
      new StructType()
          .add("year", DataTypes.IntegerType)
          .add("bin", DataTypes.StringType)
          .add("stratum", DataTypes.StringType)
          .add("size_class", DataTypes.StringType)
          .add("w", DataTypes.DoubleType)
          .add("n_computers", DataTypes.LongType)
          .add("uses_cloud", DataTypes.IntegerType);

  static ConsistencyConfig conf() {
    ConsistencyConfig base = ConsistencyConfig.load(Path.of("conf"));
    return new ConsistencyConfig(
        base.formBreaks(),
        base.events(),
        new ConsistencyConfig.HbParams(
            List.of("n_computers"), 0.5, 0.05, 4, 5, List.of("size_class")),
        new ConsistencyConfig.SelectiveParams(List.of("n_computers"), 0.01),
        new ConsistencyConfig.TransitionParams(List.of("uses_cloud"), List.of("1->0")),
        base.series());
  }

  // Stratum S, 7 panel units, n_computers 2023 -> 2024:
  //   1: 10->10 (r 1.0)  2: 20->22 (1.1)  3: 10->9 (0.9)  4: 40->48 (1.2)
  //   5: 30->24 (0.8)    6: 50->55 (1.1)  7: 10->50 (5.0)
  // r_med = 1.1 (4th of 7). s = -0.1, 0, -2/9, 1/11, -0.375, 0, 5/1.1 - 1
  // E = s sqrt(max): -0.31623, 0, -0.70273, 0.62984, -2.05396, 0, 25.0703
  // sorted: -2.05396 -0.70273 -0.31623 0 0 0.62984 25.07; type-7 quartiles:
  // Q1 = (-0.70273 - 0.31623)/2 = -0.50948, M = 0, Q3 = (0 + 0.62984)/2 = 0.31492
  // d_Q1 = 0.50948, d_Q3 = 0.31492 (A*M = 0); interval [-2.03791, 1.25967]:
  // unit 5 (E -2.05396) and unit 7 (E 25.07) are outliers.
  static final long[][] PANEL = {
    {10, 10}, {20, 22}, {10, 9}, {40, 48}, {30, 24}, {50, 55}, {10, 50}
  };

  @Test
  void hidiroglouBerthelotSelectiveEditingAndTransitionsByHand(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    int[][] cloud = {{1, 0}, {1, 1}, {0, 1}, {0, 0}, {0, 0}, {0, 0}, {0, 0}};
    for (int k = 0; k < PANEL.length; k++) {
      String bin = "00000000000" + (k + 1);
      double w = k == 6 ? 10.0 : 1.0;
      rows.add(RowFactory.create(2023, bin, "S", "small", w, PANEL[k][0], cloud[k][0]));
      rows.add(RowFactory.create(2024, bin, "S", "small", w, PANEL[k][1], cloud[k][1]));
    }
    // a unit new in 2024 (no pair; counts in the total), and a 2-unit stratum that is pooled
    rows.add(RowFactory.create(2024, "000000000100", "S", "small", 2.0, 100L, 0));
    rows.add(RowFactory.create(2023, "000000000201", "T", "small", 1.0, 5L, 0));
    rows.add(RowFactory.create(2024, "000000000201", "T", "small", 1.0, 5L, 0));
    rows.add(RowFactory.create(2023, "000000000202", "T", "small", 1.0, 0L, 0));
    rows.add(RowFactory.create(2024, "000000000202", "T", "small", 1.0, 3L, 0));
    Dataset<Row> units = spark.createDataFrame(rows, UNITS);
    MicroEdits.Output out = MicroEdits.run(spark, units, conf(), 2024);
    Map<String, Row> f = new HashMap<>();
    for (Row r : out.flags().collectAsList()) {
      f.put(r.getAs("method") + "/" + r.getAs("item") + "/" + r.getAs("bin"), r);
    }
    Set<String> hbFlagged = new TreeSet<>();
    for (var e : f.entrySet()) {
      if (e.getKey().startsWith("hb/") && (Boolean) e.getValue().getAs("flagged")) {
        hbFlagged.add(e.getValue().getAs("bin"));
      }
    }
    assertEquals(Set.of("000000000005", "000000000007"), hbFlagged);
    assertEquals(
        (5 / 1.1 - 1) * Math.sqrt(50),
        (Double) f.get("hb/n_computers/000000000007").getAs("score"),
        1e-9);
    assertEquals(
        (1 - 1.1 / 0.8) * Math.sqrt(30),
        (Double) f.get("hb/n_computers/000000000005").getAs("score"),
        1e-9);
    // 0 -> 3 has no ratio: not scored by HB; the other unit of stratum T is pooled
    assertFalse(f.containsKey("hb/n_computers/000000000202"));
    assertTrue(f.containsKey("hb/n_computers/000000000201"));
    assertEquals(7 + 1, f.keySet().stream().filter(k -> k.startsWith("hb/")).count());
    // selective: T = 10+22+9+48+24+55 + 10*50 + 2*100 + 5 + 3 = 876
    double t = 10 + 22 + 9 + 48 + 24 + 55 + 10 * 50 + 2 * 100 + 5 + 3;
    Row s7 = f.get("selective/n_computers/000000000007");
    assertEquals(10 * 40 / t, (Double) s7.getAs("score"), 1e-12);
    assertTrue((Boolean) s7.getAs("flagged"));
    assertTrue(((String) s7.getAs("reason")).contains("of total 876"), (String) s7.getAs("reason"));
    assertEquals(8 / t, (Double) f.get("selective/n_computers/000000000004").getAs("score"), 1e-12);
    long selFlagged =
        f.entrySet().stream()
            .filter(
                e -> e.getKey().startsWith("selective/") && (Boolean) e.getValue().getAs("flagged"))
            .count();
    assertEquals(1, selFlagged, "only unit 7 moves more than 1 % of the total");
    // transitions: unit 1 lost cloud
    Row tr = f.get("transition/uses_cloud/000000000001");
    assertTrue(((String) tr.getAs("reason")).contains("1->0"));
    assertEquals(1, f.keySet().stream().filter(k -> k.startsWith("transition/")).count());
    Map<String, Row> table = new HashMap<>();
    for (Row r : out.transitions().collectAsList()) table.put(r.getAs("transition"), r);
    assertEquals(1L, (Long) table.get("1->0").getAs("units"));
    assertEquals(0.5, (Double) table.get("1->0").getAs("share_of_from"), 1e-12);
    assertEquals(6L, (Long) table.get("0->0").getAs("units"), "units 4-7 and stratum T");
    out.close();
  }

  @Test
  void quantilesAreRType7OnTiedAndEvenGroups() {
    // R: quantile(c(3, 1, 4, 1, 5, 9, 2, 6), c(.25, .5, .75)) = 1.75, 3.5, 5.25 (sorted 1 1 2 3 4 5
    // 6 9, h = 7p: x[2] + .75, x[4] + .5, x[6] + .25); one value: itself; two: halfway
    assertEquals(List.of(1.75, 3.5, 5.25), quartiles(1, 1, 2, 3, 4, 5, 6, 9));
    assertEquals(List.of(7.0, 7.0, 7.0), quartiles(7));
    assertEquals(List.of(-2.5, -1.0, 0.5), quartiles(-4, 2));
  }

  private static List<Double> quartiles(double... sorted) {
    return List.of(
        HbScores.quantile(sorted, 0.25),
        HbScores.quantile(sorted, 0.5),
        HbScores.quantile(sorted, 0.75));
  }

  @Test
  void hbScoresTakeEachYearAndItemOfAPartitionOnItsOwn() throws Exception {
    // a partition sorted by (year, item): 2024 a (3 pairs, ratios 1 2 4), 2024 b (2 pairs, ratios
    // 3 and 5), 2025 a (1 pair); min_group 2, so stratum S stands alone for 2024 and is pooled
    // by size class in 2025
    List<Row> in = new ArrayList<>();
    in.add(RowFactory.create(2024, "1", "S", "small", "a", 10.0, 10.0));
    in.add(RowFactory.create(2024, "2", "S", "small", "a", 20.0, 10.0));
    in.add(RowFactory.create(2024, "3", "S", "small", "a", 40.0, 10.0));
    in.add(RowFactory.create(2024, "1", "S", "small", "b", 3.0, 1.0));
    in.add(RowFactory.create(2024, "2", "S", "small", "b", 5.0, 1.0));
    in.add(RowFactory.create(2025, "1", "S", "small", "a", 7.0, 7.0));
    Map<String, Row> out = new HashMap<>();
    new HbScores(2, 0.5)
        .call(in.iterator())
        .forEachRemaining(r -> out.put(r.getInt(0) + r.getString(2) + r.getString(1), r));
    assertEquals(6, out.size());
    // columns: year, bin, item, grp, n_grp, y, yp, r, r_med, e, e_q1, e_m, e_q3
    assertEquals(3L, out.get("2024a1").getLong(4));
    assertEquals(2.0, out.get("2024a3").getDouble(8), 0.0);
    // unit 3 of item a: s = 4 / 2 - 1 = 1, E = 1 * sqrt(40)
    assertEquals(Math.sqrt(40), out.get("2024a3").getDouble(9), 1e-12);
    assertEquals(2L, out.get("2024b2").getLong(4));
    assertEquals(4.0, out.get("2024b1").getDouble(8), 0.0);
    assertEquals("S", out.get("2024b1").getString(3));
    assertEquals("pooled:small", out.get("2025a1").getString(3));
    assertEquals(1L, out.get("2025a1").getLong(4));
  }

  @Test
  void nonContinuousItemIsRefusedWithItsType() {
    ConsistencyConfig c = conf();
    ConsistencyConfig bad =
        new ConsistencyConfig(
            c.formBreaks(),
            c.events(),
            new ConsistencyConfig.HbParams(List.of("uses_cloud"), 0.5, 0.05, 4, 5, List.of()),
            c.selective(),
            c.transitions(),
            c.series());
    IctstatException e =
        assertThrows(
            IctstatException.class,
            () -> MicroEdits.validate(SurveyLoader.load(Path.of("conf")), bad));
    assertTrue(e.getMessage().contains("'uses_cloud' is of type BINARY"), e.getMessage());
  }
}
