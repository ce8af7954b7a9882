package kz.stat.ictstat.estimation;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import kz.stat.ictstat.weighting.CalibrationSolver;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapGroupsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The residual (GREG) variance of estimates from calibrated weights, as R {@code survey} computes
 * it for a calibrated design (Deville and Särndal 1992; METHODS.md).
 *
 * <p>With d_k the weight before calibration (non-response adjusted), w_k = d_k g_k the calibrated
 * weight and x_k the auxiliary vector of the calibration (per margin category: 1 and the frame
 * employment e_k of the unit, see {@code weighting.Calibration}), the variance of a domain total
 * Ŷ_d = Σ w y δ_d is that of the influence values u_k = w_k (y_k δ_dk − x_k'B̂_d), B̂_d = M⁻¹ v_d,
 * M = Σ d x x', v_d = Σ d x y δ_d, in the stratified formula Σ_g a_g [Σ u² − (Σ u)² / n_g]. The
 * residual is not 0 outside the domain, so the unit-level form would need every unit for every
 * domain cell; expanded, it needs only sums the estimator has or can add:
 *
 * <pre>
 *   V(Ŷ_d) = A_yy − 2 B̂'c_y + B̂'K B̂,
 *   c_y = Σ_g a_g [Σ_{k∈g} T_k w_k x_k − T_gd R_g / n_g],   K = Σ_g a_g [Σ_{k∈g} w² x x' − R_g R_g' / n_g],
 * </pre>
 *
 * with T_k = w_k y_k δ_dk, T_gd its group sum, R_g = Σ_{k∈g} w x and A_yy the variance of the
 * totals without calibration residuals (computed by {@link EstimationQuery} with the calibrated
 * weights). Ratios R̂ = Ŷ/X̂ take the same for the denominator and the cross term: Var(u_y) − 2 R̂
 * Cov(u_y, u_x) + R̂² Var(u_x), over X̂².
 *
 * <p>The calibration cell of a unit (its categories of all margins) is a function of its domain
 * variables, so each finest cell of the estimator lies in one calibration cell, and a domain cell's
 * v_d and c_y are sums over its parts (group × calibration cell) of Σ d y, Σ d y e, Σ w t, Σ w t e
 * scattered to the coordinates of the cell's margin categories. M, K and the R_g are per year and
 * small (p = 2 × margin categories, a few hundred): they are built on the driver from one
 * aggregation per year × group × calibration cell and broadcast with G, a generalised inverse of M
 * (any solution of the normal equations gives the same residuals, so redundant margins are
 * allowed), and Q = G K G, so that B̂'K B̂ = v'Q v. The terms of a domain cell are then a few
 * p-vector products, computed where its parts are, in order of group and calibration cell
 * (reproducible).
 */
final class GregVariance {
  private GregVariance() {}

  /**
   * The calibration the weights of some years went through: margins (lists of domain variables),
   * targets, and the years calibrated with them.
   */
  record Model(List<List<String>> margins, boolean count, boolean employment, List<Integer> years)
      implements Serializable {
    Model {
      margins = margins.stream().map(List::copyOf).toList();
      years = List.copyOf(years);
    }

    int q() {
      return (count ? 1 : 0) + (employment ? 1 : 0);
    }

    String inYears() {
      return "year IN ("
          + years.stream().map(String::valueOf).collect(Collectors.joining(", "))
          + ")";
    }
  }

  /** Separator of the margin codes in a calibration cell code. */
  static final String CELL_SEPARATOR = "/";

  /**
   * SQL of a unit's calibration cell: its category of every margin ({@code |}-joined values of the
   * margin's variables), joined by {@link #CELL_SEPARATOR}; {@code column} maps a domain variable
   * to its non-null SQL value.
   */
  static String cellSql(Model m, java.util.function.Function<String, String> column) {
    List<String> margins = new ArrayList<>();
    for (List<String> margin : m.margins()) {
      margins.add(
          "concat_ws('|', " + margin.stream().map(column).collect(Collectors.joining(", ")) + ")");
    }
    return "concat_ws('" + CELL_SEPARATOR + "', " + String.join(", ", margins) + ")";
  }

  /**
   * Sums per finest cell the residual terms need, as slot aggregates of {@code EstimationQuery}
   * (name, SQL over the slot's {k} (kept), {y}, {x}, {t} = w y and {s} = w x, NULL where not kept,
   * and the unit's w, d and e).
   */
  static final List<String[]> SLOT_SUMS =
      List.of(
          new String[] {"g_wt", "sum(w * {t})"},
          new String[] {"g_wte", "sum(w * {t} * e)"},
          new String[] {"g_ws", "sum(w * {s})"},
          new String[] {"g_wse", "sum(w * {s} * e)"},
          new String[] {"g_dy", "sum(CASE WHEN {k} THEN d * {y} END)"},
          new String[] {"g_dye", "sum(CASE WHEN {k} THEN d * {y} * e END)"},
          new String[] {"g_dx", "sum(CASE WHEN {k} THEN d * {x} END)"},
          new String[] {"g_dxe", "sum(CASE WHEN {k} THEN d * {x} * e END)"});

  /** The columns of {@link #SLOT_SUMS}. */
  static final List<String> FINE_COLUMNS = SLOT_SUMS.stream().map(a -> a[0]).toList();

  /**
   * Per-year aggregation of the units for M, K and R_g: one row per year × variance group ×
   * calibration cell ({@code units}: a view with year, var_group, a_g, n_g, d, w, e and {@code
   * cell}).
   */
  static String auxSql(String units) {
    return "SELECT year, var_group, cell, max(a_g) AS a_g, max(n_g) AS n_g, sum(d) AS sd,"
        + " sum(d * e) AS sde, sum(d * e * e) AS sdee, sum(w * w) AS sww, sum(w * w * e) AS swwe,"
        + " sum(w * w * e * e) AS swwee, sum(w) AS sw, sum(w * e) AS swe FROM "
        + units
        + " GROUP BY year, var_group, cell";
  }

  /** A group's sums Σ w x over one calibration cell: (Σ w, Σ w e) at the cell's coordinates. */
  record GroupCell(int[] bases, double sw, double swe) implements Serializable {}

  /**
   * The calibration model of one year: coordinates of the margin categories, G (a generalised
   * inverse of M), Q = G K G, and each variance group's a_g / n_g and R_g by calibration cell.
   */
  record Basis(
      int p,
      boolean count,
      boolean employment,
      Map<String, int[]> cellBases,
      double[][] g,
      double[][] q,
      Map<String, List<GroupCell>> groups)
      implements Serializable {

    /** Adds (c1, e-part c2) at every margin coordinate of a cell. */
    void scatter(double[] v, int[] bases, double c1, double c2) {
      for (int b : bases) {
        int k = 0;
        if (count) v[b + k++] += c1;
        if (employment) v[b + k] += c2;
      }
    }

    /** Builds the basis of one year from its rows of {@link #auxSql}. */
    static Basis of(List<Row> aux, Model m) {
      int nm = m.margins().size();
      List<TreeSet<String>> codes = new ArrayList<>();
      for (int i = 0; i < nm; i++) codes.add(new TreeSet<>());
      for (Row r : aux) {
        String[] c = r.getString(2).split(CELL_SEPARATOR, -1);
        for (int i = 0; i < nm; i++) codes.get(i).add(c[i]);
      }
      List<Map<String, Integer>> base = new ArrayList<>();
      int p = 0;
      for (TreeSet<String> cs : codes) {
        Map<String, Integer> b = new HashMap<>();
        for (String c : cs) {
          b.put(c, p);
          p += m.q();
        }
        base.add(b);
      }
      Map<String, int[]> cellBases = new HashMap<>();
      double[][] mm = new double[p][p];
      double[][] k = new double[p][p];
      Map<String, List<GroupCell>> groups = new TreeMap<>();
      Map<String, double[]> groupAn = new HashMap<>();
      for (Row r : aux) {
        String cell = r.getString(2);
        int[] bases =
            cellBases.computeIfAbsent(
                cell,
                c -> {
                  String[] parts = c.split(CELL_SEPARATOR, -1);
                  int[] bs = new int[nm];
                  for (int i = 0; i < nm; i++) bs[i] = base.get(i).get(parts[i]);
                  return bs;
                });
        double a = num(r, 3);
        double n = num(r, 4);
        addBlock(mm, bases, m, 1.0, num(r, 5), num(r, 6), num(r, 7));
        addBlock(k, bases, m, a, num(r, 8), num(r, 9), num(r, 10));
        String group = r.getString(1);
        groups
            .computeIfAbsent(group, x -> new ArrayList<>())
            .add(new GroupCell(bases, num(r, 11), num(r, 12)));
        groupAn.put(group, new double[] {a, n});
      }
      // K −= a_g / n_g R_g R_g' (R_g sparse: the coordinates of the group's cells)
      for (var e : groups.entrySet()) {
        double[] an = groupAn.get(e.getKey());
        if (an[0] == 0 || an[1] <= 0) continue;
        TreeMap<Integer, Double> rg = new TreeMap<>();
        for (GroupCell gc : e.getValue()) {
          for (int b : gc.bases()) {
            int j = 0;
            if (m.count()) rg.merge(b + j++, gc.sw(), Double::sum);
            if (m.employment()) rg.merge(b + j, gc.swe(), Double::sum);
          }
        }
        double f = an[0] / an[1];
        for (var x : rg.entrySet()) {
          for (var y : rg.entrySet()) k[x.getKey()][y.getKey()] -= f * x.getValue() * y.getValue();
        }
      }
      double[][] g = generalisedInverse(mm);
      double[][] q = multiply(multiply(g, k), g);
      Map<String, List<GroupCell>> frozen = new HashMap<>();
      for (var e : groups.entrySet()) frozen.put(e.getKey(), List.copyOf(e.getValue()));
      return new Basis(p, m.count(), m.employment(), cellBases, g, q, frozen);
    }
  }

  private static double num(Row r, int i) {
    return r.isNullAt(i) ? 0.0 : ((Number) r.get(i)).doubleValue();
  }

  /** target += f × A_c [[s11, s1e], [s1e, see]] A_c' (restricted to the targets). */
  private static void addBlock(
      double[][] t, int[] bases, Model m, double f, double s11, double s1e, double see) {
    for (int b1 : bases) {
      for (int b2 : bases) {
        if (m.count() && m.employment()) {
          t[b1][b2] += f * s11;
          t[b1][b2 + 1] += f * s1e;
          t[b1 + 1][b2] += f * s1e;
          t[b1 + 1][b2 + 1] += f * see;
        } else if (m.count()) {
          t[b1][b2] += f * s11;
        } else {
          t[b1][b2] += f * see;
        }
      }
    }
  }

  /**
   * S (S M S)⁺ S with S = diag(1 / √M_jj): a generalised inverse of M (M G M = M), the scaling
   * keeping count and employment coordinates of very different magnitude apart in the rank test.
   */
  static double[][] generalisedInverse(double[][] m) {
    int p = m.length;
    double[] s = new double[p];
    for (int j = 0; j < p; j++) s[j] = m[j][j] > 0 ? 1 / Math.sqrt(m[j][j]) : 0;
    double[][] scaled = new double[p][p];
    for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) scaled[i][j] = s[i] * m[i][j] * s[j];
    double[][] pinv = CalibrationSolver.pseudoInverse(scaled);
    for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) pinv[i][j] *= s[i] * s[j];
    return pinv;
  }

  static double[][] multiply(double[][] a, double[][] b) {
    int n = a.length;
    int l = b.length;
    int c = b.length == 0 ? 0 : b[0].length;
    double[][] r = new double[n][c];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < l; k++) {
        double aik = a[i][k];
        if (aik == 0) continue;
        for (int j = 0; j < c; j++) r[i][j] += aik * b[k][j];
      }
    }
    return r;
  }

  /**
   * Σ_ij |v_i a_ij v_j|: the magnitude of the terms of v'a v (its rounding error is ε times it).
   */
  private static double absQuadratic(double[][] a, double[] v) {
    double s = 0;
    for (int i = 0; i < v.length; i++) {
      if (v[i] == 0) continue;
      double r = 0;
      for (int j = 0; j < v.length; j++) r += Math.abs(a[i][j] * v[j]);
      s += Math.abs(v[i]) * r;
    }
    return s;
  }

  /** Σ |a_i b_i|. */
  private static double absDot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += Math.abs(a[i] * b[i]);
    return s;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  }

  /** Bases of the calibrated years from the rows of {@link #auxSql} (small: collected). */
  static Map<Integer, Basis> bases(List<Row> aux, Model m) {
    Map<Integer, List<Row>> byYear = new TreeMap<>();
    for (Row r : aux)
      byYear.computeIfAbsent(((Number) r.get(0)).intValue(), y -> new ArrayList<>()).add(r);
    Map<Integer, Basis> out = new HashMap<>();
    byYear.forEach((y, rows) -> out.put(y, Basis.of(rows, m)));
    return out;
  }

  /**
   * The residual terms per domain cell: columns year, ind, gid, the domain variables, then gyy,
   * gxy, gxx (added to A_yy, A_xy, A_xx) and gmy, gmx (their magnitudes, for the test of a zero
   * variance).
   *
   * @param parts one row per year × group × indicator × domain cell × calibration cell: year,
   *     var_group, ind, gid, the domain variables, cell, a_g, n_g, ty, tx and {@link #FINE_COLUMNS}
   */
  static Dataset<Row> terms(
      SparkSession spark, Dataset<Row> parts, Map<Integer, Basis> bases, List<String> vars) {
    Broadcast<Map<Integer, Basis>> b =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(bases);
    StructType in = parts.schema();
    int iYear = in.fieldIndex("year");
    int iGroup = in.fieldIndex("var_group");
    int iInd = in.fieldIndex("ind");
    int iGid = in.fieldIndex("gid");
    int iCell = in.fieldIndex("cell");
    int[] iVars = vars.stream().mapToInt(in::fieldIndex).toArray();
    int[] iNum =
        List.of(
                "a_g", "n_g", "ty", "tx", "g_wt", "g_wte", "g_ws", "g_wse", "g_dy", "g_dye", "g_dx",
                "g_dxe")
            .stream()
            .mapToInt(in::fieldIndex)
            .toArray();
    StructType out =
        new StructType()
            .add("year", DataTypes.IntegerType)
            .add("ind", DataTypes.IntegerType)
            .add("gid", DataTypes.LongType);
    for (String v : vars) out = out.add(v, DataTypes.StringType);
    for (String c : List.of("gyy", "gxy", "gxx", "gmy", "gmx"))
      out = out.add(c, DataTypes.DoubleType);
    int nVars = vars.size();
    MapFunction<Row, String> key =
        r -> {
          StringBuilder s = new StringBuilder();
          s.append(r.get(iYear))
              .append('\u0001')
              .append(r.get(iInd))
              .append('\u0001')
              .append(r.get(iGid));
          for (int i : iVars) s.append('\u0001').append(r.isNullAt(i) ? "\u0002" : r.getString(i));
          return s.toString();
        };
    MapGroupsFunction<String, Row, Row> cell =
        (k, it) -> {
          List<Row> rows = new ArrayList<>();
          it.forEachRemaining(rows::add);
          rows.sort(
              Comparator.comparing((Row r) -> r.getString(iGroup))
                  .thenComparing(r -> r.getString(iCell)));
          Row first = rows.get(0);
          int year = ((Number) first.get(iYear)).intValue();
          double[] t = cellTerms(b.value().get(year), rows.iterator(), iGroup, iCell, iNum);
          Object[] o = new Object[3 + nVars + 5];
          o[0] = year;
          o[1] = ((Number) first.get(iInd)).intValue();
          o[2] = ((Number) first.get(iGid)).longValue();
          for (int i = 0; i < nVars; i++)
            o[3 + i] = first.isNullAt(iVars[i]) ? null : first.getString(iVars[i]);
          for (int i = 0; i < 5; i++) o[3 + nVars + i] = t[i];
          return RowFactory.create(o);
        };
    return parts.groupByKey(key, Encoders.STRING()).mapGroups(cell, Encoders.row(out));
  }

  /** gyy, gxy, gxx, gmy, gmx of one domain cell from its parts, sorted by group. */
  static double[] cellTerms(Basis basis, Iterator<Row> rows, int iGroup, int iCell, int[] iNum) {
    int p = basis.p();
    double[] vy = new double[p];
    double[] vx = new double[p];
    double[] cy = new double[p];
    double[] cx = new double[p];
    String group = null;
    double a = 0;
    double n = 0;
    double tyG = 0;
    double txG = 0;
    while (true) {
      Row r = rows.hasNext() ? rows.next() : null;
      if (group != null && (r == null || !group.equals(r.getString(iGroup)))) {
        // − a_g T_gd R_g / n_g for the group just finished
        if (a != 0 && n > 0) {
          for (GroupCell gc : basis.groups().get(group)) {
            basis.scatter(cy, gc.bases(), -a * tyG / n * gc.sw(), -a * tyG / n * gc.swe());
            basis.scatter(cx, gc.bases(), -a * txG / n * gc.sw(), -a * txG / n * gc.swe());
          }
        }
        tyG = 0;
        txG = 0;
      }
      if (r == null) break;
      group = r.getString(iGroup);
      a = num(r, iNum[0]);
      n = num(r, iNum[1]);
      tyG += num(r, iNum[2]);
      txG += num(r, iNum[3]);
      int[] bases = basis.cellBases().get(r.getString(iCell));
      basis.scatter(cy, bases, a * num(r, iNum[4]), a * num(r, iNum[5]));
      basis.scatter(cx, bases, a * num(r, iNum[6]), a * num(r, iNum[7]));
      basis.scatter(vy, bases, num(r, iNum[8]), num(r, iNum[9]));
      basis.scatter(vx, bases, num(r, iNum[10]), num(r, iNum[11]));
    }
    double[] by = CalibrationSolver.multiply(basis.g(), vy);
    double[] bx = CalibrationSolver.multiply(basis.g(), vx);
    double[] qy = CalibrationSolver.multiply(basis.q(), vy);
    double[] qx = CalibrationSolver.multiply(basis.q(), vx);
    double byCy = dot(by, cy);
    double bxCx = dot(bx, cx);
    double yQy = dot(vy, qy);
    double xQx = dot(vx, qx);
    return new double[] {
      -2 * byCy + yQy,
      -(dot(by, cx) + dot(bx, cy)) + dot(vy, qx),
      -2 * bxCx + xQx,
      2 * absDot(by, cy) + absQuadratic(basis.q(), vy),
      2 * absDot(bx, cx) + absQuadratic(basis.q(), vx)
    };
  }
}
