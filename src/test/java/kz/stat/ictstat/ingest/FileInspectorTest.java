package kz.stat.ictstat.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import kz.stat.ictstat.survey.SurveyDefinitions;
import kz.stat.ictstat.survey.SurveyLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Encoding, delimiter and header detection on the driver; the file-level failure kinds. */
class FileInspectorTest {
  static SurveyDefinitions survey;
  @TempDir Path input;

  @BeforeAll
  static void load() {
    survey = SurveyLoader.load(Path.of("conf"));
  }

  private InputFile inspect(Path p) throws FileInspector.Unusable {
    return FileInspector.inspect(
        p,
        2024,
        InputFile.Kind.RESPONSES,
        p.getFileName().toString(),
        Optional.empty(),
        Optional.empty());
  }

  private String unusable(Path p) {
    var e = assertThrows(FileInspector.Unusable.class, () -> inspect(p));
    return e.problem.toString();
  }

  @Test
  void utf8WithCommaDelimiter() throws Exception {
    var fx = new Fixtures(survey, input);
    InputFile f = inspect(fx.responses(2024, Fixtures.Variant.utf8Comma(), 2));
    assertEquals(StandardCharsets.UTF_8, f.charset());
    assertFalse(f.bom());
    assertEquals(',', f.delimiter());
    assertEquals("utf-8", f.encodingLabel());
    assertEquals(List.copyOf(survey.formFor(2024).columns().keySet()), f.header());
  }

  @Test
  void bomIsDetectedAndStrippedFromTheHeader() throws Exception {
    var fx = new Fixtures(survey, input);
    InputFile f = inspect(fx.responses(2024, Fixtures.Variant.utf8BomSemicolonDecimalComma(), 2));
    assertTrue(f.bom());
    assertEquals("utf-8+bom", f.encodingLabel());
    assertEquals(';', f.delimiter());
    assertEquals("bin", f.header().get(0)); // no \uFEFF in front
  }

  @Test
  void invalidUtf8MeansWindows1251() throws Exception {
    // "БИН" in Windows-1251 is C1 C8 CD: not valid UTF-8.
    Path p =
        Fixtures.write(
            input.resolve("x.csv"),
            Fixtures.Variant.cp1251SemicolonCrlf(),
            List.of("bin;name", "100000000001;БИН"));
    InputFile f = inspect(p);
    assertEquals("windows-1251", f.encodingLabel());
    assertEquals(List.of("bin", "name"), f.header());
  }

  @Test
  void checksumIsTheSha256OfTheBytes() throws Exception {
    Path p =
        Fixtures.writeBytes(
            input.resolve("a.csv"), "a,b\n1,2\n".getBytes(StandardCharsets.US_ASCII));
    // computed independently: printf 'a,b\n1,2\n' | sha256sum
    assertEquals(
        "492d5ea496056f1a6a6592241032fab764c321596317930b4fa0e1e8bc3b7470", inspect(p).sha256());
  }

  @Test
  void emptyFile() {
    Path p = Fixtures.writeBytes(input.resolve("responses_2024.csv"), new byte[0]);
    assertEquals("responses_2024.csv: is empty (0 bytes)", unusable(p));
  }

  @Test
  void headerOnly() {
    Path p =
        Fixtures.writeBytes(
            input.resolve("h.csv"), "bin;period\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    assertEquals("h.csv: has a header but no data rows", unusable(p));
  }

  @Test
  void binaryJunk() {
    byte[] junk = new byte[4096];
    new java.util.Random(7).nextBytes(junk);
    junk[100] = 0;
    String m = unusable(Fixtures.writeBytes(input.resolve("j.csv"), junk));
    assertTrue(m.startsWith("j.csv: holds binary content, not CSV text (NUL byte at offset"), m);
  }

  @Test
  void headerWithoutDelimiter() {
    Path p =
        Fixtures.writeBytes(
            input.resolve("d.csv"), "bin|period\n1|2\n".getBytes(StandardCharsets.US_ASCII));
    assertEquals("d.csv: header line has no ';', ',' or tab delimiter: 'bin|period'", unusable(p));
  }
}
