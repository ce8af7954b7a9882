package kz.stat.ictstat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistakes on the ingest command line: one line, exit code 2, before any Spark work. */
class IngestCommandTest {
  private String err;

  private int run(String... args) {
    StringWriter w = new StringWriter();
    int code = Main.execute(new PrintWriter(w, true), args);
    err = w.toString();
    return code;
  }

  @Test
  void missingInputFolder(@TempDir Path dir) {
    Path nope = dir.resolve("nope");
    assertEquals(2, run("ingest", "--input", nope.toString(), "--years", "2024"));
    assertTrue(err.startsWith("error: input folder not found: " + nope), err);
    assertEquals(1, err.strip().lines().count(), err);
  }

  @Test
  void decimalCommaNeedsSemicolon(@TempDir Path dir) {
    assertEquals(
        2, run("ingest", "--input", dir.toString(), "--delimiter", ",", "--decimal", "comma"));
    assertTrue(
        err.startsWith("error: --decimal comma needs the ';' delimiter, but --delimiter is ','"),
        err);
  }

  @Test
  void unknownEncoding(@TempDir Path dir) {
    assertEquals(2, run("ingest", "--input", dir.toString(), "--encoding", "klingon"));
    assertTrue(err.startsWith("error: unknown encoding 'klingon'; use auto, utf-8"), err);
  }
}
