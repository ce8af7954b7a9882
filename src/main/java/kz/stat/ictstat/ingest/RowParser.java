package kz.stat.ictstat.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import kz.stat.ictstat.survey.ItemType;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.util.LineReader;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Turns the lines of input files into typed values and a quarantine reason: one Spark task per file
 * reads it as lines of bytes (LF, CR or CRLF, as Hadoop's text input), decodes them with the file's
 * charset, numbers them (line 1 = header, skipped) and classifies each line in plain Java.
 *
 * <p>A row is quarantined for <i>format</i> problems only: a blank line, the wrong number of
 * fields, a BIN that is not 12 digits, a year that is missing, not a year or not the file's year, a
 * number that does not parse (with the column and the value) or does not fit its type.
 * <i>Semantic</i> problems (codes outside a classifier, binary values other than 0/1, negative
 * counts, a bad BIN check digit, contradictions, duplicates) pass through to {@code
 * core.responses}: the controls stage judges them.
 *
 * <p>The work is one Java function per line, not Spark expressions per cell: a wide form (over 100
 * columns) as expressions gives generated code too large to compile, and per-cell user functions
 * convert every cell between Spark's and Java's strings several times.
 */
final class RowParser {
  private RowParser() {}

  /**
   * The data lines of {@code files} (header excluded), classified: {@code year}, {@code
   * source_file}, {@code file_sha256}, {@code source_line} (1-based), {@code raw_text}, {@code
   * reason} (NULL when the row is accepted), {@code row_year} (the year field as text), {@code
   * wrong_year} (the row carries another well-formed year), {@code comma_decimal} / {@code
   * dot_decimal} (an amount written with that separator), and one typed column per layout column
   * except the year, named by its target. A quarantined row's typed values are NULL where its cell
   * failed a check.
   *
   * @param columns the layout's columns in the files' header order (the same for all files)
   * @param decimalSeparators the characters accepted as decimal separator in amounts, e.g. ".,"
   */
  static Dataset<Row> parse(
      SparkSession spark,
      List<InputFile> files,
      List<Layout.Column> columns,
      char delimiter,
      String decimalSeparators) {
    Classifier classifier = new Classifier(columns, delimiter, decimalSeparators);
    List<Source> sources = new ArrayList<>();
    for (InputFile f : files) {
      sources.add(
          new Source(
              f.path().toAbsolutePath().toUri(),
              f.charset().name(),
              f.year(),
              f.name(),
              f.sha256()));
    }
    // one partition per file, one small task each: the file's lines are numbered in one pass
    JavaRDD<Row> rows =
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(sources, sources.size())
            .flatMap(s -> new Lines(s, classifier));
    return spark.createDataFrame(rows, schema(columns));
  }

  /** The schema of {@link #parse}. */
  static StructType schema(List<Layout.Column> columns) {
    StructType t =
        new StructType()
            .add("year", DataTypes.IntegerType, false)
            .add("source_file", DataTypes.StringType, false)
            .add("file_sha256", DataTypes.StringType, false)
            .add("source_line", DataTypes.LongType, false)
            .add("raw_text", DataTypes.StringType, false)
            .add("reason", DataTypes.StringType, true)
            .add("row_year", DataTypes.StringType, true)
            .add("wrong_year", DataTypes.BooleanType, false)
            .add("comma_decimal", DataTypes.BooleanType, false)
            .add("dot_decimal", DataTypes.BooleanType, false);
    for (Layout.Column c : columns) {
      if (c.type() != ItemType.YEAR) t = t.add(c.target(), c.type().sparkType(), true);
    }
    return t;
  }

  /** One file as a task reads it. */
  record Source(URI uri, String charset, int year, String name, String sha256)
      implements Serializable {}

  /** The classified data lines of one file, read lazily. */
  private static final class Lines implements Iterator<Row> {
    private final Source source;
    private final Classifier classifier;
    private final Charset charset;
    private final String fileYear;
    private final InputStream in;
    private final LineReader reader;
    private final Text text = new Text();
    private long line;
    private String next;

    Lines(Source source, Classifier classifier) throws IOException {
      this.source = source;
      this.classifier = classifier;
      this.charset = Charset.forName(source.charset());
      this.fileYear = Integer.toString(source.year());
      this.in = Files.newInputStream(Path.of(source.uri()));
      TaskContext task = TaskContext.get();
      if (task != null) { // closed also when the task ends early (failure, a limit downstream)
        task.addTaskCompletionListener((TaskCompletionListener) t -> close());
      }
      this.reader = new LineReader(in, 1 << 16);
      if (read()) line = 1; // the header
      advance();
    }

    private boolean read() throws IOException {
      return reader.readLine(text) > 0;
    }

    private void advance() {
      try {
        if (read()) {
          line++;
          next = new String(text.getBytes(), 0, text.getLength(), charset);
        } else {
          next = null;
          close();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + source.name(), e);
      }
    }

    private void close() {
      try {
        in.close();
      } catch (IOException e) {
        throw new UncheckedIOException("closing " + source.name(), e);
      }
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public Row next() {
      if (next == null) throw new NoSuchElementException();
      Row r = classifier.row(source, fileYear, line, next);
      advance();
      return r;
    }
  }

  /**
   * Classifies one line into the row of {@link #parse}: the same checks, in the same order and with
   * the same messages, for every file of a layout.
   */
  static final class Classifier implements Serializable {
    private final char delimiter;
    private final int n;
    private final ItemType[] types;
    private final String[] labels;
    private final int yearColumn;

    /** The numeric columns by item type (declaration order), then column: their error order. */
    private final int[] numberOrder;

    private final String separators;
    private final String notAmount;

    Classifier(List<Layout.Column> columns, char delimiter, String decimalSeparators) {
      this.delimiter = delimiter;
      this.n = columns.size();
      this.types = new ItemType[n];
      this.labels = new String[n];
      int y = -1;
      for (int i = 0; i < n; i++) {
        Layout.Column c = columns.get(i);
        types[i] = c.type();
        labels[i] =
            "column " + c.code() + (c.code().equals(c.target()) ? "" : " (" + c.target() + ")");
        if (c.type() == ItemType.YEAR) y = i;
      }
      this.yearColumn = y;
      List<Integer> order = new ArrayList<>();
      for (ItemType t : ItemType.values()) {
        for (int i = 0; i < n; i++) if (t.numeric() && types[i] == t) order.add(i);
      }
      this.numberOrder = order.stream().mapToInt(Integer::intValue).toArray();
      this.separators = decimalSeparators;
      this.notAmount =
          "' is not a number (decimal separator "
              + (decimalSeparators.length() == 1 ? "'" + decimalSeparators + "'" : "'.' or ','")
              + ")";
    }

    Row row(Source s, String fileYear, long line, String text) {
      String[] cells = cells(text);
      Object[] typed = new Object[n];
      List<String> errors = new ArrayList<>(0);
      for (int i = 0; i < n; i++) { // the BIN and year checks, in column order
        String x = cells[i];
        if (types[i] == ItemType.ID) {
          typed[i] = x;
          if (x == null) errors.add(labels[i] + ": empty BIN");
          else if (!digits(x, 12)) {
            errors.add(labels[i] + ": '" + x + "' is not a 12-digit BIN");
          }
        } else if (types[i] == ItemType.CODE) {
          typed[i] = x;
        } else if (types[i] == ItemType.YEAR) {
          if (x == null) errors.add(labels[i] + ": empty year");
          else if (!digits(x, 4)) errors.add(labels[i] + ": '" + x + "' is not a year");
          else if (!x.equals(fileYear)) {
            errors.add(labels[i] + ": year " + x + " in the row, but the file is for " + fileYear);
          }
        }
      }
      boolean comma = false;
      boolean dot = false;
      for (int i : numberOrder) { // the number checks, by item type then column
        String v = cells[i];
        if (v == null) continue;
        boolean isAmount = types[i] == ItemType.AMOUNT;
        if (isAmount) {
          comma |= v.indexOf(',') >= 0;
          dot |= v.indexOf('.') >= 0;
        }
        if (!(isAmount ? amount(v, separators) : whole(v))) {
          errors.add(labels[i] + ": '" + v + (isAmount ? notAmount : "' is not a whole number"));
          continue;
        }
        Object value = value(v, types[i]);
        if (value == null) errors.add(labels[i] + ": '" + v + "' is out of range for " + types[i]);
        typed[i] = value;
      }
      int fields = 1;
      for (int k = text.indexOf(delimiter); k >= 0; k = text.indexOf(delimiter, k + 1)) fields++;
      boolean shapeOk = fields == n;
      String reason;
      if (blank(text)) reason = "blank line";
      else if (!shapeOk) {
        reason = "expected " + n + " fields separated by '" + delimiter + "', found " + fields;
      } else reason = errors.isEmpty() ? null : String.join("; ", errors);
      String rowYear = yearColumn < 0 ? null : cells[yearColumn];
      boolean wrongYear =
          shapeOk && rowYear != null && digits(rowYear, 4) && !rowYear.equals(fileYear);

      Object[] out = new Object[10 + n - (yearColumn < 0 ? 0 : 1)];
      out[0] = s.year();
      out[1] = s.name();
      out[2] = s.sha256();
      out[3] = line;
      out[4] = text;
      out[5] = reason;
      out[6] = rowYear;
      out[7] = wrongYear;
      out[8] = shapeOk && comma;
      out[9] = shapeOk && dot;
      int k = 10;
      for (int i = 0; i < n; i++) if (i != yearColumn) out[k++] = typed[i];
      return RowFactory.create(out);
    }

    /** A checked number as its Spark type; NULL when it does not fit. */
    private static Object value(String v, ItemType type) {
      try {
        return switch (type) {
          case AMOUNT -> Double.parseDouble(v.replace(',', '.'));
          case COUNT -> Long.parseLong(v);
          case BINARY, CLASS -> Integer.parseInt(v);
          default -> throw new IllegalStateException("no number check for " + type);
        };
      } catch (NumberFormatException e) {
        return null;
      }
    }

    /** Exactly {@code length} ASCII digits. */
    static boolean digits(String s, int length) {
      if (s.length() != length) return false;
      for (int i = 0; i < length; i++) if (!digit(s.charAt(i))) return false;
      return true;
    }

    /** A whole number: {@code -?[0-9]+}. */
    static boolean whole(String s) {
      int i = s.startsWith("-") ? 1 : 0;
      if (i == s.length()) return false;
      for (; i < s.length(); i++) if (!digit(s.charAt(i))) return false;
      return true;
    }

    /**
     * An amount: {@code -?([0-9]+([S][0-9]*)?|[S][0-9]+)} with S one of {@code separators}, i.e.
     * digits with at most one decimal separator and at least one digit.
     */
    static boolean amount(String s, String separators) {
      int i = s.startsWith("-") ? 1 : 0;
      int digits = 0;
      boolean separator = false;
      for (; i < s.length(); i++) {
        char c = s.charAt(i);
        if (digit(c)) digits++;
        else if (!separator && separators.indexOf(c) >= 0) separator = true;
        else return false;
      }
      return digits > 0;
    }

    private static boolean digit(char c) {
      return c >= '0' && c <= '9';
    }

    /** Only spaces (Spark's {@code trim} removes spaces only). */
    private static boolean blank(String s) {
      for (int i = 0; i < s.length(); i++) if (s.charAt(i) != ' ') return false;
      return true;
    }

    /**
     * The first {@code n} fields of a line as cells (NULL where the line has fewer): split at the
     * delimiter, spaces trimmed, one pair of enclosing double quotes removed, empty as NULL.
     */
    String[] cells(String line) {
      String[] cells = new String[n];
      int start = 0;
      for (int i = 0; i < n && start <= line.length(); i++) {
        int end = line.indexOf(delimiter, start);
        if (end < 0) end = line.length();
        String t = trim(line.substring(start, end));
        if (t.length() >= 2 && t.charAt(0) == '"' && t.charAt(t.length() - 1) == '"') {
          t = trim(t.substring(1, t.length() - 1));
        }
        cells[i] = t.isEmpty() ? null : t;
        start = end + 1;
      }
      return cells;
    }

    /** Spaces (only) removed at both ends, as Spark's {@code trim}. */
    private static String trim(String s) {
      int a = 0;
      int b = s.length();
      while (a < b && s.charAt(a) == ' ') a++;
      while (b > a && s.charAt(b - 1) == ' ') b--;
      return s.substring(a, b);
    }
  }
}
