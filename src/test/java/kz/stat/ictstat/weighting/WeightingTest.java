package kz.stat.ictstat.weighting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.config.YearRange;
import kz.stat.ictstat.survey.SampleDesign.LonelyPolicy;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

@SparkTest
class WeightingTest {
  // Stratum A: N = 10, n = 4 sampled (d = 2.5), 3 respond. Stratum B: N = 6, n = 3 (d = 2), 1
  // responds. Both small, region 11.
  static Dataset<Row> units(SparkSession spark) {
    StructType t =
        new StructType()
            .add("year", DataTypes.IntegerType)
            .add("bin", DataTypes.StringType)
            .add("stratum", DataTypes.StringType)
            .add("region", DataTypes.StringType)
            .add("section", DataTypes.StringType)
            .add("size_class", DataTypes.StringType)
            .add("ownership", DataTypes.StringType)
            .add("sector", DataTypes.StringType)
            .add("take_all", DataTypes.BooleanType)
            .add("sample_units", DataTypes.LongType)
            .add("usable", DataTypes.BooleanType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      rows.add(
          RowFactory.create(
              2024, "a" + i, "A|small|11", "11", "A", "small", "15", "1", false, 4L, i < 3));
    }
    for (int i = 0; i < 3; i++) {
      rows.add(
          RowFactory.create(
              2024, "b" + i, "B|small|11", "11", "B", "small", "15", "1", false, 3L, i < 1));
    }
    return spark.createDataFrame(rows, t);
  }

  static Dataset<Row> design(SparkSession spark) {
    return Weighting.designFrame(
        spark,
        VarianceGroups.resolve(
            List.of(
                new StratumDesign(2024, "A|small|11", "A", "small", "11", 10, 4, 3, false),
                new StratumDesign(2024, "B|small|11", "B", "small", "11", 6, 3, 1, false)),
            LonelyPolicy.CERTAINTY),
        LonelyPolicy.CERTAINTY);
  }

  static Map<String, double[]> weights(SparkSession spark, List<String> groups) {
    var opts = new Weighting.Options(YearRange.of(2024), LonelyPolicy.CERTAINTY, groups);
    Map<String, double[]> m = new HashMap<>();
    for (Row r : Weighting.weights(units(spark), design(spark), opts).collectAsList()) {
      m.put(
          r.getAs("bin"),
          new double[] {r.getAs("design_weight"), r.getAs("nr_weight"), r.getAs("final_weight")});
    }
    return m;
  }

  @Test
  void nonResponseWeightsWithinStrataAndWithinResponseGroups(SparkSession spark) {
    Map<String, double[]> strata = weights(spark, List.of());
    assertEquals(4, strata.size()); // respondents only
    assertEquals(2.5, strata.get("a0")[0], 1e-12);
    assertEquals(10.0 / 3, strata.get("a0")[1], 1e-12);
    assertEquals(6.0, strata.get("b0")[1], 1e-12);
    assertEquals(strata.get("b0")[1], strata.get("b0")[2], 0);
    // one group (size_class small): Σ_S d = 4·2.5 + 3·2 = 16, Σ_R d = 3·2.5 + 2 = 9.5
    Map<String, double[]> rhg = weights(spark, List.of("size_class"));
    assertEquals(2.5 * 16 / 9.5, rhg.get("a1")[1], 1e-12);
    assertEquals(2.0 * 16 / 9.5, rhg.get("b0")[1], 1e-12);
  }

  @Test
  void estimateWithoutASampleOrWithAnUnknownPolicyIsOneActionableLine(
      kz.stat.ictstat.spark.TableCatalog catalog) {
    var err = new java.io.StringWriter();
    int code =
        kz.stat.ictstat.cli.Main.execute(
            new java.io.PrintWriter(err),
            "estimate",
            "--warehouse",
            catalog.warehouse(),
            "--years",
            "2024");
    assertEquals(IctstatException.USAGE, code);
    assertTrue(err.toString().contains("table 'core.sample' does not exist"), err.toString());
    var err2 = new java.io.StringWriter();
    code =
        kz.stat.ictstat.cli.Main.execute(
            new java.io.PrintWriter(err2),
            "estimate",
            "--warehouse",
            catalog.warehouse(),
            "--lonely",
            "drop");
    assertEquals(IctstatException.USAGE, code);
    assertTrue(err2.toString().contains("unknown --lonely policy 'drop'"), err2.toString());
  }

  @Test
  void unknownResponseGroupVariableIsAUsageError() {
    var e =
        assertThrows(
            IctstatException.class,
            () ->
                new Weighting.Options(YearRange.of(2024), LonelyPolicy.CERTAINTY, List.of("oked")));
    assertEquals(IctstatException.USAGE, e.exitCode());
    assertTrue(e.getMessage().contains("'oked'"), e.getMessage());
  }
}
