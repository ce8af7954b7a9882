package kz.stat.ictstat.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
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
          .add("source_line", DataTypes.LongType, false)
          .add("raw_text", DataTypes.StringType, false);

  private RowParser() {}

  /** The data lines of a file (header excluded), decoded, with their 1-based line numbers. */
  static Dataset<Row> lines(SparkSession spark, InputFile f) {
    String charset = f.charset().name();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<String> text =
        jsc.hadoopFile(
                f.path().toAbsolutePath().toUri().toString(),
                TextInputFormat.class,
                LongWritable.class,
                Text.class)
            .map(
                t ->
                    new String(t._2().getBytes(), 0, t._2().getLength(), Charset.forName(charset)));
    JavaRDD<Row> rows =
        text.zipWithIndex().filter(t -> t._2() > 0).map(t -> RowFactory.create(t._2() + 1, t._1()));
    return spark.createDataFrame(rows, LINES);
  }

  /**
   * Classifies lines: adds {@code reason} (NULL when the row is accepted), {@code row_year} (the
   * year field as text), {@code wrong_year} (the row carries another well-formed year), {@code
   * comma_decimal} / {@code dot_decimal} (an amount written with that separator), and one typed
   * column per layout column, named by its target.
   *
   * @param columns the layout's columns in the file's header order
   * @param decimalSeparators the characters accepted as decimal separator in amounts, e.g. ".,"
   */
  static Dataset<Row> classify(
      Dataset<Row> lines,
      List<Layout.Column> columns,
      char delimiter,
      String decimalSeparators,
      int year) {
    int n = columns.size();
    Dataset<Row> withFields =
        lines.withColumn(
            "_f", split(col("raw_text"), Pattern.quote(String.valueOf(delimiter)), -1));
    List<Column> values = new ArrayList<>(List.of(col("source_line"), col("raw_text"), col("_f")));
    for (int i = 0; i < n; i++) {
      Column raw = trim(functions.get(col("_f"), lit(i)));
      Column unquoted = trim(regexp_replace(raw, "^\"(.*)\"$", "$1"));
      values.add(when(unquoted.notEqual(lit("")), unquoted).alias("_v" + i));
    }
    Dataset<Row> v = withFields.select(values.toArray(Column[]::new));

    String sep = "[" + decimalSeparators + "]"; // only '.' and ',': literal inside a class
    String amountRegex = "^-?([0-9]+(" + sep + "[0-9]*)?|" + sep + "[0-9]+)$";
    List<Column> checks = new ArrayList<>();
    List<Column> typed = new ArrayList<>();
    Column rowYear = lit(null).cast(DataTypes.StringType);
    Column comma = lit(false);
    Column dot = lit(false);
    for (int i = 0; i < n; i++) {
      Layout.Column c = columns.get(i);
      Column x = col("_v" + i);
      String label =
          "column " + c.code() + (c.code().equals(c.target()) ? "" : " (" + c.target() + ")");
      Column value;
      switch (c.type()) {
        case ID -> {
          value = x;
          checks.add(
              when(x.isNull(), lit(label + ": empty BIN"))
                  .when(
                      functions.not(x.rlike("^[0-9]{12}$")),
                      concat(lit(label + ": '"), x, lit("' is not a 12-digit BIN"))));
        }
        case YEAR -> {
          value = x.try_cast(DataTypes.IntegerType);
          rowYear = x;
          checks.add(
              when(x.isNull(), lit(label + ": empty year"))
                  .when(
                      functions.not(x.rlike("^[0-9]{4}$")),
                      concat(lit(label + ": '"), x, lit("' is not a year")))
                  .when(
                      x.notEqual(lit(Integer.toString(year))),
                      concat(
                          lit(label + ": year "),
                          x,
                          lit(" in the row, but the file is for " + year))));
        }
        case CODE -> value = x;
        case AMOUNT -> {
          value = regexp_replace(x, ",", ".").try_cast(DataTypes.DoubleType);
          checks.add(
              when(
                  x.isNotNull().and(functions.not(x.rlike(amountRegex))),
                  concat(
                      lit(label + ": '"),
                      x,
                      lit(
                          "' is not a number (decimal separator "
                              + describe(decimalSeparators)
                              + ")"))));
          comma = comma.or(functions.coalesce(x.contains(","), lit(false)));
          dot = dot.or(functions.coalesce(x.contains("."), lit(false)));
        }
        default -> {
          value = x.try_cast(c.type().sparkType());
          checks.add(
              when(
                      x.isNotNull().and(functions.not(x.rlike("^-?[0-9]+$"))),
                      concat(lit(label + ": '"), x, lit("' is not a whole number")))
                  .when(
                      x.isNotNull().and(value.isNull()),
                      concat(lit(label + ": '"), x, lit("' is out of range for " + c.type()))));
        }
      }
      typed.add(value.alias(c.target()));
    }
    Column fieldCount = size(col("_f"));
    Column reason =
        when(trim(col("raw_text")).equalTo(lit("")), lit("blank line"))
            .when(
                fieldCount.notEqual(lit(n)),
                concat(
                    lit("expected " + n + " fields separated by '" + delimiter + "', found "),
                    fieldCount.cast(DataTypes.StringType)))
            .otherwise(functions.nullif(concat_ws("; ", checks.toArray(Column[]::new)), lit("")));
    Column shapeOk = fieldCount.equalTo(lit(n));
    Column wrongYear =
        shapeOk.and(rowYear.rlike("^[0-9]{4}$")).and(rowYear.notEqual(lit(Integer.toString(year))));
    List<Column> out = new ArrayList<>();
    out.add(col("source_line"));
    out.add(col("raw_text"));
    out.add(reason.alias("reason"));
    out.add(rowYear.alias("row_year"));
    out.add(functions.coalesce(wrongYear, lit(false)).alias("wrong_year"));
    out.add(shapeOk.and(comma).alias("comma_decimal"));
    out.add(shapeOk.and(dot).alias("dot_decimal"));
    out.addAll(typed);
    return v.select(out.toArray(Column[]::new));
  }

  private static String describe(String seps) {
    return seps.length() == 1 ? "'" + seps + "'" : "'.' or ','";
  }
}
