package kz.stat.ictstat.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each file variant parses to the same typed values; each format problem quarantines its row. */
@SparkTest
class RowParserTest {
  static SurveyDefinitions survey;
  @TempDir Path input;

  @BeforeAll
  static void load() {
    survey = SurveyLoader.load(Path.of("conf"));
  }

  /** The file parsed as ingest does, ordered by line. */
  private List<Row> parse(SparkSession spark, Path file, int year) throws Exception {
    InputFile f =
        FileInspector.inspect(
            file,
            year,
            InputFile.Kind.RESPONSES,
            file.getFileName().toString(),
            Optional.empty(),
            Optional.empty());
    var cols = Layout.form(survey.formFor(year), survey).match(f, survey);
    String seps = f.delimiter() == ';' ? ".," : ".";
    Dataset<Row> d = RowParser.parse(spark, List.of(f), cols, f.delimiter(), seps);
    return d.orderBy("source_line").collectAsList();
  }

  @Test
  void numberAndCodeChecksAgreeWithTheirRegularExpressions() {
    Pattern whole = Pattern.compile("-?[0-9]+");
    Pattern amountDot = Pattern.compile("-?([0-9]+([.][0-9]*)?|[.][0-9]+)");
    Pattern amountBoth = Pattern.compile("-?([0-9]+([.,][0-9]*)?|[.,][0-9]+)");
    Pattern year = Pattern.compile("[0-9]{4}");
    Pattern bin = Pattern.compile("[0-9]{12}");
    String[] samples = {
      "0",
      "7",
      "-7",
      "007",
      "-",
      "--1",
      "1-",
      "+1",
      " 1",
      "1 ",
      "12a",
      "١٢",
      "1.5",
      "1,5",
      "1.",
      ".5",
      ",5",
      "-.5",
      "-,5",
      ".",
      ",",
      "-.",
      "1.2.3",
      "1,2.3",
      "1.234,5",
      "1e3",
      "2024",
      "20245",
      "202",
      "123456789012",
      "12345678901",
      "1234567890123",
      "12345678901a",
      "-12345678901",
      "99999999999999999999",
      "1_000"
    };
    for (String s : samples) {
      assertEquals(whole.matcher(s).matches(), RowParser.Classifier.whole(s), s);
      assertEquals(amountDot.matcher(s).matches(), RowParser.Classifier.amount(s, "."), s);
      assertEquals(amountBoth.matcher(s).matches(), RowParser.Classifier.amount(s, ".,"), s);
      assertEquals(year.matcher(s).matches(), RowParser.Classifier.digits(s, 4), s);
      assertEquals(bin.matcher(s).matches(), RowParser.Classifier.digits(s, 12), s);
    }
  }

  static Stream<Fixtures.Variant> variants() {
    return Stream.of(
        Fixtures.Variant.utf8Comma(),
        Fixtures.Variant.utf8BomSemicolonDecimalComma(),
        Fixtures.Variant.cp1251SemicolonCrlf(),
        Fixtures.Variant.cp1251SemicolonDecimalComma());
  }

  @ParameterizedTest
  @MethodSource("variants")
  void everyVariantGivesTheSameTypedValues(Fixtures.Variant v, SparkSession spark)
      throws Exception {
    var fx = new Fixtures(survey, input);
    Path p = fx.responses(2024, v, 3);
    List<Row> rows = parse(spark, p, 2024);
    assertEquals(3, rows.size());
    for (int i = 1; i <= 3; i++) {
      Row r = rows.get(i - 1);
      assertEquals(i + 1L, (long) r.getAs("source_line")); // line 1 is the header
      assertNull(r.getAs("reason"), () -> r.getAs("reason"));
      assertEquals(Fixtures.bin(i), r.getAs("bin"));
      assertEquals(2024, (int) r.getAs("year"));
      assertEquals(10L + i, (long) r.getAs("employees"));
      assertEquals(i % 2, (int) r.getAs("uses_computers"));
      assertEquals(i + 0.5, (double) r.getAs("ict_costs_total"), 0.0);
      assertEquals("751110000", r.getAs("kato"));
    }
  }

  @Test
  void windows1251TextIsDecoded(SparkSession spark) throws Exception {
    var fx = new Fixtures(survey, input);
    Map<String, String> row = fx.responseRow(2024, 1);
    row.put("oked", "А6201"); // Cyrillic А: a semantic error, kept for the controls to catch
    Path p =
        fx.responses(
            2024, "responses_2024.csv", Fixtures.Variant.cp1251SemicolonCrlf(), List.of(row));
    Row r = parse(spark, p, 2024).get(0);
    assertNull(r.getAs("reason"));
    assertEquals("А6201", r.getAs("oked"));
  }

