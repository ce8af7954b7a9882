package kz.stat.ictstat.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * A hand-sized panel with the configured parameters of conf/editing.yaml: the unit that reported
 * its ICT costs in tenge (x1000) and the one with an extra digit in its computers (x10) are
 * flagged, the clean units are not; the recall check counts them and explains the other flags.
 */
@kz.stat.ictstat.testing.SparkTest
class AnomalyRecallTest {
  static final StructType UNITS =
      new StructType()
          .add("year", DataTypes.IntegerType)
          .add("bin", DataTypes.StringType)
          .add("stratum", DataTypes.StringType)
          .add("size_class", DataTypes.StringType)
          .add("w", DataTypes.DoubleType)
          .add("employees", DataTypes.LongType)
          .add("n_computers", DataTypes.LongType)
          .add("n_ict_specialists", DataTypes.LongType)
          .add("ict_costs_total", DataTypes.DoubleType)
          .add("uses_computers", DataTypes.IntegerType)
          .add("has_internet", DataTypes.IntegerType)
          .add("has_website", DataTypes.IntegerType)
          .add("uses_cloud", DataTypes.IntegerType);

  // 12 panel units of one stratum, 2023 -> 2024. Unit 11 wrote its costs in tenge (true 840,
  // written 840,000); unit 12 wrote 160 computers (true 16). The others change by 0-9 %. With the
  // documented C = 4 unit 5 (costs unchanged, 800 -> 800) was an HB outlier too: the costs' E
  // quartiles are within 0.15 of each other; the configured C keeps it inside.
  static final long[][] EMP = {
    {40, 55, 60, 80, 90, 100, 120, 150, 200, 250, 70, 95},
    {42, 55, 58, 84, 93, 100, 126, 150, 204, 255, 72, 97}
  };
  static final long[][] PC = {
    {10, 12, 14, 18, 20, 22, 25, 30, 40, 50, 16, 15},
    {10, 13, 14, 19, 21, 22, 26, 30, 41, 52, 17, 160}
  };
  static final long[] SPEC = {1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 2, 2};
  static final double[][] COST = {
    {400, 500, 600, 700, 800, 900, 1000, 1200, 1500, 2000, 800, 600},
    {430, 520, 610, 760, 800, 970, 1040, 1250, 1560, 2060, 840000, 650}
  };

  static String bin(int k) {
    return String.format("%012d", k);
  }

  static Row unit(int year, int k, long emp, long pc, long spec, double cost) {
    return RowFactory.create(
        year, bin(k), "C|medium|75", "medium", 1.0, emp, pc, spec, cost, 1, 1, 1, 1);
  }

  @Test
  void unitErrorAndExtraDigitAreFlaggedCleanUnitsAreNot(SparkSession spark) {
    ConsistencyConfig conf = ConsistencyConfig.load(Path.of("conf"));
    List<Row> rows = new ArrayList<>();
    for (int k = 1; k <= 12; k++) {
      for (int t = 0; t < 2; t++) {
        rows.add(unit(2023 + t, k, EMP[t][k - 1], PC[t][k - 1], SPEC[k - 1], COST[t][k - 1]));
      }
    }
    // a large unit new in 2024 (no pair): the selective-editing totals are not the panel's alone
    rows.add(unit(2024, 99, 50000, 3000, 500, 100000));
    // 2025: unit 11 back to thousand tenge (880), unit 5 +10 %, unit 3 +20 % (an error of unit 3
    // on another item is logged in 2024); everything else unchanged
    rows.add(unit(2025, 11, 72, 17, 2, 880));
    rows.add(unit(2025, 5, 93, 21, 2, 880));
    rows.add(unit(2025, 3, 58, 14, 2, 732));
    Dataset<Row> units = spark.createDataFrame(rows, UNITS);
    MicroEdits.Output out = MicroEdits.run(spark, units, conf, 2024);
    Dataset<Row> flags = out.flags().cache();

    Set<String> flagged = new TreeSet<>();
    for (Row r : flags.where("flagged AND method <> 'transition'").collectAsList()) {
      flagged.add(
          r.getAs("year") + " " + r.getAs("method") + " " + r.getAs("item") + " " + r.getAs("bin"));
    }
    // 2025 selective: total 880 + 880 + 732 = 2492; unit 11 moves |880 - 840000|, unit 5 80
    // (3.2 %), unit 3 122 (4.9 %), all above 1 %. HB 2025: three pairs only, pooled; the
    // quartiles are wide (unit 11's ratio 0.001), nothing falls outside.
    assertEquals(
        new TreeSet<>(
            List.of(
                "2024 hb ict_costs_total " + bin(11),
                "2024 hb n_computers " + bin(12),
                "2024 selective ict_costs_total " + bin(11),
                "2024 selective n_computers " + bin(12),
                "2025 selective ict_costs_total " + bin(11),
                "2025 selective ict_costs_total " + bin(5),
                "2025 selective ict_costs_total " + bin(3))),
        flagged);

    // the HB score of unit 12 from the formula: median ratio of the 12 pairs, E = s * max^U
    double[] r = new double[12];
    for (int k = 0; k < 12; k++) r[k] = (double) PC[1][k] / PC[0][k];
    double[] sorted = r.clone();
    Arrays.sort(sorted);
    double med = (sorted[5] + sorted[6]) / 2;
    double e12 = (r[11] / med - 1) * Math.pow(160, conf.hb().u());
    Row s12 =
        flags
            .where(
                "year = 2024 AND method = 'hb' AND item = 'n_computers' AND bin = '"
                    + bin(12)
                    + "'")
            .first();
    assertEquals(e12, (Double) s12.getAs("score"), 1e-9);

    // recall against a log: the two anomalies (the cost one on every amount) and an error of
    // unit 3 on an item micro-editing does not check
    StructType logSchema =
        new StructType()
            .add("year", DataTypes.StringType)
            .add("bin", DataTypes.StringType)
            .add("item", DataTypes.StringType)
            .add("error_type", DataTypes.StringType);
    Dataset<Row> log =
        spark.createDataFrame(
            List.of(
                RowFactory.create("2024", bin(11), "ict_costs_total", "amount_unit_error"),
                RowFactory.create("2024", bin(11), "ict_costs_hardware", "amount_unit_error"),
                RowFactory.create("2024", bin(12), "n_computers", "count_digit_error"),
                RowFactory.create(
                    "2024",
                    bin(3),
                    "employees_using_computers",
                    "employees_using_exceed_employees")),
            logSchema);
    AnomalyRecall.Result res =
        AnomalyRecall.run(log, flags, Set.of("n_computers", "ict_costs_total", "employees"));
    assertEquals(
        List.of(
            new AnomalyRecall.TypeRecall("amount_unit_error", 1, 1, 1, 1),
            new AnomalyRecall.TypeRecall("count_digit_error", 1, 1, 1, 1)),
        res.byType());
    // hb: the two anomalies; selective 2025: unit 11 returning (echo), unit 3 (an error of the
    // unit the year before), unit 5 (clean)
    assertEquals(
        List.of(
            new AnomalyRecall.MethodFlags("hb", 2, 2, 0, 0, 0),
            new AnomalyRecall.MethodFlags("selective", 5, 2, 1, 1, 1)),
        res.byMethod());
    flags.unpersist();
    out.close();
  }
}
