package kz.stat.ictstat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User mistakes give one actionable line and exit code 2; no stack trace. */
class MainTest {
  private String err;

  private int run(String... args) {
    StringWriter w = new StringWriter();
    int code = Main.execute(new PrintWriter(w, true), args);
    err = w.toString();
    return code;
  }

  @Test
  void wrongOptionIsAUsageError() {
    assertEquals(2, run("config", "--wharehouse", "x"));
    assertTrue(err.contains("--wharehouse"), err);
    assertTrue(err.contains("did you mean --warehouse"), err);
    assertEquals(1, err.strip().lines().count(), err);
  }

  @Test
  void unknownSubcommandSuggestsTheClosest() {
    assertEquals(2, run("tabels"));
    assertTrue(err.contains("tables"), err);
  }

  @Test
  void missingConfigurationFileIsAUsageError(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    assertEquals(2, run("config", "--config", missing.toString()));
    assertTrue(err.contains("configuration file not found: " + missing), err);
    assertTrue(err.contains("--config"), err);
    assertFalse(err.contains("\tat "), "no stack trace: " + err);
  }

  @Test
  void unknownConfigurationKeyNamesTheClosestValidOne(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, "warehose: /tmp/x\n");
    assertEquals(2, run("config", "--config", f.toString()));
    assertTrue(err.contains("unknown configuration key 'warehose'"), err);
    assertTrue(err.contains("did you mean 'warehouse'"), err);
    assertEquals(1, err.strip().lines().count(), err);
  }

  @Test
  void invalidValueSaysWhatWasExpected() {
    assertEquals(2, run("config", "--set", "years=2024-2004"));
    assertTrue(err.contains("invalid value for 'years'"), err);
    assertTrue(err.contains("2024 is after last year 2004"), err);
  }

  @Test
  void versionAndHelpExitZero() {
    assertEquals(0, run("--version"));
    assertEquals(0, run("--help"));
  }

  @Test
  void everySubcommandHasHelp() {
    for (String c :
        new String[] {"run", "ingest", "controls", "estimate", "publish", "sql", "config"}) {
      assertEquals(0, run(c, "--help"), c + ": " + err);
      assertEquals(0, run("help", c), "help " + c + ": " + err);
    }
    assertEquals(0, run("controls", "report", "-h"), err);
  }
}
