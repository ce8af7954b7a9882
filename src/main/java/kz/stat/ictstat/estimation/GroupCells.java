package kz.stat.ictstat.estimation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The unit-level part of the one-pass estimator: the respondents of one variance group, laid out
 * together and in BIN order, become the group's sums per cell in two passes over the group. This is
 * where the units meet the indicators (units × indicators values), so it is plain Java over arrays:
 * no row per unit and indicator, no hash aggregation.
 *
 * <p>Input ({@link EstimationQuery} {@code unitValues}): one row per respondent with year,
 * var_group, n_g, a_g, treat, avg_lonely, strata_no_resp, w, d, e, the domain variables, then per
 * indicator i: k_i (in its population and years), v_i (answered), y_i, x_i (numerator and
 * denominator, 0 where not answered); sorted by year, var_group, bin within the partition, every
 * group in one partition.
 *
 * <p>Pass 1 sums per finest cell (combination of the domain variables) and slot (slot 0: every
 * unit, ind = -1; slot i + 1: indicator i), over the units kept (k): m, Σt, Σs (t = w y, s = w x),
 * Σ t y, Σ s x, Σ t x, respondents, N̂, non-zero and missing counts, and the group totals of t and
 * s. Pass 2 sums the values centred at the group means C_y = Σ_g t / n_g, C_x = Σ_g s / n_g: Σ(t −
 * C_y), Σ(t − C_y)², Σ(s − C_x)², Σ(t − C_y)(s − C_x) (the centring that keeps the variance sums
 * exact to rounding). Units are visited in BIN order and cells in the order of their codes, so the
 * sums are the same whatever the partitioning.
 *
 * <p>Output, {@link Output#CONTRIBUTIONS}: per group × slot × domain cell of every domain type
 * (gid), the group's contribution with the zero extension added analytically: the n_g − m units of
 * the group outside the domain cell count (0 − C) each, uy = Σ(t − C_y) − (n_g − m) C_y, uyy = Σ(t
 * − C_y)² + (n_g − m) C_y², likewise ux, uxx, uxy. {@link Output#FINEST}: per group × indicator ×
 * finest cell, Σt, Σs and the calibration sums of {@link GregVariance#SLOT_SUMS}.
 */
final class GroupCells implements MapPartitionsFunction<Row, Row> {
  enum Output {
    CONTRIBUTIONS,
    FINEST
  }

  // input columns before the domain variables
  static final List<String> UNIT_COLUMNS =
      List.of(
          "year",
          "var_group",
          "n_g",
          "a_g",
          "treat",
          "avg_lonely",
          "strata_no_resp",
          "w",
          "d",
          "e");
  private static final int YEAR = 0;
  private static final int GROUP = 1;
  private static final int N_G = 2;
  private static final int A_G = 3;
  private static final int TREAT = 4;
  private static final int AVG_LONELY = 5;
  private static final int STRATA_NO_RESP = 6;
  private static final int W = 7;
  private static final int D = 8;
  private static final int E = 9;

  // per cell and slot
  private static final int M = 0;
  private static final int TY = 1;
  private static final int TX = 2;
  private static final int SY = 3;
  private static final int SX = 4;
  private static final int SYY = 5;
  private static final int SXX = 6;
  private static final int SXY = 7;
  private static final int WYY = 8;
  private static final int WXX = 9;
  private static final int WXY = 10;
  private static final int N_RESP = 11;
  private static final int NHAT = 12;
  private static final int N_NONZERO = 13;
  private static final int N_MISSING = 14;
  private static final int G_FIRST = 15; // GregVariance.SLOT_SUMS, in their order
  private static final int STATS = G_FIRST + 8;

  private final Output output;
  private final int vars;
  private final int slots;
  private final long[] gids;
  private final boolean[][] uses;

  /**
   * @param vars the number of domain variables
   * @param indicators the number of indicators
   * @param gids the domain types (grouping ids) of the CONTRIBUTIONS output
   * @param uses per domain type, which domain variables it uses
   */
  GroupCells(Output output, int vars, int indicators, long[] gids, boolean[][] uses) {
    this.output = output;
    this.vars = vars;
    this.slots = indicators + 1;
    this.gids = gids.clone();
    this.uses = uses.clone();
  }

  /** The output columns; {@code varNames}: the domain variables. */
  static StructType schema(Output output, List<String> varNames) {
    StructType s =
        new StructType()
            .add("year", DataTypes.IntegerType)
            .add("var_group", DataTypes.StringType)
            .add("ind", DataTypes.IntegerType);
    if (output == Output.CONTRIBUTIONS) s = s.add("gid", DataTypes.LongType);
    for (String v : varNames) s = s.add(v, DataTypes.StringType);
    s = s.add("n_g", DataTypes.LongType).add("a_g", DataTypes.DoubleType);
    List<String> sums =
        output == Output.CONTRIBUTIONS
            ? List.of("ty", "tx", "uy", "ux", "uyy", "uxx", "uxy", "wyy", "wxx", "wxy", "nhat")
            : new ArrayList<>(List.of("ty", "tx"));
    if (output == Output.FINEST) sums.addAll(GregVariance.FINE_COLUMNS);
    for (String c : sums) s = s.add(c, DataTypes.DoubleType);
    if (output == Output.CONTRIBUTIONS) {
      for (String c : List.of("n_resp", "n_nonzero", "n_missing", "m", "strata_no_resp")) {
        s = s.add(c, DataTypes.LongType);
      }
      s = s.add("treat", DataTypes.IntegerType).add("avg_lonely", DataTypes.IntegerType);
    }
    return s;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> units) {
    // lazily, one group at a time: a partition's output is far larger than one group's
    return new Iterator<>() {
      private final List<Row> ready = new ArrayList<>();
      private int next;
      private Row pending = units.hasNext() ? units.next() : null;

      @Override
      public boolean hasNext() {
        while (next == ready.size() && pending != null) {
          ready.clear();
          next = 0;
          Group g = new Group(pending);
          pending = null;
          while (units.hasNext()) {
            Row r = units.next();
            if (!g.contains(r)) {
              pending = r;
              break;
            }
            g.add(r);
          }
          g.emit(ready);
        }
        return next < ready.size();
      }

      @Override
      public Row next() {
        if (!hasNext()) throw new java.util.NoSuchElementException();
        return ready.get(next++);
      }
    };
  }

  /** One variance group's units and cells. */
  private final class Group {
    final int year;
    final String group;
    final long nG;
    final double aG;
    final int treat;
    final int avgLonely;
    final long strataNoResp;
    int size;
    // per unit: its finest cell, and per slot t and s (NaN: not kept)
    int[] cellOf = new int[64];
    double[] t = new double[64 * slots];
    double[] s = new double[64 * slots];
    final Map<List<String>, Integer> cellIndex = new HashMap<>();
    final List<List<String>> cellCodes = new ArrayList<>();
    final List<double[]> cells = new ArrayList<>();
    final double[] groupTy = new double[slots];
    final double[] groupTx = new double[slots];

    Group(Row first) {
      year = first.getInt(YEAR);
      group = first.getString(GROUP);
      nG = first.getLong(N_G);
      aG = first.getDouble(A_G);
      treat = first.getInt(TREAT);
      avgLonely = first.getInt(AVG_LONELY);
      strataNoResp = first.getLong(STRATA_NO_RESP);
      add(first);
    }

    boolean contains(Row r) {
      return r.getInt(YEAR) == year && group.equals(r.getString(GROUP));
    }

    /** Pass 1 for one unit. */
    void add(Row r) {
      String[] codes = new String[vars];
      for (int v = 0; v < vars; v++) codes[v] = r.getString(E + 1 + v);
      List<String> key = Arrays.asList(codes);
      Integer c = cellIndex.get(key);
      if (c == null) {
        c = cells.size();
        cellIndex.put(key, c);
        cellCodes.add(key);
        cells.add(new double[slots * STATS]);
      }
      if (size == cellOf.length) {
        cellOf = Arrays.copyOf(cellOf, size * 2);
        t = Arrays.copyOf(t, size * 2 * slots);
        s = Arrays.copyOf(s, size * 2 * slots);
      }
      cellOf[size] = c;
      double[] cell = cells.get(c);
      double w = r.getDouble(W);
      double d = r.getDouble(D);
      double e = r.getDouble(E);
      int base = size * slots;
      int col = E + 1 + vars;
      for (int slot = 0; slot < slots; slot++) {
        boolean kept = true;
        boolean valid = true;
        double y = 0;
        double x = 0;
        if (slot > 0) {
          kept = !r.isNullAt(col) && r.getBoolean(col);
          valid = !r.isNullAt(col + 1) && r.getBoolean(col + 1);
          y = r.getDouble(col + 2);
          x = r.getDouble(col + 3);
          col += 4;
        }
        if (!kept) {
          t[base + slot] = Double.NaN;
          continue;
        }
        double ty = w * y;
        double tx = w * x;
        t[base + slot] = ty;
        s[base + slot] = tx;
        groupTy[slot] += ty;
        groupTx[slot] += tx;
        int o = slot * STATS;
        cell[o + M] += 1;
        cell[o + TY] += ty;
        cell[o + TX] += tx;
        cell[o + WYY] += ty * y;
        cell[o + WXX] += tx * x;
        cell[o + WXY] += ty * x;
        if (valid) {
          cell[o + N_RESP] += 1;
          cell[o + NHAT] += w;
          if (y != 0) cell[o + N_NONZERO] += 1;
        } else {
          cell[o + N_MISSING] += 1;
        }
        if (output == Output.FINEST) {
          cell[o + G_FIRST] += w * ty;
          cell[o + G_FIRST + 1] += w * ty * e;
          cell[o + G_FIRST + 2] += w * tx;
          cell[o + G_FIRST + 3] += w * tx * e;
          cell[o + G_FIRST + 4] += d * y;
          cell[o + G_FIRST + 5] += d * y * e;
          cell[o + G_FIRST + 6] += d * x;
          cell[o + G_FIRST + 7] += d * x * e;
        }
      }
      size++;
    }

    /** Pass 2 (the centred sums), then the group's output rows. */
    void emit(List<Row> out) {
      double[] cy = new double[slots];
      double[] cx = new double[slots];
      for (int slot = 0; slot < slots; slot++) {
        cy[slot] = groupTy[slot] / nG;
        cx[slot] = groupTx[slot] / nG;
      }
      for (int u = 0; u < size; u++) {
        double[] cell = cells.get(cellOf[u]);
        int base = u * slots;
        for (int slot = 0; slot < slots; slot++) {
          double ty = t[base + slot];
          if (Double.isNaN(ty)) continue;
          double dy = ty - cy[slot];
          double dx = s[base + slot] - cx[slot];
          int o = slot * STATS;
          cell[o + SY] += dy;
          cell[o + SX] += dx;
          cell[o + SYY] += dy * dy;
          cell[o + SXX] += dx * dx;
          cell[o + SXY] += dy * dx;
        }
      }
      // cells in the order of their codes
      List<Integer> order = new ArrayList<>();
      for (int c = 0; c < cells.size(); c++) order.add(c);
      order.sort((a, b) -> compare(cellCodes.get(a), cellCodes.get(b)));
      if (output == Output.FINEST) {
        emitFinest(out, order);
      } else {
        for (int k = 0; k < gids.length; k++) emitDomainType(out, order, k, cy, cx);
      }
    }

    private void emitFinest(List<Row> out, List<Integer> order) {
      for (int slot = 1; slot < slots; slot++) {
        for (int c : order) {
          double[] cell = cells.get(c);
          int o = slot * STATS;
          if (cell[o + M] == 0) continue;
          Object[] row = new Object[3 + vars + 4 + 8];
          int i = 0;
          row[i++] = year;
          row[i++] = group;
          row[i++] = slot - 1;
          for (String code : cellCodes.get(c)) row[i++] = code;
          row[i++] = nG;
          row[i++] = aG;
          row[i++] = cell[o + TY];
          row[i++] = cell[o + TX];
          for (int j = 0; j < 8; j++) row[i++] = cell[o + G_FIRST + j];
          out.add(RowFactory.create(row));
        }
      }
    }

    /** The domain cells of domain type k: the finest cells summed over the unused variables. */
    private void emitDomainType(
        List<Row> out, List<Integer> order, int k, double[] cy, double[] cx) {
      boolean[] used = uses[k];
      Map<List<String>, double[]> domainCells = new TreeMap<>(GroupCells::compare);
      for (int c : order) {
        String[] codes = cellCodes.get(c).toArray(new String[0]);
        for (int v = 0; v < vars; v++) if (!used[v]) codes[v] = null;
        double[] sum =
            domainCells.computeIfAbsent(
                Collections.unmodifiableList(Arrays.asList(codes)), x -> new double[slots * STATS]);
        double[] cell = cells.get(c);
        for (int j = 0; j < slots * STATS; j++) sum[j] += cell[j];
      }
      for (int slot = 0; slot < slots; slot++) {
        int o = slot * STATS;
        double y0 = cy[slot];
        double x0 = cx[slot];
        for (var e : domainCells.entrySet()) {
          double[] sum = e.getValue();
          double m = sum[o + M];
          if (m == 0) continue;
          double rest = nG - m;
          Object[] row = new Object[4 + vars + 2 + 11 + 5 + 2];
          int i = 0;
          row[i++] = year;
          row[i++] = group;
          row[i++] = slot - 1;
          row[i++] = gids[k];
          for (String code : e.getKey()) row[i++] = code;
          row[i++] = nG;
          row[i++] = aG;
          row[i++] = sum[o + TY];
          row[i++] = sum[o + TX];
          row[i++] = sum[o + SY] - rest * y0;
          row[i++] = sum[o + SX] - rest * x0;
          row[i++] = sum[o + SYY] + rest * y0 * y0;
          row[i++] = sum[o + SXX] + rest * x0 * x0;
          row[i++] = sum[o + SXY] + rest * y0 * x0;
          row[i++] = sum[o + WYY];
          row[i++] = sum[o + WXX];
          row[i++] = sum[o + WXY];
          row[i++] = sum[o + NHAT];
          row[i++] = (long) sum[o + N_RESP];
          row[i++] = (long) sum[o + N_NONZERO];
          row[i++] = (long) sum[o + N_MISSING];
          row[i++] = (long) m;
          row[i++] = strataNoResp;
          row[i++] = treat;
          row[i++] = avgLonely;
          out.add(RowFactory.create(row));
        }
      }
    }
  }

  /** Codes in order, a missing code (unused variable) first. */
  static int compare(List<String> a, List<String> b) {
    for (int i = 0; i < a.size(); i++) {
      String x = a.get(i);
      String y = b.get(i);
      if (x == null ? y != null : !x.equals(y)) {
        if (x == null) return -1;
        if (y == null) return 1;
        return x.compareTo(y);
      }
    }
    return 0;
  }
}
