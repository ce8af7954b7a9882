package kz.stat.ictstat.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.config.YearRange;
import kz.stat.ictstat.spark.TableCatalog;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of unusable input: one error naming the file and the reason, the right exit code, and
 * nothing written (the warehouse stays empty).
 */
@SparkTest
class IngestFailureTest {
  static SurveyDefinitions survey;
  @TempDir Path input;

  @BeforeAll
  static void load() {
    survey = SurveyLoader.load(Path.of("conf"));
  }

  private IctstatException fail(SparkSession spark, TableCatalog catalog, int year, int exitCode) {
    var ingest =
        new Ingest(spark, catalog, survey, IngestOptions.detect(input, YearRange.of(year)), null);
    var e = assertThrows(IctstatException.class, ingest::execute);
    assertEquals(exitCode, e.exitCode(), e.getMessage());
    assertTrue(catalog.existing().isEmpty(), "nothing written: " + catalog.existing());
    assertTrue(e.getMessage().endsWith("; nothing was written") || exitCode == 2, e.getMessage());
    return e;
  }

  @Test
  void missingInputFolder(SparkSession spark, TableCatalog catalog) {
    var e =
        assertThrows(
            IctstatException.class,
            () ->
                new Ingest(
                        spark,
                        catalog,
                        survey,
                        IngestOptions.detect(input.resolve("nope"), YearRange.of(2024)),
                        null)
                    .execute());
    assertEquals(2, e.exitCode());
    assertTrue(e.getMessage().startsWith("input folder not found: " + input.resolve("nope")));
  }

  @Test
  void missingYearFolder(SparkSession spark, TableCatalog catalog) {
    String m = fail(spark, catalog, 2024, 2).getMessage();
    assertTrue(
        m.startsWith("cannot ingest " + input.resolve("2024") + ": folder of year 2024 not found"),
        m);
  }

  @Test
  void missingRegisterFile(SparkSession spark, TableCatalog catalog) {
    new Fixtures(survey, input).responses(2024, Fixtures.Variant.utf8Comma(), 2);
    String m = fail(spark, catalog, 2024, 2).getMessage();
    assertTrue(
        m.startsWith(
            "cannot ingest "
                + input.resolve("2024/register_2024.csv")
                + ": register file not found"),
        m);
  }

  @Test
  void emptyFile(SparkSession spark, TableCatalog catalog) {
    var fx = new Fixtures(survey, input);
    fx.register(2024, 2);
    Fixtures.writeBytes(fx.dir(2024).resolve("responses_2024.csv"), new byte[0]);
    assertTrue(
        fail(spark, catalog, 2024, 1)
            .getMessage()
            .startsWith("cannot ingest 2024/responses_2024.csv: is empty (0 bytes)"));
  }

  @Test
  void headerOnly(SparkSession spark, TableCatalog catalog) {
    var fx = new Fixtures(survey, input);
    fx.register(2024, 2);
    fx.responses(2024, Fixtures.Variant.utf8Comma(), 0);
    assertTrue(
        fail(spark, catalog, 2024, 1)
            .getMessage()
            .startsWith("cannot ingest 2024/responses_2024.csv: has a header but no data rows"));
  }

  @Test
  void unknownLayout(SparkSession spark, TableCatalog catalog) {
    var fx = new Fixtures(survey, input);
    fx.register(2024, 2);
    Fixtures.writeBytes(
        fx.dir(2024).resolve("responses_2024.csv"),
        "bin;period;colour\n100000000001;2024;red\n".getBytes(StandardCharsets.UTF_8));
    String m = fail(spark, catalog, 2024, 1).getMessage();
    assertTrue(
        m.startsWith(
            "cannot ingest 2024/responses_2024.csv: header does not match form version v2022 of"
                + " 2024: unknown column(s) 'colour' (closest known: "),
        m);
    assertTrue(m.contains("missing column(s) 'oked', 'kato'"), m);
  }

  @Test
  void binaryJunk(SparkSession spark, TableCatalog catalog) {
    var fx = new Fixtures(survey, input);
    fx.register(2024, 2);
    byte[] junk = new byte[10_000];
    new java.util.Random(1).nextBytes(junk);
    junk[0] = 0;
    Fixtures.writeBytes(fx.dir(2024).resolve("responses_2024.csv"), junk);
    assertTrue(
        fail(spark, catalog, 2024, 1)
            .getMessage()
            .startsWith(
                "cannot ingest 2024/responses_2024.csv: holds binary content, not CSV text (NUL"
                    + " byte at offset 0)"));
  }

  @Test
  void anotherYearsDataInside(SparkSession spark, TableCatalog catalog) {
    var fx = new Fixtures(survey, input);
    fx.register(2023, 3);
    fx.responses(2023, Fixtures.Variant.utf8Comma(), 3);
    // the 2023 files copied into the 2024 folder under 2024 names (same layout v2022)
    fx.register(2024, 3);
    java.util.List<java.util.Map<String, String>> rows = new java.util.ArrayList<>();
    for (int i = 1; i <= 3; i++) rows.add(fx.responseRow(2023, i));
    fx.responses(2024, "responses_2024.csv", Fixtures.Variant.utf8Comma(), rows);
    String m = fail(spark, catalog, 2024, 1).getMessage();
    assertEquals(
        "cannot ingest 2024/responses_2024.csv: 3 of 3 rows carry year 2023, not 2024: the file"
            + " holds another year's data; put the file of 2024 in the folder 2024; nothing was"
            + " written",
        m);
  }

  @Test
  void fileNamedForAnotherYearAndBothNationalAndRegionalFiles(
      SparkSession spark, TableCatalog catalog) {
    var fx = new Fixtures(survey, input);
    fx.cleanYear(2024, Fixtures.Variant.utf8Comma(), 2);
    fx.responses(2024, "responses_2024_75.csv", Fixtures.Variant.utf8Comma(), java.util.List.of());
    Fixtures.writeBytes(fx.dir(2024).resolve("register_2023.csv"), "x".getBytes());
    String m = fail(spark, catalog, 2024, 1).getMessage();
    assertTrue(
        m.startsWith(
            "cannot ingest: 3 input problems: 2024/register_2023.csv: file name is for year 2023"
                + " but it lies in the folder of 2024 | 2024: holds both responses_2024.csv and"
                + " regional"),
        m);
    assertTrue(m.contains("| 2024/responses_2024_75.csv: has a header but no data rows"), m);
  }

  @Test
  void noRowReadable(SparkSession spark, TableCatalog catalog) {
    var fx = new Fixtures(survey, input);
    fx.register(2024, 2);
    // a ',' header (so ',' is detected) over ';' rows: every row has one field
    Fixtures.write(
        fx.dir(2024).resolve("responses_2024.csv"),
        Fixtures.Variant.utf8Comma(),
        java.util.List.of(
            String.join(",", survey.formFor(2024).columns().keySet()), "100000000001;2024"));
    String m = fail(spark, catalog, 2024, 1).getMessage();
    assertTrue(
        m.startsWith(
            "cannot ingest 2024/responses_2024.csv: none of its 1 rows can be read (line 2:"
                + " expected 49 fields separated by ',', found 1)"),
        m);
  }
}
