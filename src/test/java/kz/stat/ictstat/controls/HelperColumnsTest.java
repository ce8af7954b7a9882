package kz.stat.ictstat.controls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class HelperColumnsTest {
  @Test
  void binCheckDigitInSqlAgreesWithAnIndependentComputation(SparkSession spark) {
    Random rnd = new Random(7);
    List<String> bins = new ArrayList<>();
    Map<String, Boolean> expected = new TreeMap<>();
    int secondWeights = 0;
    while (bins.size() < 3000) {
      String base = String.format("%011d", (long) (rnd.nextDouble() * 1e11));
      Integer check = CleanRecords.checkDigit(base);
      int s1 = 0;
      for (int i = 0; i < 11; i++) s1 += (base.charAt(i) - '0') * (i + 1);
      if (s1 % 11 == 10) secondWeights++;
      for (int d = 0; d <= 9; d++) {
        bins.add(base + d);
        expected.put(base + d, check != null && check == d);
      }
    }
    for (String odd : new String[] {"12345678901", "1234567890123", "12345678901a"}) {
      bins.add(odd);
      expected.put(odd, false);
    }
    var df =
        spark
            .createDataset(bins, org.apache.spark.sql.Encoders.STRING())
            .toDF("b")
            .selectExpr("b", HelperColumns.binCheckSql("b") + " AS ok");
    Map<String, Boolean> got = new TreeMap<>();
    for (Row r : df.collectAsList()) got.put(r.getString(0), r.getBoolean(1));
    assertEquals(expected, got);
    assertEquals(true, secondWeights > 10, "the second weights were exercised: " + secondWeights);
  }

  @Test
  void katoValidityFollowsThe2018And2022Reforms(SparkSession spark) {
    var h = new HelperColumns(ControlRulesTest.SURVEY);
    // region prefixes by the classifier dates, written out by hand
    assertEquals(true, h.katoRegions(2018).containsAll(List.of("51", "61", "79")));
    assertEquals(false, h.katoRegions(2019).contains("51"));
    assertEquals(false, h.katoRegions(2017).contains("61"));
    assertEquals(false, h.katoRegions(2021).contains("10"));
    assertEquals(true, h.katoRegions(2022).containsAll(List.of("10", "33", "62", "63")));
    assertEquals(List.of(), h.katoRetired(2018));
    assertEquals(true, h.katoRetired(2019).containsAll(List.of("5110", "51")));
    assertEquals(false, h.katoRetired(2022).contains("6310"));
    assertEquals(true, h.katoRetired(2023).contains("6310"));

    String[][] cases = {
      // kato, year, valid
      {"511010000", "2017", "true"},
      {"511010000", "2018", "true"},
      {"511010000", "2019", "false"},
      {"611010000", "2017", "false"},
      {"611010000", "2018", "true"},
      {"791010000", "2017", "false"},
      {"791010000", "2019", "true"},
      {"631010000", "2022", "true"},
      {"631010000", "2023", "false"},
      {"633510000", "2023", "true"},
      {"101010000", "2021", "false"},
      {"101010000", "2022", "true"},
      {"751110000", "2004", "true"},
      {"75111000", "2024", "false"},
      {"991110000", "2024", "false"}
    };
    // all cases in one frame: validity follows each record's own year
    CleanRecords recs = new CleanRecords(spark, ControlRulesTest.SURVEY);
    Set<Integer> years = new java.util.TreeSet<>();
    for (int i = 0; i < cases.length; i++) {
      int year = Integer.parseInt(cases[i][1]);
      recs.add(year, CleanRecords.bin(i + 1), "kato", cases[i][0]);
      years.add(year);
    }
    Map<String, Row> got = new TreeMap<>();
    for (Row r :
        h.add(recs.frame(), years, Set.of("kato_valid", "kato_region"), null)
            .select("bin", "kato_valid", "kato_region")
            .collectAsList()) {
      got.put(r.getString(0), r);
    }
    assertEquals(cases.length, got.size());
    for (int i = 0; i < cases.length; i++) {
      String[] c = cases[i];
      Row r = got.get(CleanRecords.bin(i + 1));
      assertEquals(Boolean.parseBoolean(c[2]), r.getBoolean(1), c[0] + " in " + c[1]);
      assertEquals(c[0].substring(0, 2), r.getString(2));
    }
  }
}
