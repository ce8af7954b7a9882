package kz.stat.ictstat.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import kz.stat.ictstat.cli.Main;
import kz.stat.ictstat.spark.TableCatalog;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

@SparkTest
class SamplerTest {
  static final SurveyDefinitions SURVEY = SurveyLoader.load(Path.of("conf"));

  static final StructType REGISTER =
      new StructType()
          .add("bin", DataTypes.StringType)
          .add("year", DataTypes.IntegerType)
          .add("oked", DataTypes.StringType)
          .add("kato", DataTypes.StringType)
          .add("krp", DataTypes.StringType)
          .add("kfs", DataTypes.StringType)
          .add("kse", DataTypes.StringType)
          .add("employees", DataTypes.LongType)
          .add("activity_status", DataTypes.IntegerType);

  /** A hand-sized register: every stratum's N_h and n_h is worked out in the comments. */
  static List<Row> handRegister(int year) {
    List<Row> rows = new ArrayList<>();
    int[] serial = {0};
    // C|small|75: 40 units -> n_h = round(0.10 * 40) = 4
    for (int i = 0; i < 40; i++) rows.add(unit(year, serial, "10110", "751010000", "105", 3));
    // G|small|11: 3 units -> round(0.3) = 0, raised to the minimum 2
    for (int i = 0; i < 3; i++) rows.add(unit(year, serial, "45110", "111010000", "110", 8));
    // G|small|15: 1 unit -> min(N_h = 1, 2) = 1
    rows.add(unit(year, serial, "46100", "151010000", "105", 2));
    // C|medium|75: 5 units, take-all -> 5
    for (int i = 0; i < 5; i++) rows.add(unit(year, serial, "10510", "751010000", "215", 120));
    // C|large|75: 2 units, take-all -> 2
    for (int i = 0; i < 2; i++) rows.add(unit(year, serial, "10510", "752010000", "305", 400));
    // J|small|71: 26 units -> round(2.6) = 3
    for (int i = 0; i < 26; i++) rows.add(unit(year, serial, "62010", "711010000", "120", 18));
    // out of scope: public administration (section O), section K outside 64.19/64.92/65
    rows.add(unit(year, serial, "84110", "751010000", "215", 130));
    rows.add(unit(year, serial, "64910", "751010000", "105", 3));
    // inactive unit of an in-scope activity
    rows.add(
        RowFactory.create(
            "9" + String.format("%011d", serial[0]++),
            year,
            "10110",
            "751010000",
            "105",
            "19",
            "1122",
            3L,
            2));
    return rows;
  }

  static Row unit(int year, int[] serial, String oked, String kato, String krp, long employees) {
    return RowFactory.create(
        String.format("%012d", serial[0]++), year, oked, kato, krp, "19", "1122", employees, 1);
  }

  @Test
  void classifiesUnitsFromTheirRegisterCodes(SparkSession spark) {
    Dataset<Row> r = spark.createDataFrame(handRegister(2024), REGISTER);
    Map<String, Row> byBin = new HashMap<>();
    for (Row row : Frame.classify(r, SURVEY).collectAsList()) byBin.put(row.getAs("bin"), row);
    Row first = byBin.get("000000000000");
    assertEquals("75", first.getAs("region"));
    assertEquals("C", first.getAs("section"));
    assertEquals("small", first.getAs("size_class"));
    assertEquals("15", first.getAs("ownership")); // 19 -> 17 -> 15 (private)
    assertEquals("1122", first.getAs("sector"));
    assertEquals(true, first.getAs("in_scope"));
    assertEquals("C|small|75", first.getAs("stratum"));
    long outOfScope = byBin.values().stream().filter(x -> !x.<Boolean>getAs("in_scope")).count();
    assertEquals(3, outOfScope); // section O, 64.91, and the inactive unit
  }

  @Test
  void sampleSizesPerStratumFollowTheDesignExactly(SparkSession spark) {
    Dataset<Row> r = spark.createDataFrame(handRegister(2024), REGISTER);
    Sampler.Result res = new Sampler(SURVEY, 7).draw(r);
    Map<String, long[]> strata = new TreeMap<>();
    for (Row s : res.strata().collectAsList()) {
      strata.put(
          s.getAs("stratum"),
          new long[] {s.<Long>getAs("frame_units"), s.<Long>getAs("sample_units")});
    }
    Map<String, long[]> expected =
        Map.of(
            "C|small|75", new long[] {40, 4},
            "G|small|11", new long[] {3, 2},
            "G|small|15", new long[] {1, 1},
            "C|medium|75", new long[] {5, 5},
            "C|large|75", new long[] {2, 2},
            "J|small|71", new long[] {26, 3});
    assertEquals(expected.keySet(), strata.keySet());
    expected.forEach(
        (k, v) -> {
          assertEquals(v[0], strata.get(k)[0], "N_h of " + k);
          assertEquals(v[1], strata.get(k)[1], "n_h of " + k);
        });
    List<Row> sample = res.sample().collectAsList();
    Map<String, Long> drawn =
        sample.stream()
            .collect(Collectors.groupingBy(x -> x.<String>getAs("stratum"), Collectors.counting()));
    expected.forEach((k, v) -> assertEquals(v[1], drawn.get(k), "sampled units in " + k));
    for (Row s : sample) {
      double n = s.<Long>getAs("sample_units");
      double big = s.<Long>getAs("frame_units");
      assertEquals(big / n, s.<Double>getAs("design_weight"), 1e-12);
      assertEquals(n / big, s.<Double>getAs("inclusion_prob"), 1e-12);
      double prn = s.getAs("prn");
      assertTrue(prn >= 0 && prn < 1, "prn in [0,1): " + prn);
    }
    // take-all strata are complete: all 7 medium and large units, weight 1
    List<Row> takeAll = sample.stream().filter(x -> x.<Boolean>getAs("take_all")).toList();
    assertEquals(7, takeAll.size());
    takeAll.forEach(x -> assertEquals(1.0, x.<Double>getAs("design_weight")));
    assertTrue(sample.stream().noneMatch(x -> x.<String>getAs("oked").startsWith("84")));
    assertEquals(Sampler.Result.class, res.getClass());
  }

