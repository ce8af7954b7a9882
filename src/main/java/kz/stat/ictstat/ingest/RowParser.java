package kz.stat.ictstat.ingest;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import kz.stat.ictstat.survey.ItemType;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Turns the lines of one file into typed values and a quarantine reason, with Spark: the file is
 * read as lines of bytes (Hadoop text input: LF, CRLF or CR), decoded with the file's charset, and
 * numbered (line 1 = header); splitting, checks and casts are DataFrame expressions.
 *
 * <p>A row is quarantined for <i>format</i> problems only: a blank line, the wrong number of
 * fields, a BIN that is not 12 digits, a year that is missing, not a year or not the file's year, a
 * number that does not parse (with the column and the value) or does not fit its type.
 * <i>Semantic</i> problems (codes outside a classifier, binary values other than 0/1, negative
 * counts, a bad BIN check digit, contradictions, duplicates) pass through to {@code
 * core.responses}: the controls stage judges them.
 */
final class RowParser {
  static final StructType LINES =
      new StructType()
          .add("year", DataTypes.IntegerType, false)
          .add("source_file", DataTypes.StringType, false)
          .add("file_sha256", DataTypes.StringType, false)
          .add("source_line", DataTypes.LongType, false)
          .add("raw_text", DataTypes.StringType, false);

  private RowParser() {}