  @Test
  void quotedFieldsAreUnquotedAndTrimmed(SparkSession spark) throws Exception {
    var fx = new Fixtures(survey, input);
    Map<String, String> row = fx.responseRow(2024, 1);
    row.put("oked", "\"62010\"");
    row.put("p103", " \" 12 \" ");
    row.put("p701", "\"\"");
    row.put("kato", "\"75\"1110000"); // a quote inside the value is kept
    Path p = fx.responses(2024, "responses_2024.csv", Fixtures.Variant.utf8Comma(), List.of(row));
    Row r = parse(spark, p, 2024).get(0);
    assertNull(r.getAs("reason"), () -> r.getAs("reason"));
    assertEquals("62010", r.getAs("oked"));
    assertEquals(12L, (long) r.getAs("n_computers"));
    assertNull(r.getAs("ict_costs_total"));
    assertEquals("\"75\"1110000", r.getAs("kato"));
  }

  @Test
  void formatProblemsAreQuarantinedSemanticOnesPassThrough(SparkSession spark) throws Exception {
    var fx = new Fixtures(survey, input);
    Map<String, String> good = fx.responseRow(2024, 1);
    Map<String, String> fewer = fx.responseRow(2024, 2);
    fewer.remove("p802"); // written as an empty field: still 49 fields, so build the line by hand
    Map<String, String> badCount = fx.responseRow(2024, 3);
    badCount.put("p103", "12a");
    Map<String, String> otherYear = fx.responseRow(2024, 4);
    otherYear.put("period", "2023");
    Map<String, String> shortBin = fx.responseRow(2024, 5);
    shortBin.put("bin", "12345");
    Map<String, String> thousands = fx.responseRow(2024, 6);
    thousands.put("p701", "1.234,5");
    Map<String, String> semantic = fx.responseRow(2024, 7);
    semantic.put("p102", "7"); // binary 7
    semantic.put("p103", "-3"); // negative count
    semantic.put("bin", "123456789012"); // 12 digits, check digit not verified here
    Map<String, String> blanks = fx.responseRow(2024, 8);
    blanks.put("p103", "");
    blanks.put("p701", "");
    Map<String, String> tooBig = fx.responseRow(2024, 9);
    tooBig.put("p102", "99999999999"); // over INT
    tooBig.put("p103", "99999999999999999999"); // over BIGINT
    Path p =
        fx.responses(
            2024,
            "responses_2024.csv",
            Fixtures.Variant.utf8BomSemicolonDecimalComma(),
            List.of(good, badCount, otherYear, shortBin, thousands, semantic, blanks, tooBig),
            "100000000002;2024;62010",
            "");
    List<Row> rows = parse(spark, p, 2024);
    // lines: 2 good, 3 badCount, 4 otherYear, 5 shortBin, 6 thousands, 7 semantic, 8 blanks,
    // 9 tooBig, 10 three fields, 11 blank
    assertEquals(10, rows.size());
    String[] expected = {
      null,
      "column p103 (n_computers): '12a' is not a whole number",
      "column period (year): year 2023 in the row, but the file is for 2024",
      "column bin: '12345' is not a 12-digit BIN",
      "column p701 (ict_costs_total): '1,234,5' is not a number (decimal separator '.' or ',')",
      null,
      null,
      "column p102 (uses_computers): '99999999999' is out of range for BINARY; column p103"
          + " (n_computers): '99999999999999999999' is out of range for COUNT",
      "expected 49 fields separated by ';', found 3",
      "blank line"
    };
    for (int i = 0; i < expected.length; i++) {
      assertEquals(i + 2L, (long) rows.get(i).getAs("source_line"));
      assertEquals(expected[i], rows.get(i).getAs("reason"), "line " + (i + 2));
    }
    assertEquals(true, rows.get(2).getAs("wrong_year"));
    Row sem = rows.get(5);
    assertEquals(7, (int) sem.getAs("uses_computers"));
    assertEquals(-3L, (long) sem.getAs("n_computers"));
    Row b = rows.get(6);
    assertNull(b.getAs("n_computers"));
    assertNull(b.getAs("ict_costs_total"));
    assertEquals(8.5, (double) b.getAs("ict_costs_hardware"), 0.0);
  }
}
