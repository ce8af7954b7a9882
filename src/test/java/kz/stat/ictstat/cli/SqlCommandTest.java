package kz.stat.ictstat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kz.stat.ictstat.spark.TableCatalog;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The SQL command in a new JVM: tables are found without a metastore; profiles separate access. */
@SparkTest
class SqlCommandTest {
  record Result(int exit, String out, String err) {}

  static Result ictstat(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(
            "-Xmx1g",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            "-Dspark.master=local[1]",
            "-Dspark.driver.host=127.0.0.1",
            "-Dspark.driver.bindAddress=127.0.0.1",
            "-Dspark.ui.enabled=false",
            "-Dictstat.home=" + Path.of("").toAbsolutePath(),
            "kz.stat.ictstat.cli.Main"));
    cmd.addAll(List.of(args));
    File out = File.createTempFile("sql", ".out");
    File err = File.createTempFile("sql", ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out).redirectError(err).start();
    assertTrue(p.waitFor(180, TimeUnit.SECONDS), "new process did not finish");
    return new Result(
        p.exitValue(),
        java.nio.file.Files.readString(out.toPath(), StandardCharsets.UTF_8),
        java.nio.file.Files.readString(err.toPath(), StandardCharsets.UTF_8));
  }

  @Test
  void aNewProcessQueriesTheTablesAndTheAnalystCannotSeeConfidentialOnes(
      SparkSession spark, TableCatalog catalog) throws Exception {
    catalog.overwrite(
        "core.responses", spark.sql("SELECT '000000000000' AS bin, 2024 AS year, 1 AS uses_cloud"));
    catalog.overwrite(
        "pub.estimates",
        spark.sql("SELECT 2024 AS year, 'share_uses_cloud' AS indicator, 11.7D AS estimate"));
    String wh = catalog.warehouse();

    Result ok =
        ictstat(
            "sql",
            "--warehouse",
            wh,
            "--format",
            "csv",
            "-e",
            "SELECT indicator, estimate FROM pub.estimates WHERE year = 2024");
    assertEquals(0, ok.exit(), ok.err());
    assertEquals("indicator,estimate\nshare_uses_cloud,11.7\n", ok.out());

    Result denied =
        ictstat(
            "sql",
            "--warehouse",
            wh,
            "--set",
            "profile=analyst",
            "-e",
            "SELECT count(*) FROM core.responses");
    assertEquals(2, denied.exit(), denied.err());
    assertTrue(
        denied
            .err()
            .contains("schema 'core' is confidential and not available in the 'analyst' profile"),
        denied.err());
    assertTrue(!denied.err().contains("\tat "), "no stack trace: " + denied.err());
  }
}
