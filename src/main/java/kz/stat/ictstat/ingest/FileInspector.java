package kz.stat.ictstat.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads an input file once on the driver, as a stream (nothing is kept but the header): SHA-256,
 * byte order mark, whether it is valid UTF-8, binary content, the header line and whether any data
 * line follows. From that it decides the encoding (given, else UTF-8 when there is a BOM or the
 * bytes are valid UTF-8, else Windows-1251) and the delimiter (given, else the most frequent of
 * {@code ;}, {@code ,} and tab in the header line).
 */
final class FileInspector {
  static final Charset WINDOWS_1251 = Charset.forName("windows-1251");
  static final int MAX_HEADER_BYTES = 64 * 1024;

  private FileInspector() {}

  /** Thrown when a file cannot be used at all. */
  static final class Unusable extends Exception {
    final transient InputProblem problem;

    Unusable(InputProblem problem) {
      super(problem.toString());
      this.problem = problem;
    }
  }

  /** What one streaming pass over the bytes found. */
  record Scan(
      long bytes,
      String sha256,
      boolean bom,
      boolean validUtf8,
      long firstNul,
      long controlBytes,
      byte[] header,
      boolean dataAfterHeader) {}

  static InputFile inspect(
      Path path,
      int year,
      InputFile.Kind kind,
      String name,
      Optional<Charset> encoding,
      Optional<Character> delimiter)
      throws Unusable {
    Scan s;
    try {
      s = scan(path);
    } catch (IOException e) {
      throw unusable(
          name, "cannot be read: " + e.getMessage(), "check the file and its permissions");
    }
    if (s.bytes() == 0) {
      throw unusable(name, "is empty (0 bytes)", "export the file again");
    }
    if (s.firstNul() >= 0 || s.controlBytes() * 100 > s.bytes()) {
      throw unusable(
          name,
          "holds binary content, not CSV text ("
              + (s.firstNul() >= 0
                  ? "NUL byte at offset " + s.firstNul()
                  : s.controlBytes() + " control bytes in " + s.bytes())
              + ")",
          "replace it with the CSV export of the "
              + kind.name().toLowerCase(Locale.ROOT)
              + " file");
    }
    if (s.header() == null) {
      throw unusable(
          name,
          "has no line break in its first " + MAX_HEADER_BYTES / 1024 + " KB: not a CSV file",
          "replace it with the CSV export");
    }
    Charset cs = encoding.orElse(s.bom() || s.validUtf8() ? StandardCharsets.UTF_8 : WINDOWS_1251);
    String headerLine = new String(s.header(), cs);
    if (headerLine.startsWith("\uFEFF")) headerLine = headerLine.substring(1);
    char delim = delimiter.isPresent() ? delimiter.get() : detectDelimiter(headerLine, name);
    if (!s.dataAfterHeader()) {
      throw unusable(
          name,
          "has a header but no data rows",
          "export the file again with its rows, or remove the year from --years");
    }
    return new InputFile(
        year,
        kind,
        path,
        name,
        s.bytes(),
        s.sha256(),
        cs,
        s.bom(),
        delim,
        splitHeader(headerLine, delim));
  }

  static char detectDelimiter(String headerLine, String name) throws Unusable {
    char best = 0;
    long bestCount = 0;
    for (char c : new char[] {';', ',', '\t'}) {
      long n = headerLine.chars().filter(ch -> ch == c).count();
      if (n > bestCount) {
        best = c;
        bestCount = n;
      }
    }
    if (best == 0) {
      throw unusable(
          name,
          "header line has no ';', ',' or tab delimiter: '" + abbreviate(headerLine, 60) + "'",
          "check that this is a CSV file, or give --delimiter");
    }
    return best;
  }

  static List<String> splitHeader(String line, char delim) {
    List<String> out = new ArrayList<>();
    for (String f : line.split(java.util.regex.Pattern.quote(String.valueOf(delim)), -1)) {
      String t = f.trim();
      if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
        t = t.substring(1, t.length() - 1).trim();
      }
      out.add(t);
    }
    return out;
  }

  static Scan scan(Path path) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long pos = 0;
    long firstNul = -1;
    long control = 0;
    boolean valid = true;
    int need = 0;
    byte[] first3 = new byte[3];
    java.io.ByteArrayOutputStream header = new java.io.ByteArrayOutputStream();
    boolean headerDone = false;
    boolean headerTooLong = false;
    boolean data = false;
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(path)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
        for (int i = 0; i < n; i++, pos++) {
          int u = buf[i] & 0xff;
          if (pos < 3) first3[(int) pos] = buf[i];
          if (u == 0 && firstNul < 0) firstNul = pos;
          if ((u < 0x20 && u != '\t' && u != '\n' && u != '\r') || u == 0x7f) control++;
          if (valid) {
            if (need > 0) {
              if ((u & 0xc0) != 0x80) valid = false;
              need--;
            } else if (u >= 0x80) {
              if (u >= 0xc2 && u <= 0xdf) need = 1;
              else if (u >= 0xe0 && u <= 0xef) need = 2;
              else if (u >= 0xf0 && u <= 0xf4) need = 3;
              else valid = false;
            }
          }
          if (!headerDone) {
            if (u == '\n' || u == '\r') {
              headerDone = true;
            } else if (header.size() >= MAX_HEADER_BYTES) {
              headerDone = true;
              headerTooLong = true;
            } else {
              header.write(u);
            }
          } else if (!data && u != '\n' && u != '\r' && u != ' ' && u != '\t') {
            data = true;
          }
        }
      }
    }
    if (need > 0) valid = false;
    boolean bom =
        pos >= 3
            && (first3[0] & 0xff) == 0xef
            && (first3[1] & 0xff) == 0xbb
            && (first3[2] & 0xff) == 0xbf;
    byte[] h = headerTooLong ? null : header.toByteArray();
    if (h != null && bom) h = java.util.Arrays.copyOfRange(h, 3, h.length);
    return new Scan(
        pos, HexFormat.of().formatHex(sha.digest()), bom, valid, firstNul, control, h, data);
  }

  static Unusable unusable(String name, String reason, String fix) {
    return new Unusable(new InputProblem(name, reason, fix, false));
  }

  static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }
}
