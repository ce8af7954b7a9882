package kz.stat.ictstat.estimation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The domain-level part of the one-pass estimator: the group contributions of {@link GroupCells}
 * ({@link GroupCells.Output#CONTRIBUTIONS}), laid out so that every domain cell (year, domain type,
 * domain variables) is in one partition, become one row per domain cell and indicator with the sums
 * the variance formulas need.
 *
 * <p>Per domain cell: H_d, the number of variance groups with a unit in the cell (rows of slot −1),
 * and L_d, how many of them are lonely strata under the average policy. Per domain cell and
 * indicator, over its groups: Y = Σ ty, X = Σ tx, A_yy = Σ a_g (u_yy − u_y² / n_g), A_xx, A_xy = Σ
 * a_g (u_xy − u_y u_x / n_g), the magnitudes Σ a_g (u_yy + u_y² / n_g) and Σ a_g (u_xx + u_x² /
 * n_g) (to tell a variance from rounding), the SRS sums w_yy, w_xx, w_xy, the counts, the lonely
 * treatments (bit or) and the strata without respondents.
 *
 * <p>Order: the groups of a cell and indicator are added in the order of their var_group codes, so
 * that every sum is the same whatever the partitioning and the order rows arrive in. Plain Java
 * over one partition's cells: Spark would sort the ≈ 4 million contributions by the seven keys of a
 * domain cell (the slowest step of the estimator), then window and aggregate them.
 */
final class DomainSums implements MapPartitionsFunction<Row, Row> {
  private final int vars;

  /**
   * @param vars the number of domain variables
   */
  DomainSums(int vars) {
    this.vars = vars;
  }

  /** The output columns; {@code varNames}: the domain variables. */
  static StructType schema(List<String> varNames) {
    StructType s =
        new StructType()
            .add("year", DataTypes.IntegerType)
            .add("ind", DataTypes.IntegerType)
            .add("gid", DataTypes.LongType);
    for (String v : varNames) s = s.add(v, DataTypes.StringType);
    for (String c :
        List.of("Y", "X", "Ayy0", "Axx0", "Axy0", "Ayy_mag0", "Axx_mag0", "wyy", "wxx", "wxy")) {
      s = s.add(c, DataTypes.DoubleType);
    }
    s = s.add("n_resp", DataTypes.LongType).add("nhat", DataTypes.DoubleType);
    s = s.add("n_nonzero", DataTypes.LongType).add("n_missing", DataTypes.LongType);
    s = s.add("treats", DataTypes.IntegerType);
    for (String c : List.of("h_d", "l_d", "strata_no_resp")) s = s.add(c, DataTypes.LongType);
    return s;
  }

  // the terms summed per group, in the order of the output's sums
  private static final int TY = 0;
  private static final int TX = 1;
  private static final int AYY = 2;
  private static final int AXX = 3;
  private static final int AXY = 4;
  private static final int AYY_MAG = 5;
  private static final int AXX_MAG = 6;
  private static final int WYY = 7;
  private static final int WXX = 8;
  private static final int WXY = 9;
  private static final int NHAT = 10;
  private static final int TERMS = 11;

  /** One group's contribution to a domain cell and indicator. */
  private record Contribution(
      int ind,
      String group,
      double[] terms,
      long nResp,
      long nNonzero,
      long nMissing,
      long strataNoResp,
      int treat,
      int avgLonely) {}

  private static final Comparator<Contribution> ORDER =
      Comparator.comparingInt(Contribution::ind)
          .thenComparing(Contribution::group, DomainSums::compareCodePoints);

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    // input columns (GroupCells.schema CONTRIBUTIONS): year, var_group, ind, gid, vars..., n_g,
    // a_g, ty, tx, uy, ux, uyy, uxx, uxy, wyy, wxx, wxy, nhat, n_resp, n_nonzero, n_missing, m,
    // strata_no_resp, treat, avg_lonely
    int b = 4 + vars;
    Map<List<Object>, List<Contribution>> cells = new HashMap<>();
    while (rows.hasNext()) {
      Row r = rows.next();
      Object[] key = new Object[2 + vars];
      key[0] = r.get(0);
      key[1] = r.get(3);
      for (int v = 0; v < vars; v++) key[2 + v] = r.get(4 + v);
      long nG = r.getLong(b);
      double aG = r.getDouble(b + 1);
      double uy = r.getDouble(b + 4);
      double ux = r.getDouble(b + 5);
      double uyy = r.getDouble(b + 6);
      double uxx = r.getDouble(b + 7);
      double uxy = r.getDouble(b + 8);
      double[] t = new double[TERMS];
      t[TY] = r.getDouble(b + 2);
      t[TX] = r.getDouble(b + 3);
      // the same operations, in the same order, as the SQL these sums replaced
      t[AYY] = aG * (uyy - uy * uy / nG);
      t[AXX] = aG * (uxx - ux * ux / nG);
      t[AXY] = aG * (uxy - uy * ux / nG);
      t[AYY_MAG] = aG * (uyy + uy * uy / nG);
      t[AXX_MAG] = aG * (uxx + ux * ux / nG);
      t[WYY] = r.getDouble(b + 9);
      t[WXX] = r.getDouble(b + 10);
      t[WXY] = r.getDouble(b + 11);
      t[NHAT] = r.getDouble(b + 12);
      cells
          .computeIfAbsent(Arrays.asList(key), k -> new ArrayList<>())
          .add(
              new Contribution(
                  r.getInt(2),
                  r.getString(1),
                  t,
                  r.getLong(b + 13),
                  r.getLong(b + 14),
                  r.getLong(b + 15),
                  r.getLong(b + 17),
                  r.getInt(b + 18),
                  r.getInt(b + 19)));
    }
    List<Row> out = new ArrayList<>();
    for (Map.Entry<List<Object>, List<Contribution>> cell : cells.entrySet()) {
      emit(cell.getKey(), cell.getValue(), out);
    }
    return out.iterator();
  }

  private void emit(List<Object> key, List<Contribution> cs, List<Row> out) {
    cs.sort(ORDER);
    long hD = 0;
    long lD = 0;
    int i = 0;
    for (; i < cs.size() && cs.get(i).ind() < 0; i++) {
      hD++;
      lD += cs.get(i).avgLonely();
    }
    while (i < cs.size()) {
      int ind = cs.get(i).ind();
      double[] sum = new double[TERMS];
      long nResp = 0;
      long nNonzero = 0;
      long nMissing = 0;
      long strataNoResp = Long.MIN_VALUE;
      int treats = 0;
      for (; i < cs.size() && cs.get(i).ind() == ind; i++) {
        Contribution c = cs.get(i);
        for (int k = 0; k < TERMS; k++) sum[k] += c.terms()[k];
        nResp += c.nResp();
        nNonzero += c.nNonzero();
        nMissing += c.nMissing();
        strataNoResp = Math.max(strataNoResp, c.strataNoResp());
        treats |= c.treat();
      }
      Object[] row = new Object[3 + vars + 18];
      int k = 0;
      row[k++] = key.get(0);
      row[k++] = ind;
      row[k++] = key.get(1);
      for (int v = 0; v < vars; v++) row[k++] = key.get(2 + v);
      for (int t = TY; t <= WXY; t++) row[k++] = sum[t];
      row[k++] = nResp;
      row[k++] = sum[NHAT];
      row[k++] = nNonzero;
      row[k++] = nMissing;
      row[k++] = treats;
      row[k++] = hD;
      row[k++] = lD;
      row[k] = strataNoResp;
      out.add(RowFactory.create(row));
    }
  }

  /** Strings in code point order, as Spark orders them (UTF-8 bytes). */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) return Integer.compare(ca, cb);
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
