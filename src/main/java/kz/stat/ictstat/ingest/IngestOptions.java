package kz.stat.ictstat.ingest;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.config.YearRange;

/**
 * What to ingest and how to read it.
 *
 * @param inputDir the folder holding one sub-folder per year ({@code <inputDir>/<year>/})
 * @param years the reference years to ingest
 * @param force re-ingest a year even when its files are unchanged (same SHA-256 as last time)
 * @param encoding the character set of every file, or empty to detect it per file (BOM, else valid
 *     UTF-8, else Windows-1251)
 * @param delimiter the field delimiter, or empty to detect it per file from the header line
 * @param decimal the decimal separator of amounts
 */
public record IngestOptions(
    Path inputDir,
    YearRange years,
    boolean force,
    Optional<Charset> encoding,
    Optional<Character> delimiter,
    Decimal decimal) {

  /** The decimal separator of amounts. */
  public enum Decimal {
    /**
     * a point; with the {@code ;} delimiter also a comma (a comma cannot be a thousands separator
     * there, since the files carry none).
     */
    AUTO,
    /** only a point. */
    DOT,
    /** only a comma (needs the {@code ;} delimiter). */
    COMMA;

    public static Decimal parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw IctstatException.usage(
            "unknown decimal separator '" + text + "'", "use one of auto, dot, comma");
      }
    }
  }

  public IngestOptions {
    if (encoding == null) encoding = Optional.empty();
    if (delimiter == null) delimiter = Optional.empty();
    if (decimal == null) decimal = Decimal.AUTO;
  }

  /** Detect everything, no force. */
  public static IngestOptions detect(Path inputDir, YearRange years) {
    return new IngestOptions(
        inputDir, years, false, Optional.empty(), Optional.empty(), Decimal.AUTO);
  }

  public IngestOptions withForce(boolean f) {
    return new IngestOptions(inputDir, years, f, encoding, delimiter, decimal);
  }

  public IngestOptions withYears(YearRange y) {
    return new IngestOptions(inputDir, y, force, encoding, delimiter, decimal);
  }

  /** Parses an {@code --encoding} value: auto, utf-8, windows-1251 (or any Java charset name). */
  public static Optional<Charset> parseEncoding(String text) {
    if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("auto")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Charset.forName(text.trim()));
    } catch (IllegalArgumentException e) {
      throw IctstatException.usage(
          "unknown encoding '" + text + "'", "use auto, utf-8 or windows-1251");
    }
  }

  /** Parses a {@code --delimiter} value: auto, {@code ;}, {@code ,}, semicolon, comma, tab. */
  public static Optional<Character> parseDelimiter(String text) {
    String t = text == null ? "auto" : text.trim().toLowerCase(Locale.ROOT);
    return switch (t) {
      case "auto", "" -> Optional.empty();
      case ";", "semicolon" -> Optional.of(';');
      case ",", "comma" -> Optional.of(',');
      case "tab", "\\t" -> Optional.of('\t');
      default ->
          throw IctstatException.usage(
              "unknown delimiter '" + text + "'", "use auto, ';' (semicolon), ',' (comma) or tab");
    };
  }
}
