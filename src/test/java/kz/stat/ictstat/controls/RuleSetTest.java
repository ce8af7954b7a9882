package kz.stat.ictstat.controls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@SparkTest
class RuleSetTest {
  private static final String GOOD =
      """
      - id: OK1
        kind: in_record
        severity: fatal
        error_code: E1
        labels: {ru: ок, en: ok}
        expression: n_computers >= 0
      """;

  @Test
  void aRuleFileWithSeveralMistakesReportsThemAllWithFileAndId(
      SparkSession spark, @TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("rules"));
    Files.writeString(
        dir.resolve("rules/a.yaml"),
        "rules:\n"
            + GOOD
            + """
            - id: BAD1
              kind: in_record
              severity: fatal
              error_code: E2
              labels: {ru: р, en: e}
              expression: has_internt = 1
            - id: BAD2
              kind: in_record
              severity: fatal
              error_code: E3
              labels: {ru: р, en: e}
              expression: reflect('java.lang.System', 'exit', 1) = 1
            - id: BAD3
              kind: in_record
              severity: fatal
              error_code: E4
              labels: {ru: р, en: e}
              expression: n_computers >=
            - id: BAD4
              kind: in_record
              severity: fatal
              error_code: E5
              labels: {ru: р, en: e}
              expression: n_computers + 1
            - id: BAD5
              kind: in_record
              severity: critical
              error_code: E6
              labels: {ru: р}
              expression: bin_count = 1
            - id: BAD6
              kind: in_record
              severity: warning
              error_code: E7
              labels: {ru: р, en: e}
              forms: [v2099]
              expresion: uses_ai = 1
            - id: BAD7
              kind: in_record
              severity: warning
              error_code: E8
              labels: {ru: р, en: e}
              years: 2004-2006
              expression: uses_cloud = 1
            - id: BAD8
              kind: in_record
              severity: warning
              error_code: E9
              labels: {ru: р, en: e}
              expression: kato_valid + 1 > 0
            """);
    Files.writeString(dir.resolve("rules/b.yaml"), "rules:\n" + GOOD);
    Files.writeString(dir.resolve("rules/c.yaml"), "rules: [unclosed\n");

    var e =
        assertThrows(
            IctstatException.class, () -> RuleSet.load(dir, ControlRulesTest.SURVEY, spark));
    String m = e.getMessage();
    assertEquals(IctstatException.USAGE, e.exitCode());
    assertTrue(m.startsWith("14 problem(s) in the control rules under"), m);
    for (String expected :
        new String[] {
          "rules/a.yaml [BAD1]: expression uses unknown item or column 'has_internt'; did you mean"
              + " 'has_internet'?",
          "rules/a.yaml [BAD2]: expression calls function 'reflect', which is not allowed",
          "rules/a.yaml [BAD3]: expression does not parse",
          "rules/a.yaml [BAD4]: expression is of type bigint, not boolean",
          "rules/a.yaml [BAD5]: severity 'critical' is not one of [fatal, warning]",
          "rules/a.yaml [BAD5]: labels.en is missing",
          "rules/a.yaml [BAD5]: kind is in_record but its columns make it cross_record",
          "rules/a.yaml [BAD6]: unknown key 'expresion'; did you mean 'expression'?",
          "rules/a.yaml [BAD6]: unknown form version 'v2099'",
          "rules/a.yaml [BAD6]: expression is missing",
          "rules/a.yaml [BAD7]: applies in no year: no form version of its years asks all of"
              + " [uses_cloud]",
          "rules/a.yaml [BAD8]: expression does not type-check",
          "rules/b.yaml [OK1]: duplicate rule id (also in rules/a.yaml)",
          "rules/c.yaml: not valid YAML"
        }) {
      assertTrue(m.contains(expected), "missing <" + expected + "> in:\n" + m);
    }
  }

  @Test
  void aFolderWithoutRuleFilesIsAUsageError(SparkSession spark, @TempDir Path dir) {
    var e =
        assertThrows(
            IctstatException.class, () -> RuleSet.load(dir, ControlRulesTest.SURVEY, spark));
    assertTrue(e.getMessage().startsWith("no control rule files (*.yaml) in "), e.getMessage());
  }
}
