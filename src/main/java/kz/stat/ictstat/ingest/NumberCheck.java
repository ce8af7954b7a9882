package kz.stat.ictstat.ingest;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import kz.stat.ictstat.survey.ItemType;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.Seq;

/**
 * The format errors of the number cells of a row: for each cell of a numeric column that is not
 * empty, "{@code <label>: '<text>' is not a whole number}" (or "is not a number (decimal separator
 * …)" for amounts) when the text is not a number, "{@code … is out of range for <TYPE>}" when it
 * does not fit the column's type; by item type, then column. One call checks the whole row in plain
 * Java: as a Spark lambda over the positions it would be interpreted cell by cell, and as one
 * expression per column the generated code of a wide form would be too large to compile.
 */
final class NumberCheck implements UDF1<Seq<String>, List<String>> {
  private final ItemType[] types;
  private final int[] positions;
  private final String[] labels;
  private final Pattern amount;
  private final Pattern whole = Pattern.compile("-?[0-9]+");
  private final String notAmount;

  /**
   * @param columns the layout's columns in the file's order (cell i is column i)
   * @param labels their labels, in the same order ("column p103 (n_computers)")
   * @param decimalSeparators the characters accepted as decimal separator in amounts ("." or ".,")
   */
  NumberCheck(List<Layout.Column> columns, List<String> labels, String decimalSeparators) {
    Map<ItemType, List<Integer>> byType = new EnumMap<>(ItemType.class);
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).type().numeric()) {
        byType.computeIfAbsent(columns.get(i).type(), t -> new ArrayList<>()).add(i);
      }
    }
    List<ItemType> t = new ArrayList<>();
    List<Integer> p = new ArrayList<>();
    byType.forEach(
        (type, cells) -> {
          for (int i : cells) {
            t.add(type);
            p.add(i);
          }
        });
    this.types = t.toArray(ItemType[]::new);
    this.positions = p.stream().mapToInt(Integer::intValue).toArray();
    this.labels = p.stream().map(labels::get).toArray(String[]::new);
    String sep = "[" + decimalSeparators + "]"; // only '.' and ',': literal inside a class
    this.amount = Pattern.compile("-?([0-9]+(" + sep + "[0-9]*)?|" + sep + "[0-9]+)");
    this.notAmount =
        "' is not a number (decimal separator "
            + (decimalSeparators.length() == 1 ? "'" + decimalSeparators + "'" : "'.' or ','")
            + ")";
  }

  @Override
  public List<String> call(Seq<String> cells) {
    List<String> errors = new ArrayList<>(0);
    for (int k = 0; k < positions.length; k++) {
      String v = cells.apply(positions[k]);
      if (v == null) continue;
      boolean isAmount = types[k] == ItemType.AMOUNT;
      if (!(isAmount ? amount : whole).matcher(v).matches()) {
        errors.add(labels[k] + ": '" + v + (isAmount ? notAmount : "' is not a whole number"));
      } else if (!fits(v, types[k].sparkType())) {
        errors.add(labels[k] + ": '" + v + "' is out of range for " + types[k]);
      }
    }
    return errors;
  }

  /** Whether a well-formed number fits the Spark type (as Spark's try_cast decides). */
  private static boolean fits(String v, DataType t) {
    try {
      if (t.equals(DataTypes.DoubleType)) Double.parseDouble(v.replace(',', '.'));
      else if (t.equals(DataTypes.LongType)) Long.parseLong(v);
      else if (t.equals(DataTypes.IntegerType)) Integer.parseInt(v);
      else throw new IllegalStateException("no number check for " + t);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