  /**
   * The data lines of a file (header excluded), decoded, with their 1-based line numbers. Line
   * splitting works on bytes, which is safe for UTF-8 and Windows-1251 (a line feed byte is never
   * part of another character in either).
   */
  static Dataset<Row> lines(SparkSession spark, List<InputFile> files) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<JavaRDD<Row>> parts = new ArrayList<>();
    for (InputFile f : files) {
      String charset = f.charset().name();
      int year = f.year();
      String name = f.name();
      String sha = f.sha256();
      JavaRDD<String> text =
          jsc.hadoopFile(
                  f.path().toAbsolutePath().toUri().toString(),
                  TextInputFormat.class,
                  LongWritable.class,
                  Text.class,
                  1) // splits by block size only: a small file is one partition, so zipWithIndex
              // needs no extra job to count the lines of the partitions before it
              .map(
                  t ->
                      new String(
                          t._2().getBytes(), 0, t._2().getLength(), Charset.forName(charset)));
      parts.add(
          text.zipWithIndex()
              .filter(t -> t._2() > 0)
              .map(t -> RowFactory.create(year, name, sha, t._2() + 1, t._1())));
    }
    // one RDD for all files: the query plan stays one scan however many files there are
    JavaRDD<Row> all = parts.size() == 1 ? parts.get(0) : jsc.union(parts.toArray(JavaRDD[]::new));
    return spark.createDataFrame(all, LINES);
  }

  /**
   * Classifies lines: adds {@code reason} (NULL when the row is accepted), {@code row_year} (the
   * year field as text), {@code wrong_year} (the row carries another well-formed year), {@code
   * comma_decimal} / {@code dot_decimal} (an amount written with that separator), and one typed
   * column per layout column, named by its target.
   *
   * <p>The number checks of all columns are one {@link NumberCheck} call over the cells (not one
   * expression per column, nor a lambda Spark would interpret cell by cell), so that the generated
   * code stays small for wide forms.
   *
   * @param columns the layout's columns in the file's header order
   * @param decimalSeparators the characters accepted as decimal separator in amounts, e.g. ".,"
   */
  static Dataset<Row> classify(
      Dataset<Row> lines, List<Layout.Column> columns, char delimiter, String decimalSeparators) {
    int n = columns.size();
    Column fileYear = col("year").cast(DataTypes.StringType);
    String d = String.valueOf(delimiter);
    Dataset<Row> c =
        lines.select(
            col("year"),
            col("source_file"),
            col("file_sha256"),
            col("source_line"),
            col("raw_text"),
            // fields = delimiters + 1
            functions
                .length(col("raw_text"))
                .minus(functions.length(functions.replace(col("raw_text"), lit(d), lit(""))))
                .plus(1)
                .alias("_n"),
            functions
                .udf(new Cells(delimiter, n), DataTypes.createArrayType(DataTypes.StringType))
                .apply(col("raw_text"))
                .alias("_c"));

    List<String> labels = new ArrayList<>();
    List<Integer> amounts = new ArrayList<>();
    List<Column> typed = new ArrayList<>();
    Column rowYear = lit(null).cast(DataTypes.StringType);
    List<Column> checks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Layout.Column lc = columns.get(i);
      labels.add(
          "column " + lc.code() + (lc.code().equals(lc.target()) ? "" : " (" + lc.target() + ")"));
      if (lc.type() == ItemType.AMOUNT) amounts.add(i);
      Column x = functions.get(col("_c"), lit(i));
      String label = labels.get(i);
      Column value =
          switch (lc.type()) {
            case ID, CODE -> x;
            case AMOUNT -> regexp_replace(x, ",", ".").try_cast(DataTypes.DoubleType);
            default -> x.try_cast(lc.type().sparkType());
          };
      if (lc.type() != ItemType.YEAR) typed.add(value.alias(lc.target())); // year: the file's
      if (lc.type() == ItemType.ID) {
        checks.add(
            when(x.isNull(), lit(label + ": empty BIN"))
                .when(
                    functions.not(x.rlike("^[0-9]{12}$")),
                    concat(lit(label + ": '"), x, lit("' is not a 12-digit BIN"))));
      } else if (lc.type() == ItemType.YEAR) {
        rowYear = x;
        checks.add(
            when(x.isNull(), lit(label + ": empty year"))
                .when(
                    functions.not(x.rlike("^[0-9]{4}$")),
                    concat(lit(label + ": '"), x, lit("' is not a year")))
                .when(
                    x.notEqual(fileYear),
                    concat(
                        lit(label + ": year "),
                        x,
                        lit(" in the row, but the file is for "),
                        fileYear)));
      }
    }
    Column numberErrors =
        functions
            .udf(
                new NumberCheck(columns, labels, decimalSeparators),
                DataTypes.createArrayType(DataTypes.StringType))
            .apply(col("_c"));
    Column fieldErrors =
        array_join(concat(array(checks.toArray(Column[]::new)), numberErrors), "; ");
    Column reason =
        when(trim(col("raw_text")).equalTo(lit("")), lit("blank line"))
            .when(
                col("_n").notEqual(lit(n)),
                concat(
                    lit("expected " + n + " fields separated by '" + delimiter + "', found "),
                    col("_n").cast(DataTypes.StringType)))
            .otherwise(functions.nullif(fieldErrors, lit("")));
    Column shapeOk = col("_n").equalTo(lit(n));
    Column wrongYear = shapeOk.and(rowYear.rlike("^[0-9]{4}$")).and(rowYear.notEqual(fileYear));
    // the amounts' text in one string (NULLs skipped): which decimal separators the row uses
    Column amountText =
        functions.concat_ws(
            "|",
            amounts.stream().map(i -> functions.get(col("_c"), lit(i))).toArray(Column[]::new));
    Column comma = amounts.isEmpty() ? lit(false) : amountText.contains(",");
    Column dot = amounts.isEmpty() ? lit(false) : amountText.contains(".");
    List<Column> out = new ArrayList<>();
    out.add(col("year"));
    out.add(col("source_file"));
    out.add(col("file_sha256"));
    out.add(col("source_line"));
    out.add(col("raw_text"));
    out.add(reason.alias("reason"));
    out.add(rowYear.alias("row_year"));
    out.add(functions.coalesce(wrongYear, lit(false)).alias("wrong_year"));
    out.add(shapeOk.and(comma).alias("comma_decimal"));
    out.add(shapeOk.and(dot).alias("dot_decimal"));
    out.addAll(typed);
    return c.select(out.toArray(Column[]::new));
  }

  /**
   * The first {@code n} fields of a line as cells (NULL where the line has fewer): split at the
   * delimiter, spaces trimmed, one pair of enclosing double quotes removed, empty as NULL. Plain
   * Java: as one Spark expression per position, a wide form's generated code grows too large to be
   * compiled.
   */
  static final class Cells implements UDF1<String, List<String>> {
    private final char delimiter;
    private final int n;

    Cells(char delimiter, int n) {
      this.delimiter = delimiter;
      this.n = n;
    }

    @Override
    public List<String> call(String line) {
      List<String> cells = new ArrayList<>(n);
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (start > line.length()) {
          cells.add(null);
          continue;
        }
        int end = line.indexOf(delimiter, start);
        if (end < 0) end = line.length();
        String t = trim(line.substring(start, end));
        if (t.length() >= 2 && t.charAt(0) == '"' && t.charAt(t.length() - 1) == '"') {
          t = trim(t.substring(1, t.length() - 1));
        }
        cells.add(t.isEmpty() ? null : t);
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
