package kz.stat.ictstat.sampling;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.substring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.survey.Classifier;
import kz.stat.ictstat.survey.SampleDesign;
import kz.stat.ictstat.survey.SurveyDefinitions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The frame classification of register units: the one definition of the domain variables of a unit
 * in a year, used by sampling, weighting and estimation alike.
 *
 * <ul>
 *   <li>{@code region}: the first two digits of the 9-digit KATO code;
 *   <li>{@code section}: the OKED section letter of the code's division (first two digits), from
 *       {@code conf/classifiers/oked.csv};
 *   <li>{@code size_class}: small / medium / large of the KRP code, from {@code krp.csv};
 *   <li>{@code ownership}: the level-1 ancestor (11 state, 15 private, 32 foreign) of the KFS code,
 *       following the parent chain of {@code kfs.csv};
 *   <li>{@code sector}: the KSE code;
 *   <li>{@code in_scope}: activity status in the design's {@code activity_status} and OKED in the
 *       design's scope ({@link SampleDesign#okedScopeSql(String)});
 *   <li>{@code stratum}: the design's stratum variables joined by {@code |}, e.g. {@code
 *       C|small|75}; a variable the classifiers cannot resolve reads {@code ?}.
 * </ul>
 *
 * The classifiers become small broadcast DataFrames; nothing is collected.
 */
public final class Frame {
  /** The columns {@link #classify} adds, in order. */
  public static final List<String> DOMAIN_COLUMNS =
      List.of("region", "section", "size_class", "ownership", "sector", "in_scope", "stratum");

  /** The register columns {@link #classify} needs. */
  public static final List<String> REGISTER_COLUMNS =
      List.of("bin", "year", "oked", "kato", "krp", "kfs", "kse", "activity_status");

  private Frame() {}

  /** Adds the domain variables, {@code in_scope} and {@code stratum} to a register. */
  public static Dataset<Row> classify(Dataset<Row> register, SurveyDefinitions survey) {
    List<String> missing = new ArrayList<>();
    List<String> have = List.of(register.columns());
    for (String c : REGISTER_COLUMNS) if (!have.contains(c)) missing.add(c);
    if (!missing.isEmpty()) {
      throw IctstatException.usage(
          "the register lacks column(s) " + missing + " (it has " + have + ")",
          "give a register with the columns of core.register: " + REGISTER_COLUMNS);
    }
    SparkSession spark = register.sparkSession();
    Dataset<Row> sections = broadcast(divisionSections(spark, survey.classifier("oked")));
    Dataset<Row> sizes = broadcast(sizeClasses(spark, survey.classifier("krp")));
    Dataset<Row> owners = broadcast(ownershipLevels(spark, survey.classifier("kfs")));
    SampleDesign design = survey.design();

    Dataset<Row> r =
        register
            .withColumn("__division", substring(col("oked").cast("string"), 1, 2))
            .withColumn("__krp", col("krp").cast("string"))
            .withColumn("__kfs", col("kfs").cast("string"));
    r = r.join(sections, r.col("__division").equalTo(sections.col("__div")), "left");
    r = r.join(sizes, r.col("__krp").equalTo(sizes.col("__krp_code")), "left");
    r = r.join(owners, r.col("__kfs").equalTo(owners.col("__kfs_code")), "left");

    String statuses =
        design.activityStatus().stream().map(String::valueOf).collect(Collectors.joining(", "));
    Column inScope =
        coalesce(
            expr(
                "activity_status IN ("
                    + statuses
                    + ") AND "
                    + design.okedScopeSql("CAST(oked AS STRING)")),
            lit(false));
    r =
        r.withColumn("region", substring(col("kato").cast("string"), 1, 2))
            .withColumn("section", col("__section"))
            .withColumn("size_class", col("__size_class"))
            .withColumn("ownership", col("__ownership"))
            .withColumn("sector", col("kse").cast("string"))
            .withColumn("in_scope", inScope);
    List<Column> parts = new ArrayList<>();
    for (String v : design.strata()) parts.add(coalesce(col(v).cast("string"), lit("?")));
    r = r.withColumn("stratum", concat_ws("|", parts.toArray(Column[]::new)));
    List<Column> out = new ArrayList<>();
    for (String c : register.columns()) out.add(col(c));
    for (String c : DOMAIN_COLUMNS) out.add(col(c));
    return r.select(out.toArray(Column[]::new));
  }

  /** OKED division (2 digits) to section letter. */
  static Dataset<Row> divisionSections(SparkSession spark, Classifier oked) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Map<String, String> row : oked.rows()) {
      String code = row.get("oked_code");
      String div = row.getOrDefault("division", code == null ? null : code.substring(0, 2));
      if (div != null && row.get("section") != null) m.putIfAbsent(div, row.get("section"));
    }
    return twoColumns(spark, m, "__div", "__section");
  }

  /** KRP code to size class. */
  static Dataset<Row> sizeClasses(SparkSession spark, Classifier krp) {
    Map<String, String> m = new LinkedHashMap<>();
    for (Map<String, String> row : krp.rows()) m.put(row.get("krp_code"), row.get("size_class"));
    return twoColumns(spark, m, "__krp_code", "__size_class");
  }

  /** KFS code to its level-1 ancestor (the code itself when it is level 1). */
  static Dataset<Row> ownershipLevels(SparkSession spark, Classifier kfs) {
    return twoColumns(spark, ownershipMap(kfs), "__kfs_code", "__ownership");
  }

  /** KFS code to its level-1 ancestor, following {@code parent} links. */
  public static Map<String, String> ownershipMap(Classifier kfs) {
    Map<String, String> parent = new HashMap<>();
    for (Map<String, String> row : kfs.rows()) {
      String p = row.get("parent");
      parent.put(row.get("kfs_code"), p == null || p.isBlank() ? null : p);
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (String code : parent.keySet()) {
      String c = code;
      for (int guard = 0; parent.get(c) != null && guard < 20; guard++) c = parent.get(c);
      m.put(code, c);
    }
    return m;
  }

  private static Dataset<Row> twoColumns(
      SparkSession spark, Map<String, String> m, String key, String value) {
    StructType schema =
        new StructType()
            .add(key, DataTypes.StringType, false)
            .add(value, DataTypes.StringType, true);
    List<Row> rows = new ArrayList<>();
    m.forEach((k, v) -> rows.add(RowFactory.create(k, v)));
    return spark.createDataFrame(rows, schema);
  }
}
