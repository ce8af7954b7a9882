package kz.stat.ictstat.controls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kz.stat.ictstat.cli.Main;
import kz.stat.ictstat.config.JobConfig;
import kz.stat.ictstat.spark.TableCatalog;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** core.responses and core.sample written through the catalog, the stage run, the CLI. */
@SparkTest
class ControlsEndToEndTest {
  @Test
  void runsTheStageWritesTheThreeTablesAndReportsARespondent(
      SparkSession spark, TableCatalog catalog, JobConfig config) {
    String clean = CleanRecords.bin(11);
    String dup = CleanRecords.bin(12);
    String outside = CleanRecords.bin(13);
    String jump = CleanRecords.bin(14);
    var recs = new CleanRecords(spark, ControlRulesTest.SURVEY);
    recs.add(2023, clean).add(2023, jump);
    recs.add(2024, clean).add(2024, dup).add(2024, dup).add(2024, outside);
    recs.add(2024, jump, "n_computers", 100L, "employees", 30L, "krp", "130");
    catalog.overwrite("core.responses", recs.frame(), "year");
    var sample =
        spark.sql(
            "SELECT 2024 AS year, bin FROM VALUES ('"
                + clean
                + "'), ('"
                + dup
                + "'), ('"
                + jump
                + "') AS t(bin)");
    catalog.overwrite("core.sample", sample, "year");

    // the stage through the command line, which prints the summary
    String wh = config.warehouse().toString();
    Cli run = Cli.run("controls", "--warehouse", wh, "--years", "2023-2024");
    assertEquals(0, run.code, run.err);
    assertTrue(run.out.contains("2024  CR02   cross_record fatal"), run.out);
    assertTrue(
        run.out.contains("6 records of [2023, 2024] controlled: 4 fit for estimation"), run.out);
    int rules2023 = ControlRulesTest.rules(spark).applicable(2023, ControlRulesTest.SURVEY).size();
    int rules2024 = ControlRulesTest.rules(spark).applicable(2024, ControlRulesTest.SURVEY).size();
    long evaluations = 2L * rules2023 + 5L * rules2024;
    assertTrue(run.out.contains(evaluations + " record x rule evaluations"), run.out);
    Map<String, long[]> s = new HashMap<>();
    for (Row row : catalog.read("core.control_summary").collectAsList()) {
      s.put(
          row.getAs("year").toString() + row.getAs("rule_id"),
          new long[] {
            row.getAs("items"), row.getAs("passes"), row.getAs("fails"), row.getAs("na")
          });
    }
    // cross-record: sample membership (2023 has no sample: na), duplicates
    assertEquals(List.of(5L, 4L, 1L, 0L), List.of(box(s.get("2024CR02"))));
    assertEquals(List.of(2L, 0L, 0L, 2L), List.of(box(s.get("2023CR02"))));
    assertEquals(List.of(5L, 3L, 2L, 0L), List.of(box(s.get("2024CR01"))));
    // cross-year: jump 5 -> 100 computers fails; clean passes; the others have no 2023 record
    assertEquals(List.of(5L, 1L, 1L, 3L), List.of(box(s.get("2024YY01"))));
    assertEquals(List.of(2L, 0L, 0L, 2L), List.of(box(s.get("2023YY01")))); // nothing in 2022

    Map<String, Row> status = new HashMap<>();
    for (Row r : catalog.read("core.control_status").where("year = 2024").collectAsList()) {
      status.put(r.getAs("bin"), r);
    }
    assertEquals(4, status.size(), "one status row per BIN and year");
    assertEquals(true, status.get(clean).getAs("fit_for_estimation"));
    assertEquals(2L, (long) status.get(dup).getAs("n_fatal"), "CR01 failed by both records");
    assertEquals(false, status.get(outside).getAs("fit_for_estimation"));
    assertEquals(true, status.get(jump).getAs("fit_for_estimation"));
    assertEquals(1L, (long) status.get(jump).getAs("n_warning"), "YY01 (5 -> 100 computers)");

    var report =
        RespondentReport.build(catalog, ControlRulesTest.rules(spark), 2024, jump, "ru").render();
    assertTrue(
        report.contains("Количество компьютеров изменилось по сравнению с прошлым годом"), report);
    assertTrue(report.contains("prev_n_computers = 5"), report);
    assertTrue(report.contains("n_computers = 100"), report);
    String kk =
        RespondentReport.build(catalog, ControlRulesTest.rules(spark), 2024, jump, "kk").render();
    assertTrue(kk.startsWith("БСН " + jump + ", 2024"), kk);

    // the command line: summary, report, unknown BIN
    Cli rep =
        Cli.run(
            "controls",
            "report",
            "--warehouse",
            wh,
            "--year",
            "2024",
            "--bin",
            dup,
            "--lang",
            "en");
    assertEquals(0, rep.code, rep.err);
    assertTrue(rep.out.contains("[fatal] E201 CR01  The BIN appears more than once"), rep.out);
    Cli none =
        Cli.run("controls", "report", "--warehouse", wh, "--year", "2024", "--bin", "000000000000");
    assertEquals(2, none.code);
    assertTrue(
        none.err.contains("error: BIN 000000000000 has no control results for 2024"), none.err);
  }

