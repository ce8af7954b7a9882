package kz.stat.ictstat.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import kz.stat.ictstat.config.YearRange;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files of a small population (scale 0.05): layouts, encodings, BINs, error log, determinism. */
@SparkTest
class GeneratorFilesTest {
  static final SurveyDefinitions SURVEY = SurveyLoader.load(Path.of("conf"));
  static final SyntheticModel MODEL = SyntheticModel.load(Path.of("conf/synthetic.yaml"));

  private static Generator.Result generate(SparkSession spark, Path root, int year, long seed) {
    return new Generator(
            SURVEY,
            MODEL,
            new Generator.Options(
                root.resolve("input"), root.resolve("truth"), YearRange.of(year), seed, 0.05),
            spark,
            null)
        .execute();
  }

  private static List<Path> responseFiles(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("responses_")).sorted().toList();
    }
  }

  @Test
  void files2012And2024DifferInLayoutAndEncoding(SparkSession spark, @TempDir Path root)
      throws IOException {
    generate(spark, root.resolve("a"), 2012, 7);
    generate(spark, root.resolve("b"), 2024, 7);
    List<Path> f2012 = responseFiles(root.resolve("a/input/2012"));
    List<Path> f2024 = responseFiles(root.resolve("b/input/2024"));
    // 2012: one file per region, Windows-1251, ';', decimal comma, CRLF, form v2007 line codes
    assertTrue(f2012.size() >= 10, "regional files: " + f2012);
    assertTrue(f2012.get(0).getFileName().toString().matches("responses_2012_\\d\\d\\.csv"));
    byte[] b2012 = Files.readAllBytes(f2012.get(0));
    assertFalse(b2012[0] == (byte) 0xEF, "no BOM in 2012");
    String t2012 = new String(b2012, Charset.forName("windows-1251"));
    assertTrue(t2012.startsWith("bin;god;oked;kato;krp;kfs;kse;r101;r102;r103"), t2012);
    assertTrue(t2012.contains("\r\n"));
    assertTrue(Pattern.compile(";\\d+,\\d(;|\r)").matcher(t2012).find(), "decimal comma");
    // 2024: one national file, UTF-8, ',', decimal point, LF, form v2022 line codes
    assertEquals(
        List.of("responses_2024.csv"),
        f2024.stream().map(p -> p.getFileName().toString()).toList());
    String t2024 = Files.readString(f2024.get(0), StandardCharsets.UTF_8);
    assertTrue(t2024.startsWith("bin,period,oked,kato,krp,kfs,kse,p101,p102,p103"), t2024);
    assertFalse(t2024.contains("\r\n"));
    assertFalse(t2024.contains(";"));
    assertTrue(Pattern.compile(",\\d+\\.\\d(,|\n)").matcher(t2024).find(), "decimal point");
  }

  @Test
  void binsAreValidExceptWhereAnErrorWasInjectedAndTheLogPointsAtRealLines(
      SparkSession spark, @TempDir Path root) throws IOException {
    generate(spark, root, 2024, 11);
    Path dir = root.resolve("input/2024");
    Path file = dir.resolve("responses_2024.csv");
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Map<Long, String> badBins = new HashMap<>();
    Map<String, Integer> types = new HashMap<>();
    List<String> log = Files.readAllLines(root.resolve("truth/errors.csv"));
    for (String l : log.subList(1, log.size())) {
      String[] e = l.split(",", -1);
      types.merge(e[3], 1, Integer::sum);
      if (!e[5].isEmpty()) {
        long line = Long.parseLong(e[5]);
        assertEquals("responses_2024.csv", e[4]);
        assertTrue(line >= 2 && line <= lines.size(), "logged line exists: " + l);
        if (e[3].equals("bad_bin_check_digit")) badBins.put(line, e[7]);
      }
    }
    int invalid = 0;
    Set<String> seen = new HashSet<>();
    int duplicates = 0;
    for (int i = 1; i < lines.size(); i++) {
      String bin = lines.get(i).split(",", -1)[0];
      if (!seen.add(lines.get(i))) duplicates++;
      if (!Bins.valid(bin)) {
        invalid++;
        assertEquals(
            bin, badBins.get((long) i + 1), "invalid BIN on line " + (i + 1) + " is logged");
      }
    }
    assertEquals(badBins.size(), invalid);
    assertEquals(types.getOrDefault("duplicate_record", 0), duplicates);
    // the responses plus the non-respondents are the sample
    long sample = 0;
    try (var s = Files.list(root.resolve("truth/sample/year=2024"))) {
      for (Path p : s.filter(p -> p.toString().endsWith(".csv")).toList()) {
        sample += Files.readAllLines(p).size() - 1;
      }
    }
    assertEquals(sample, lines.size() - 1 - duplicates + types.getOrDefault("unit_nonresponse", 0));
    assertTrue(types.getOrDefault("item_nonresponse", 0) > 0, types.toString());
  }

  @Test
  void theSameSeedGivesTheSameFiles(SparkSession spark, @TempDir Path root) throws IOException {
    generate(spark, root.resolve("x"), 2024, 5);
    generate(spark, root.resolve("y"), 2024, 5);
    generate(spark, root.resolve("z"), 2024, 6);
    byte[] x = Files.readAllBytes(root.resolve("x/input/2024/responses_2024.csv"));
    byte[] y = Files.readAllBytes(root.resolve("y/input/2024/responses_2024.csv"));
    byte[] z = Files.readAllBytes(root.resolve("z/input/2024/responses_2024.csv"));
    assertArrayEquals(x, y);
    assertFalse(java.util.Arrays.equals(x, z));
  }
}
