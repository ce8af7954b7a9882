package kz.stat.ictstat.estimation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kz.stat.ictstat.survey.Domain;
import kz.stat.ictstat.survey.Indicator;
import kz.stat.ictstat.survey.Labels;
import kz.stat.ictstat.survey.SampleDesign.LonelyPolicy;
import kz.stat.ictstat.weighting.StratumDesign;
import kz.stat.ictstat.weighting.VarianceGroups;
import kz.stat.ictstat.weighting.Weighting;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Small fixtures for estimation tests: units with y, x, b, their design and test indicators. */
final class TestData {
  private TestData() {}

  static final int YEAR = 2024;

  static final StructType UNITS =
      new StructType()
          .add("year", DataTypes.IntegerType)
          .add("bin", DataTypes.StringType)
          .add("stratum", DataTypes.StringType)
          .add("final_weight", DataTypes.DoubleType)
          .add("region", DataTypes.StringType)
          .add("section", DataTypes.StringType)
          .add("size_class", DataTypes.StringType)
          .add("ownership", DataTypes.StringType)
          .add("sector", DataTypes.StringType)
          .add("y", DataTypes.DoubleType)
          .add("x", DataTypes.DoubleType)
          .add("b", DataTypes.IntegerType);

  /** One respondent: stratum "section|size|region", frame size N of its stratum. */
  record Unit(
      String bin,
      String section,
      String size,
      String region,
      String ownership,
      long n,
      double y,
      double x,
      Integer b) {
    String stratum() {
      return section + "|" + size + "|" + region;
    }
  }

  static List<Unit> readCsv(Path file) throws IOException {
    List<Unit> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(file);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      out.add(
          new Unit(
              f[0],
              f[4],
              f[5],
              f[3],
              f[6],
              Long.parseLong(f[2]),
              Double.parseDouble(f[8]),
              Double.parseDouble(f[9]),
              f[10].isEmpty() ? null : Integer.valueOf(f[10])));
    }
    return out;
  }

  static List<StratumDesign> strata(List<Unit> units) {
    Map<String, long[]> r = new LinkedHashMap<>();
    Map<String, Unit> first = new LinkedHashMap<>();
    for (Unit u : units) {
      r.computeIfAbsent(u.stratum(), k -> new long[1])[0]++;
      first.putIfAbsent(u.stratum(), u);
    }
    List<StratumDesign> out = new ArrayList<>();
    for (var e : first.entrySet()) {
      Unit u = e.getValue();
      long resp = r.get(e.getKey())[0];
      boolean takeAll = !u.size().equals("small");
      out.add(
          new StratumDesign(
              YEAR,
              e.getKey(),
              u.section(),
              u.size(),
              u.region(),
              u.n(),
              takeAll ? u.n() : resp,
              resp,
              takeAll));
    }
    return out;
  }

  static Dataset<Row> unitFrame(SparkSession spark, List<Unit> units) {
    Map<String, long[]> r = new LinkedHashMap<>();
    for (Unit u : units) r.computeIfAbsent(u.stratum(), k -> new long[1])[0]++;
    List<Row> rows = new ArrayList<>();
    for (Unit u : units) {
      double w = (double) u.n() / r.get(u.stratum())[0]; // N_h / r_h
      rows.add(
          RowFactory.create(
              YEAR,
              u.bin(),
              u.stratum(),
              w,
              u.region(),
              u.section(),
              u.size(),
              u.ownership(),
              "1",
              u.y(),
              u.x(),
              u.b()));
    }
    return spark.createDataFrame(rows, UNITS);
  }

  static Dataset<Row> design(SparkSession spark, List<Unit> units, LonelyPolicy policy) {
    return Weighting.designFrame(spark, VarianceGroups.resolve(strata(units), policy), policy);
  }

  static Indicator indicator(
      String id, Indicator.Kind kind, String num, String den, String pop, double scale) {
    return new Indicator(
        id,
        kind,
        num,
        den,
        pop,
        kind.isRatio() ? "percent" : "units",
        scale,
        null,
        false,
        new Labels(Map.of("en", id)),
        Set.of(),
        2004,
        null);
  }

  static final List<Indicator> INDICATORS =
      List.of(
          indicator("count_b", Indicator.Kind.COUNT, "b", null, null, 1),
          indicator("total_y", Indicator.Kind.TOTAL, "y", null, null, 1),
          indicator("share_b", Indicator.Kind.SHARE, "b", null, null, 100),
          new Indicator(
              "ratio_yx",
              Indicator.Kind.RATIO,
              "y",
              "x",
              null,
              "per employee",
              1,
              null,
              false,
              new Labels(Map.of("en", "r")),
              Set.of(),
              2004,
              null),
          indicator("share_b_c", Indicator.Kind.SHARE, "b", null, "section = 'C'", 100));

  static final List<Domain> DOMAINS =
      List.of(
          domain("total"),
          domain("region", "region"),
          domain("ownership", "ownership"),
          domain("section_size", "section", "size_class"),
          domain("region_ownership", "region", "ownership"));

  static Domain domain(String id, String... by) {
    return new Domain(id, List.of(by), new Labels(Map.of("en", id)));
  }

  /** Estimates keyed by "indicator/domain_type/domain_code". */
  static Map<String, Row> byKey(Dataset<Row> est) {
    Map<String, Row> m = new LinkedHashMap<>();
    for (Row r : est.collectAsList()) {
      String k = r.getAs("indicator") + "/" + r.getAs("domain_type") + "/" + r.getAs("domain_code");
      if (m.put(k, r) != null) throw new AssertionError("duplicate estimate " + k);
    }
    return m;
  }
}
