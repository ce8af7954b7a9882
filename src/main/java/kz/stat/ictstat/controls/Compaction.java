package kz.stat.ictstat.controls;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Folds the wide status frame (one status column per rule) into one compact row per record: year,
 * bin, the lineage columns, {@code fails} (array of struct rule: the rule's index in the plan,
 * values: column → value text of the columns the rule involves), {@code nas} (indices of the rules
 * not applicable to the record) and the counts of failed fatal and warning rules. A rule evaluated
 * in the record's year and in neither list passed.
 *
 * <p>Plain Java over each row: the same work as an array of one CASE per rule, without Spark
 * interpreting a 66-element array expression row by row.
 */
final class Compaction implements MapPartitionsFunction<Row, Row> {
  static final StructType FAIL =
      new StructType()
          .add("rule", DataTypes.IntegerType, false)
          .add(
              "values",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, true),
              true);

  private final int[] statusAt;
  private final int[][] valuesAt;
  private final String[][] valueNames;
  private final boolean[] fatal;
  private final int[] keep;

  /**
   * @param wide the columns of the wide status frame (statuses as 'pass', 'fail', 'na' or NULL;
   *     involved columns as text)
   * @param statusColumns the status column of each rule of the plan, in plan order
   * @param keep the columns copied as they are (year, bin, lineage), in output order
   */
  Compaction(List<String> wide, List<String> statusColumns, List<Rule> rules, List<String> keep) {
    int n = rules.size();
    statusAt = new int[n];
    valuesAt = new int[n][];
    valueNames = new String[n][];
    fatal = new boolean[n];
    for (int i = 0; i < n; i++) {
      Rule r = rules.get(i);
      statusAt[i] = indexOf(wide, statusColumns.get(i));
      Set<String> cols = new LinkedHashSet<>(r.columns());
      cols.addAll(r.items());
      valueNames[i] = cols.toArray(String[]::new);
      valuesAt[i] = cols.stream().mapToInt(c -> indexOf(wide, c)).toArray();
      fatal[i] = r.severity() == Severity.FATAL;
    }
    this.keep = keep.stream().mapToInt(c -> indexOf(wide, c)).toArray();
  }

  private static int indexOf(List<String> columns, String c) {
    int i = columns.indexOf(c);
    if (i < 0) throw new IllegalArgumentException("no column " + c + " in " + columns);
    return i;
  }

  /** The output schema: the kept columns (as in {@code wide}), fails, nas, n_fatal, n_warning. */
  static StructType schema(StructType wide, List<String> keep) {
    StructType s = new StructType();
    for (String c : keep) s = s.add(wide.apply(c));
    return s.add("fails", DataTypes.createArrayType(FAIL, false), false)
        .add("nas", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
        .add("n_fatal", DataTypes.IntegerType, false)
        .add("n_warning", DataTypes.IntegerType, false);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        return compact(rows.next());
      }
    };
  }

  Row compact(Row r) {
    List<Row> fails = new ArrayList<>(0);
    List<Integer> nas = new ArrayList<>();
    int nFatal = 0;
    int nWarning = 0;
    for (int i = 0; i < statusAt.length; i++) {
      String status = r.getString(statusAt[i]);
      if (status == null || status.equals("pass")) continue;
      if (status.equals("na")) {
        nas.add(i);
        continue;
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (int k = 0; k < valuesAt[i].length; k++) {
        values.put(valueNames[i][k], r.getString(valuesAt[i][k]));
      }
      fails.add(
          RowFactory.create(i, values.isEmpty() ? null : CollectionConverters.asScala(values)));
      if (fatal[i]) nFatal++;
      else nWarning++;
    }
    Object[] out = new Object[keep.length + 4];
    for (int k = 0; k < keep.length; k++) out[k] = r.get(keep[k]);
    out[keep.length] = CollectionConverters.asScala(fails);
    out[keep.length + 1] = CollectionConverters.asScala(nas);
    out[keep.length + 2] = nFatal;
    out[keep.length + 3] = nWarning;
    return RowFactory.create(out);
  }
}
