package kz.stat.ictstat.survey;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kz.stat.ictstat.spark.Stage;
import kz.stat.ictstat.spark.TableCatalog;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes the survey definitions to the reference tables {@code ref.*}, so analysts can query the
 * questionnaire, classifiers, indicators and domains with SQL:
 *
 * <ul>
 *   <li>{@code ref.<classifier>} for each file in conf/classifiers (all columns as text);
 *   <li>{@code ref.items}, {@code ref.form_columns} (version, first/last year, position, raw code,
 *       item), {@code ref.indicators}, {@code ref.domains}, {@code ref.design}.
 * </ul>
 */
public final class RefTables {
  private RefTables() {}

  /**
   * Writes the ref tables unless the warehouse already holds them for exactly these definition
   * files (a SHA-256 of every file under {@code surveyDir}, kept next to the tables); returns the
   * names written, empty when nothing changed.
   */
  public static List<String> writeIfChanged(
      TableCatalog catalog, SurveyDefinitions s, java.nio.file.Path surveyDir) {
    String fp = fingerprint(surveyDir);
    org.apache.hadoop.fs.Path marker =
        new org.apache.hadoop.fs.Path(catalog.warehouse() + "/ref/_definitions.sha256");
    try {
      var fs = marker.getFileSystem(catalog.spark().sparkContext().hadoopConfiguration());
      if (fs.exists(marker) && catalog.exists("ref.items")) {
        try (var in = fs.open(marker)) {
          if (new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).equals(fp)) {
            return List.of();
          }
        }
      }
      List<String> written = write(catalog, s);
      try (var out = fs.create(marker, true)) {
        out.write(fp.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      return written;
    } catch (java.io.IOException e) {
      throw kz.stat.ictstat.IctstatException.runFailed(
          "cannot read or write " + marker + ": " + e.getMessage(),
          "check the warehouse permissions");
    }
  }

  static String fingerprint(java.nio.file.Path dir) {
    try (var files = java.nio.file.Files.walk(dir)) {
      var md = java.security.MessageDigest.getInstance("SHA-256");
      for (var f : files.filter(java.nio.file.Files::isRegularFile).sorted().toList()) {
        md.update(dir.relativize(f).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        md.update(java.nio.file.Files.readAllBytes(f));
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
      throw kz.stat.ictstat.IctstatException.runFailed(
          "cannot read the survey definitions under " + dir + ": " + e.getMessage(),
          "check the folder");
    }
  }

  /** Writes every ref table; returns the names written. */
  public static List<String> write(TableCatalog catalog, SurveyDefinitions s) {
    SparkSession spark = catalog.spark();
    List<String> written = new ArrayList<>();
    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    for (Classifier c : s.classifiers().values()) {
      List<StructField> f = new ArrayList<>();
      for (String h : c.header()) f.add(DataTypes.createStructField(h, DataTypes.StringType, true));
      List<Row> rows = new ArrayList<>();
      for (Map<String, String> r : c.rows()) {
        rows.add(RowFactory.create(c.header().stream().map(h -> emptyToNull(r.get(h))).toArray()));
      }
      written.add(
          put(
              tables,
              "ref." + c.name(),
              spark.createDataFrame(rows, DataTypes.createStructType(f))));
    }

    List<Row> items = new ArrayList<>();
    for (Item i : s.items().values()) {
      items.add(
          RowFactory.create(
              i.id(),
              i.type().name().toLowerCase(java.util.Locale.ROOT),
              i.type().sparkType().simpleString(),
              i.unit(),
              i.classifier(),
              i.since(),
              i.until(),
              i.eurostat(),
              i.labels().get("kk"),
              i.labels().get("ru"),
              i.labels().get("en")));
    }
    written.add(
        put(
            tables,
            "ref.items",
            spark.createDataFrame(
                items,
                schema(
                    "item:string",
                    "type:string",
                    "spark_type:string",
                    "unit:string",
                    "classifier:string",
                    "since:int",
                    "until:int",
                    "eurostat:string",
                    "label_kk:string",
                    "label_ru:string",
                    "label_en:string"))));

    List<Row> cols = new ArrayList<>();
    for (FormVersion f : s.forms()) {
      int pos = 0;
      for (var e : f.columns().entrySet()) {
        cols.add(
            RowFactory.create(
                f.version(), f.years().first(), f.years().last(), ++pos, e.getKey(), e.getValue()));
      }
    }
    written.add(
        put(
            tables,
            "ref.form_columns",
            spark.createDataFrame(
                cols,
                schema(
                    "form_version:string",
                    "first_year:int",
                    "last_year:int",
                    "position:int",
                    "raw_code:string",
                    "item:string"))));

    List<Row> inds = new ArrayList<>();
    for (Indicator i : s.indicators()) {
      inds.add(
          RowFactory.create(
              i.id(),
              i.kind().name().toLowerCase(java.util.Locale.ROOT),
              i.numerator(),
              i.denominator(),
              i.population(),
              i.unit(),
              i.publishScale(),
              i.eurostat(),
              i.headline(),
              i.firstYear(),
              i.lastYear(),
              i.labels().get("kk"),
              i.labels().get("ru"),
              i.labels().get("en")));
    }
    written.add(
        put(
            tables,
            "ref.indicators",
            spark.createDataFrame(
                inds,
                schema(
                    "indicator:string",
                    "kind:string",
                    "numerator:string",
                    "denominator:string",
                    "population:string",
                    "unit:string",
                    "publish_scale:double",
                    "eurostat:string",
                    "headline:boolean",
                    "first_year:int",
                    "last_year:int",
                    "label_kk:string",
                    "label_ru:string",
                    "label_en:string"))));

    List<Row> doms = new ArrayList<>();
    for (Domain d : s.domains()) {
      doms.add(
          RowFactory.create(
              d.id(),
              String.join(",", d.by()),
              d.labels().get("kk"),
              d.labels().get("ru"),
              d.labels().get("en")));
    }
    written.add(
        put(
            tables,
            "ref.domains",
            spark.createDataFrame(
                doms,
                schema(
                    "domain_type:string",
                    "by_variables:string",
                    "label_kk:string",
                    "label_ru:string",
                    "label_en:string"))));

    SampleDesign d = s.design();
    List<Row> design = new ArrayList<>();
    d.samplingRates()
        .forEach(
            (size, rate) ->
                design.add(
                    RowFactory.create(
                        size,
                        rate,
                        d.takeAll(size),
                        String.join(",", d.strata()),
                        d.minSamplePerStratum(),
                        d.rotation(),
                        d.lonelyStrata().name().toLowerCase(java.util.Locale.ROOT),
                        String.join(",", d.okedScope()))));
    written.add(
        put(
            tables,
            "ref.design",
            spark.createDataFrame(
                design,
                schema(
                    "size_class:string",
                    "sampling_rate:double",
                    "take_all:boolean",
                    "strata:string",
                    "min_sample_per_stratum:int",
                    "rotation:double",
                    "lonely_strata:string",
                    "oked_scope:string"))));
    flush(catalog, tables);
    return written;
  }

  private static String put(Map<String, Dataset<Row>> tables, String name, Dataset<Row> df) {
    tables.put(name, df.coalesce(1));
    return name;
  }

  /** The tables are independent: their (tiny) Delta commits run concurrently. */
  private static void flush(TableCatalog catalog, Map<String, Dataset<Row>> todo) {
    List<Runnable> writes = new ArrayList<>();
    todo.forEach((name, df) -> writes.add(() -> catalog.overwrite(name, df)));
    Stage.concurrently(writes);
  }

  private static StructType schema(String... fields) {
    List<StructField> f = new ArrayList<>();
    for (String s : fields) {
      String[] p = s.split(":");
      f.add(
          DataTypes.createStructField(
              p[0],
              switch (p[1]) {
                case "int" -> DataTypes.IntegerType;
                case "double" -> DataTypes.DoubleType;
                case "boolean" -> DataTypes.BooleanType;
                default -> DataTypes.StringType;
              },
              true));
    }
    return DataTypes.createStructType(f);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
