package kz.stat.ictstat.ingest;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;

/**
 * One input file as inspected on the driver before any Spark work: checksum, detected (or given)
 * encoding and delimiter, and its header.
 *
 * @param name the path relative to the input folder, e.g. {@code 2024/responses_2024.csv}; the
 *     {@code source_file} of every row it yields
 * @param bom whether the file starts with a UTF-8 byte order mark (stripped before parsing)
 * @param header the header fields, trimmed, quotes removed
 */
public record InputFile(
    int year,
    Kind kind,
    Path path,
    String name,
    long bytes,
    String sha256,
    Charset charset,
    boolean bom,
    char delimiter,
    List<String> header) {

  /** The two kinds of input file. */
  public enum Kind {
    REGISTER,
    RESPONSES
  }

  public InputFile {
    header = List.copyOf(header);
  }

  /** Encoding as written in the log: {@code utf-8}, {@code utf-8+bom}, {@code windows-1251}. */
  public String encodingLabel() {
    return charset.name().toLowerCase(java.util.Locale.ROOT) + (bom ? "+bom" : "");
  }

  public String delimiterLabel() {
    return delimiter == '\t' ? "tab" : String.valueOf(delimiter);
  }
}
