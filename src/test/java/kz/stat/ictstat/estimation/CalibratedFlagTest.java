package kz.stat.ictstat.estimation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Estimates of a year with calibrated weights say that their SEs ignore the calibration. */
@SparkTest
class CalibratedFlagTest {
  @Test
  void onlyTheYearsWithCalibratedWeightsAreFlagged(SparkSession spark) {
    var est =
        spark.sql(
            "SELECT * FROM VALUES (2023, 'a', ''), (2023, 'b', 'lonely:collapse'),"
                + " (2024, 'a', ''), (2024, 'b', 'lonely:collapse') AS t(year, indicator, flags)");
    var weights =
        spark.sql(
            "SELECT * FROM VALUES (2023, 'nonresponse'), (2024, 'calibrated_linear'),"
                + " (2024, 'calibrated_linear') AS t(year, weight_stage)");
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Map<String, String> flags = new TreeMap<>();
    for (Row r :
        Estimation.flagCalibratedYears(
                est, weights, new PrintStream(console, true, StandardCharsets.UTF_8))
            .collectAsList()) {
      flags.put(r.getInt(0) + "/" + r.getString(1), r.getString(2));
    }
    String f = Estimation.CALIBRATED_SE_FLAG;
    assertEquals(
        Map.of(
            "2023/a",
            "",
            "2023/b",
            "lonely:collapse",
            "2024/a",
            f,
            "2024/b",
            "lonely:collapse," + f),
        flags);
    assertTrue(
        console.toString(StandardCharsets.UTF_8).contains("[2024] are calibrated"),
        console.toString(StandardCharsets.UTF_8));

    // no calibrated year: the estimates pass through unchanged, nothing printed
    ByteArrayOutputStream quiet = new ByteArrayOutputStream();
    var none = spark.sql("SELECT * FROM VALUES (2024, 'nonresponse') AS t(year, weight_stage)");
    assertEquals(
        est.collectAsList(),
        Estimation.flagCalibratedYears(
                est, none, new PrintStream(quiet, true, StandardCharsets.UTF_8))
            .collectAsList());
    assertEquals("", quiet.toString(StandardCharsets.UTF_8));
  }
}
