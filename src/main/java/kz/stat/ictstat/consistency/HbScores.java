package kz.stat.ictstat.consistency;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Hidiroglou–Berthelot statistics of {@link MicroEdits}, per (year, item) in plain Java: the
 * pairs of a partition (laid out and sorted by year and item) are taken one (year, item) at a time
 * and grouped by HB group (the stratum, or {@code pooled:<pool>} for a stratum with fewer than
 * {@code min_group} pairs); per group the median ratio, each pair's E and the quartiles of E (R's
 * type 7).
 *
 * <p>Input columns: year, bin, stratum, pool, item, y, yp (y &gt; 0, yp &gt; 0). Output: {@link
 * #SCHEMA}. The acceptance interval and the reason are left to SQL. A group is sorted twice in
 * memory (its ratios and its E); Spark would sort the whole input twice by group keys. A task holds
 * one (year, item) at a time, its pairs and their output rows.
 */
final class HbScores implements MapPartitionsFunction<Row, Row> {
  static final StructType SCHEMA =
      new StructType()
          .add("year", DataTypes.IntegerType)
          .add("bin", DataTypes.StringType)
          .add("item", DataTypes.StringType)
          .add("grp", DataTypes.StringType)
          .add("n_grp", DataTypes.LongType)
          .add("y", DataTypes.DoubleType)
          .add("yp", DataTypes.DoubleType)
          .add("r", DataTypes.DoubleType)
          .add("r_med", DataTypes.DoubleType)
          .add("e", DataTypes.DoubleType)
          .add("e_q1", DataTypes.DoubleType)
          .add("e_m", DataTypes.DoubleType)
          .add("e_q3", DataTypes.DoubleType);

  private final int minGroup;
  private final double u;

  /**
   * @param minGroup strata with fewer pairs are pooled
   * @param u the size weight: E = s · max(y_t, y_{t−1})^U
   */
  HbScores(int minGroup, double u) {
    this.minGroup = minGroup;
    this.u = u;
  }

  private record Pair(String bin, String stratum, String pool, double y, double yp) {}

  /** The input rows of a partition, one (year, item) group at a time (they arrive sorted). */
  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    return new Iterator<>() {
      private Iterator<Row> group = Collections.emptyIterator();
      private Row next = rows.hasNext() ? rows.next() : null;

      @Override
      public boolean hasNext() {
        while (!group.hasNext() && next != null) group = scoreNextGroup();
        return group.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) throw new NoSuchElementException();
        return group.next();
      }

      private Iterator<Row> scoreNextGroup() {
        int year = next.getInt(0);
        String item = next.getString(4);
        List<Pair> pairs = new ArrayList<>();
        while (next != null && next.getInt(0) == year && next.getString(4).equals(item)) {
          pairs.add(
              new Pair(
                  next.getString(1),
                  next.getString(2),
                  next.getString(3),
                  next.getDouble(5),
                  next.getDouble(6)));
          next = rows.hasNext() ? rows.next() : null;
        }
        List<Row> out = new ArrayList<>(pairs.size());
        score(year, item, pairs, out);
        return out.iterator();
      }
    };
  }

  private void score(int year, String item, List<Pair> pairs, List<Row> out) {
    Map<String, Integer> perStratum = new HashMap<>();
    for (Pair p : pairs) perStratum.merge(p.stratum(), 1, Integer::sum);
    Map<String, List<Pair>> groups = new LinkedHashMap<>();
    for (Pair p : pairs) {
      String g = perStratum.get(p.stratum()) >= minGroup ? p.stratum() : "pooled:" + p.pool();
      groups.computeIfAbsent(g, x -> new ArrayList<>()).add(p);
    }
    groups.forEach(
        (g, members) -> {
          int n = members.size();
          double[] r = new double[n];
          for (int i = 0; i < n; i++) r[i] = members.get(i).y() / members.get(i).yp();
          double rMed = quantile(sorted(r), 0.5);
          double[] e = new double[n];
          for (int i = 0; i < n; i++) {
            Pair p = members.get(i);
            double s = r[i] < rMed ? 1 - rMed / r[i] : r[i] / rMed - 1;
            // StrictMath: Spark's pow
            e[i] = s * StrictMath.pow(Math.max(p.y(), p.yp()), u);
          }
          double[] es = sorted(e);
          double q1 = quantile(es, 0.25);
          double m = quantile(es, 0.5);
          double q3 = quantile(es, 0.75);
          for (int i = 0; i < n; i++) {
            Pair p = members.get(i);
            out.add(
                RowFactory.create(
                    year, p.bin(), item, g, (long) n, p.y(), p.yp(), r[i], rMed, e[i], q1, m, q3));
          }
        });
  }

  private static double[] sorted(double[] x) {
    double[] s = x.clone();
    Arrays.sort(s);
    return s;
  }

  /**
   * The quantile p of sorted values (R's type 7): with h = (n − 1)·p, (1 − f)·x_(⌊h⌋+1) +
   * f·x_(⌈h⌉+1), f = h − ⌊h⌋ (1-based order statistics).
   */
  static double quantile(double[] sorted, double p) {
    double h = (sorted.length - 1) * p;
    double lo = Math.floor(h);
    double f = h - lo;
    return (1 - f) * sorted[(int) lo] + f * sorted[(int) Math.ceil(h)];
  }
}
