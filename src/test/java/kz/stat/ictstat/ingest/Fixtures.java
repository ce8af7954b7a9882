package kz.stat.ictstat.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.stat.ictstat.survey.FormVersion;
import kz.stat.ictstat.survey.SurveyDefinitions;

/**
 * Small input files written by named factory methods, one per file variant of the input contract:
 * encoding (UTF-8, UTF-8 with BOM, Windows-1251), delimiter (';' or ','), decimal separator ('.' or
 * ',', the comma only with ';'), line ends. Values are chosen by hand so that the tests can state
 * the expected typed values without running the code under test.
 */
final class Fixtures {
  static final Charset CP1251 = Charset.forName("windows-1251");

  /** How a file is written. */
  record Variant(Charset charset, boolean bom, char delimiter, boolean decimalComma, String eol) {
    static Variant utf8Comma() {
      return new Variant(StandardCharsets.UTF_8, false, ',', false, "\n");
    }

    static Variant utf8BomSemicolonDecimalComma() {
      return new Variant(StandardCharsets.UTF_8, true, ';', true, "\n");
    }

    static Variant cp1251SemicolonCrlf() {
      return new Variant(CP1251, false, ';', false, "\r\n");
    }

    static Variant cp1251SemicolonDecimalComma() {
      return new Variant(CP1251, false, ';', true, "\r\n");
    }
  }

  private final SurveyDefinitions survey;
  private final Path input;

  Fixtures(SurveyDefinitions survey, Path input) {
    this.survey = survey;
    this.input = input;
  }

  Path input() {
    return input;
  }

  Path dir(int year) {
    try {
      return Files.createDirectories(input.resolve(Integer.toString(year)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A BIN with a valid format (12 digits): 1000000000NN. */
  static String bin(int i) {
    return String.format("%012d", 100000000000L + i);
  }

  /**
   * One response row: every column of the year's form with a value derived from {@code i}:
   * employees 10+i, n_computers = i, binary items i % 2, class items 2, amounts i + 0.5 (written
   * with the variant's decimal separator), codes fixed (oked 62010, kato 751110000, krp 110, kfs
   * 11, kse 1).
   */
  Map<String, String> responseRow(int year, int i) {
    FormVersion form = survey.formFor(year);
    Map<String, String> row = new LinkedHashMap<>();
    form.columns()
        .forEach(
            (code, item) -> {
              String v =
                  switch (survey.item(item).type()) {
                    case ID -> bin(i);
                    case YEAR -> Integer.toString(year);
                    case CODE ->
                        switch (item) {
                          case "oked" -> "62010";
                          case "kato" -> "751110000";
                          case "krp" -> "110";
                          case "kfs" -> "11";
                          default -> "1";
                        };
                    case BINARY -> Integer.toString(i % 2);
                    case CLASS -> "2";
                    case COUNT ->
                        item.equals("employees") ? Integer.toString(10 + i) : Integer.toString(i);
                    case AMOUNT -> i + ".5";
                  };
              row.put(code, v);
            });
    return row;
  }

  /** Writes {@code responses} rows (by raw code) and extra raw lines after them. */
  Path responses(
      int year, String fileName, Variant v, List<Map<String, String>> rows, String... rawLines) {
    FormVersion form = survey.formFor(year);
    List<String> lines = new ArrayList<>();
    lines.add(String.join(String.valueOf(v.delimiter()), form.columns().keySet()));
    for (Map<String, String> r : rows) {
      List<String> fields = new ArrayList<>();
      for (String code : form.columns().keySet()) {
        String val = r.getOrDefault(code, "");
        if (v.decimalComma()) val = val.replace('.', ',');
        fields.add(val);
      }
      lines.add(String.join(String.valueOf(v.delimiter()), fields));
    }
    lines.addAll(List.of(rawLines));
    return write(dir(year).resolve(fileName), v, lines);
  }

  /** A response file with n good rows, bins 1..n. */
  Path responses(int year, Variant v, int n, String... rawLines) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (int i = 1; i <= n; i++) rows.add(responseRow(year, i));
    return responses(year, "responses_" + year + ".csv", v, rows, rawLines);
  }

  /** Header bin,year,oked,kato,krp,kfs,kse,employees,activity_status; units 1..n, all active. */
  Path register(int year, int n, String... rawLines) {
    List<String> lines = new ArrayList<>();
    lines.add("bin,year,oked,kato,krp,kfs,kse,employees,activity_status");
    for (int i = 1; i <= n; i++) {
      lines.add(bin(i) + "," + year + ",62010,751110000,110,11,1," + (10 + i) + ",1");
    }
    lines.addAll(List.of(rawLines));
    return write(dir(year).resolve("register_" + year + ".csv"), Variant.utf8Comma(), lines);
  }

  /** A complete, clean year: register of n units and one response file with all of them. */
  void cleanYear(int year, Variant v, int n) {
    register(year, n);
    responses(year, v, n);
  }

  static Path write(Path file, Variant v, List<String> lines) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    if (v.bom()) b.writeBytes(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
    for (String l : lines) b.writeBytes((l + v.eol()).getBytes(v.charset()));
    return writeBytes(file, b.toByteArray());
  }

  static Path writeBytes(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
