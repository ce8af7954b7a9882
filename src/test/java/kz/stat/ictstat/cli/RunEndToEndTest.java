package kz.stat.ictstat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import kz.stat.ictstat.spark.TableCatalog;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, end to end on a small synthetic population: every stage runs, the
 * tables, the XLSX workbook and the quality report exist, and the analyst notebooks execute on the
 * result.
 */
@SparkTest
class RunEndToEndTest {
  @Test
  void theWholeCycleRunsAndTheNotebooksExecuteOnItsTables(
      SparkSession spark, TableCatalog catalog, @TempDir Path dir) throws Exception {
    Path input = dir.resolve("input");
    Path output = dir.resolve("output");
    String out =
        main(
            "run",
            "--years",
            "2023-2024",
            "--scale",
            "0.05",
            "--warehouse",
            catalog.warehouse(),
            "--set",
            "input.dir=" + input,
            "--set",
            "output.dir=" + output);
    assertTrue(out.contains("Estimates 2024 next to the Bureau's published figures"), out);
    // a population at scale 0.05 is compared with 5 % of the published count
    assertTrue(out.contains("population at scale 0.05"), out);
    Matcher organisations =
        Pattern.compile("(?m)^organisations +\\S+ +\\S+ +172,335 +([-+][0-9.]+) %$").matcher(out);
    assertTrue(organisations.find(), out);
    double difference = Double.parseDouble(organisations.group(1));
    assertTrue(Math.abs(difference) < 5, "organisations vs published × 0.05: " + difference + " %");
    assertTrue(out.contains("0 disclosive after the audit"), out);

    // every stage left its table; both years are estimated
    for (String t :
        List.of(
            "ref.items",
            "core.register",
            "core.responses",
            "core.sample",
            "core.control_status",
            "core.weights",
            "pub.estimates",
            "pub.series_checks",
            "pub.published",
            "pub.releases")) {
      assertTrue(catalog.exists(t), t + " missing");
    }
    assertEquals(
        2L,
        spark
            .sql(
                "SELECT count(DISTINCT year) FROM pub.estimates WHERE indicator = 'share_uses_computers'")
            .first()
            .getLong(0));
    // de-identified microdata: a pseudonymous id, no BIN, no KATO/OKED codes, no employee count
    var research = List.of(spark.table("research.microdata").columns());
    assertTrue(
        research.contains("unit_id") && research.contains("final_weight"), research.toString());
    assertFalse(
        research.contains("bin") || research.contains("kato") || research.contains("employees"),
        research.toString());
    assertEquals(
        spark.sql("SELECT count(*) FROM core.weights").first().getLong(0),
        spark.sql("SELECT count(*) FROM research.microdata").first().getLong(0));
    // the XLSX workbook and the quality report of the 2024 release
    try (Stream<Path> files = Files.walk(output)) {
      List<String> names = files.map(p -> p.getFileName().toString()).toList();
      assertTrue(names.stream().anyMatch(n -> n.endsWith(".xlsx")), names.toString());
      assertTrue(
          names.stream().anyMatch(n -> n.startsWith("quality_report") && n.endsWith(".html")),
          names.toString());
    }

    // the notebooks run on these tables (copies, so the committed outputs stay as they are)
    Path nbDir = Files.createDirectories(dir.resolve("notebooks"));
    ObjectMapper json = new ObjectMapper();
    try (Stream<Path> s = Files.list(Path.of("notebooks"));
        var runner = new kz.stat.ictstat.notebook.NotebookRunner(spark, catalog)) {
      for (Path nb : s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList()) {
        Path copy = Files.copy(nb, nbDir.resolve(nb.getFileName()));
        int cells = runner.run(copy);
        assertTrue(cells >= 2, nb + " ran " + cells + " cells");
        for (JsonNode cell : json.readTree(copy.toFile()).path("cells")) {
          if (cell.path("cell_type").asText().equals("code")) {
            assertFalse(cell.path("outputs").isEmpty(), nb + ": a code cell has no output");
          }
        }
      }
    }
    String headline = Files.readString(nbDir.resolve("01_headline_indicators.ipynb"));
    assertTrue(headline.contains("share_uses_cloud"), "headline notebook lists the cloud share");
    assertTrue(
        headline.matches("(?s).*2024: \\d+\\.\\d % \\(95 % CI.*"), "the Java cell printed the CI");

    // with a calibration block, `estimate` calibrates the weights and takes the SEs from the
    // calibration residuals: the calibrated number of organisations (region and size margins sum
    // to the frame total) has none left
    Path conf = dir.resolve("conf-calibrated");
    try (Stream<Path> files = Files.walk(Path.of("conf"))) {
      for (Path f : files.toList()) {
        Path to = conf.resolve(Path.of("conf").relativize(f).toString());
        if (Files.isDirectory(f)) Files.createDirectories(to);
        else Files.copy(f, to);
      }
    }
    Path design = conf.resolve("design.yaml");
    Files.writeString(
        design,
        Files.readString(design)
            .replace("  method: none", "  method: linear")
            .replaceAll("(?m)^  margins: .*$", "  margins: [[region], [size_class]]")
            .replaceAll("(?m)^  bounds: .*$", "  bounds: [0.1, 10]"));
    String calText =
        main(
            "estimate",
            "--years",
            "2024",
            "--warehouse",
            catalog.warehouse(),
            "--set",
            "survey.dir=" + conf);
    assertTrue(calText.contains("their SEs use the calibration residuals"), calText);
    assertEquals(
        "calibrated_linear",
        spark
            .sql("SELECT DISTINCT weight_stage FROM core.weights WHERE year = 2024")
            .first()
            .getString(0));
    var orgs =
        spark
            .sql(
                "SELECT estimate, se FROM pub.estimates WHERE year = 2024"
                    + " AND indicator = 'organisations' AND domain_type = 'total'")
            .first();
    assertEquals(0.0, orgs.getDouble(1), 1e-9 * orgs.getDouble(0), orgs.toString());
    var share =
        spark
            .sql(
                "SELECT se FROM pub.estimates WHERE year = 2024"
                    + " AND indicator = 'share_uses_computers' AND domain_type = 'total'")
            .first();
    assertTrue(share.getDouble(0) > 0, share.toString());
  }

  /** Runs the CLI, asserts exit code 0 and returns what it printed on standard output. */
  private static String main(String... args) {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    PrintStream old = System.out;
    int code;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      code = Main.execute(new PrintWriter(err, true), args);
    } finally {
      System.setOut(old);
    }
    String out = stdout.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, err + "\n" + out);
    return out;
  }
}