  @Test
  void aRuleFailingAtRunTimeIsCountedAsEvaluationErrorsInItsYearOnly(
      SparkSession spark, TableCatalog catalog) {
    // 2^62 * n_computers overflows a bigint (ANSI arithmetic) for 2 computers or more: the 2021
    // record has 5, the 2020 record 1
    Rule range = ControlRulesTest.rules(spark).rule("RG10");
    Rule overflow =
        new Rule(
            "XX01",
            range.file(),
            range.kind(),
            range.severity(),
            "E999",
            range.labels(),
            "overflows for two computers or more",
            null,
            Set.of(),
            null,
            "n_computers * 4611686018427387904 >= 0",
            range.columns(),
            range.items(),
            range.prevItems(),
            Set.of());
    var recs = new CleanRecords(spark, ControlRulesTest.SURVEY);
    String a = CleanRecords.bin(21);
    String b = CleanRecords.bin(22);
    recs.add(2020, a, "n_computers", 1L).add(2021, a, "n_computers", 5L);
    recs.add(2021, b, "n_computers", -1L);
    catalog.overwrite("core.responses", recs.frame(), "year");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    var result =
        new Controls(
                catalog,
                ControlRulesTest.SURVEY,
                new RuleSet(List.of(range, overflow)),
                new PrintStream(buf, true, StandardCharsets.UTF_8))
            .execute(new Controls.Options(new kz.stat.ictstat.config.YearRange(2020, 2021)));
    String printed = buf.toString(StandardCharsets.UTF_8);
    assertTrue(
        printed.contains("rule XX01 (" + range.file() + ") fails to evaluate in 2021"), printed);
    assertFalse(printed.contains("fails to evaluate in 2020"), printed);
    Map<String, List<Long>> s = new HashMap<>();
    for (var r : result.summary()) {
      s.put(
          r.year() + r.ruleId(), List.of(r.items(), r.passes(), r.fails(), r.na(), r.evalErrors()));
    }
    assertEquals(
        Map.of(
            "2020RG10", List.of(1L, 1L, 0L, 0L, 0L),
            "2021RG10", List.of(2L, 1L, 1L, 0L, 0L),
            "2020XX01", List.of(1L, 1L, 0L, 0L, 0L),
            "2021XX01", List.of(2L, 0L, 0L, 0L, 2L)),
        s);
    // every record has a status; b failed the fatal RG10
    assertEquals(3, result.records());
    assertEquals(2, result.recordsFit());
    List<Row> results =
        catalog.read("core.control_results").where("year IN (2020, 2021)").collectAsList();
    assertEquals(1, results.size(), "only the failure is stored: " + results);
    assertEquals("RG10", results.get(0).getAs("rule_id"));
    assertEquals(b, results.get(0).getAs("bin"));
  }

  private static Long[] box(long[] a) {
    Long[] b = new Long[a.length];
    for (int i = 0; i < a.length; i++) b[i] = a[i];
    return b;
  }

  private record Cli(int code, String out, String err) {
    static Cli run(String... args) {
      PrintStream before = System.out;
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      StringWriter err = new StringWriter();
      int code;
      try {
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        code = Main.execute(new PrintWriter(err), args);
      } finally {
        System.setOut(before);
      }
      return new Cli(code, buf.toString(StandardCharsets.UTF_8), err.toString());
    }
  }
}