  /** A stratum of 2,000 small units over five years: the same units, the window rotating. */
  static Dataset<Row> panel(SparkSession spark, int n) {
    List<Row> rows = new ArrayList<>();
    for (int year = 2004; year <= 2008; year++) {
      for (int i = 0; i < n; i++) {
        rows.add(
            RowFactory.create(
                String.format("1%011d", i),
                year,
                "47110",
                "751010000",
                "105",
                "16",
                "1122",
                2L,
                1));
      }
    }
    return spark.createDataFrame(rows, REGISTER);
  }

  @Test
  void consecutiveSamplesOverlapAsTheRotationPrescribes(SparkSession spark) {
    int n = 2000;
    long seed = 20250119L;
    Dataset<Row> reg = panel(spark, n);
    Map<Integer, Set<String>> got = new TreeMap<>();
    for (Row s :
        new Sampler(SURVEY, seed).draw(reg).sample().select("year", "bin").collectAsList()) {
      got.computeIfAbsent(s.getInt(0), y -> new HashSet<>()).add(s.getString(1));
    }
    // Second method: the PRN of every unit, then the selection rule applied by hand in Java.
    Map<String, Double> prn = new HashMap<>();
    for (Row p :
        reg.where("year = 2004")
            .selectExpr("bin", Sampler.prnSql("bin", seed) + " AS prn")
            .collectAsList()) {
      prn.put(p.getString(0), p.getDouble(1));
    }
    double rotation = SURVEY.design().rotation();
    double rate = SURVEY.design().samplingRates().get("small");
    int nh = (int) Math.round(rate * n);
    for (int year = 2004; year <= 2008; year++) {
      double shift = rotation * (year - 2004);
      Set<String> expected =
          prn.entrySet().stream()
              .sorted(
                  Comparator.comparingDouble(
                          (Map.Entry<String, Double> e) -> frac(e.getValue() + shift))
                      .thenComparing(Map.Entry::getKey))
              .limit(nh)
              .map(Map.Entry::getKey)
              .collect(Collectors.toSet());
      assertEquals(expected, got.get(year), "sample of " + year);
    }
    for (int year = 2005; year <= 2008; year++) {
      Set<String> both = new HashSet<>(got.get(year));
      both.retainAll(got.get(year - 1));
      double overlap = both.size() / (double) nh;
      // the window [a, a + rate) moves by `rotation`: expected overlap 1 - rotation / rate = 0.8
      assertEquals(1 - rotation / rate, overlap, 0.08, "overlap " + (year - 1) + "/" + year);
    }
  }

  private static double frac(double x) {
    return x - Math.floor(x);
  }

  @Test
  void theSampleIsReproducibleGivenTheSeed(SparkSession spark) {
    Dataset<Row> reg = panel(spark, 300).where("year = 2006");
    List<String> a = bins(new Sampler(SURVEY, 11).draw(reg).sample());
    List<String> b = bins(new Sampler(SURVEY, 11).draw(reg).sample());
    List<String> c = bins(new Sampler(SURVEY, 12).draw(reg).sample());
    assertEquals(30, a.size());
    assertEquals(a, b);
    assertNotEquals(a, c);
  }

  private static List<String> bins(Dataset<Row> sample) {
    return sample.select("bin").collectAsList().stream().map(r -> r.getString(0)).sorted().toList();
  }

  @Test
  void sampleCommandWritesSampleAndStrata(SparkSession spark, TableCatalog catalog) {
    catalog.overwrite("core.register", spark.createDataFrame(handRegister(2024), REGISTER), "year");
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            new PrintWriter(err, true),
            "sample",
            "--years",
            "2024",
            "--warehouse",
            catalog.warehouse());
    assertEquals(0, code, err.toString());
    assertEquals(17L, catalog.read("core.sample").count()); // 4 + 2 + 1 + 5 + 2 + 3
    assertEquals(6L, catalog.read("core.strata").count());

    code =
        Main.execute(
            new PrintWriter(err, true),
            "sample",
            "--years",
            "2010",
            "--warehouse",
            catalog.warehouse());
    assertEquals(2, code);
    assertTrue(err.toString().contains("core.register has no rows for years 2010"), err.toString());
    assertFalse(err.toString().contains("\tat "), err.toString());
  }
}
