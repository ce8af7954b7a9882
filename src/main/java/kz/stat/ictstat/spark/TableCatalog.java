package kz.stat.ictstat.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kz.stat.ictstat.IctstatException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Maps logical table names ({@code schema.table}: {@code raw.responses}, {@code core.responses},
 * {@code pub.estimates}, {@code ref.kato}, …) to Delta locations under the warehouse, {@code
 * <warehouse>/<schema>/<table>}, and registers them in the session catalog so that {@code SELECT …
 * FROM core.responses} works in any new process without a metastore (and without its lock).
 *
 * <p>Stages read and write only through this class.
 */
public final class TableCatalog {
  /** The schemas, in pipeline order. */
  public static final List<String> SCHEMAS = List.of("ref", "raw", "core", "pub", "research");

  private final SparkSession spark;
  private final String warehouse;

  public TableCatalog(SparkSession spark, Path warehouse) {
    this(spark, warehouse.toAbsolutePath().normalize().toString());
  }

  /** For any Hadoop path (hdfs://, s3a://, file:/) on a cluster. */
  public TableCatalog(SparkSession spark, String warehouse) {
    this.spark = spark;
    this.warehouse =
        warehouse.endsWith("/") ? warehouse.substring(0, warehouse.length() - 1) : warehouse;
  }

  public SparkSession spark() {
    return spark;
  }

  public String warehouse() {
    return warehouse;
  }

  /** The Delta location of a logical table name. */
  public String location(String name) {
    String[] p = split(name);
    return warehouse + "/" + p[0] + "/" + p[1];
  }

  public boolean exists(String name) {
    String loc = location(name);
    try {
      org.apache.hadoop.fs.Path log = new org.apache.hadoop.fs.Path(loc, "_delta_log");
      return log.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(log);
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads a table; an unknown or missing table is a user error listing what exists. */
  public Dataset<Row> read(String name) {
    if (!exists(name)) {
      throw IctstatException.usage(
          "table '" + name + "' does not exist in warehouse " + warehouse,
          existing().isEmpty()
              ? "the warehouse is empty: run `ictstat run` (or the stage that writes it) first"
              : "run the stage that writes it first; existing tables: "
                  + String.join(", ", existing().keySet()));
    }
    return spark.read().format("delta").load(location(name));
  }

  /** Replaces the whole table (atomically: one Delta commit) and registers it. */
  public void overwrite(String name, Dataset<Row> data, String... partitionBy) {
    var w = data.write().format("delta").mode("overwrite").option("overwriteSchema", "true");
    if (partitionBy.length > 0) w = w.partitionBy(partitionBy);
    w.save(location(name));
    register(name);
  }

  /**
   * Replaces the rows matching {@code predicate} (e.g. {@code year = 2024}) in one atomic commit,
   * leaving all other rows untouched; creates the table if needed.
   */
  public void replaceWhere(
      String name, Dataset<Row> data, String predicate, String... partitionBy) {
    if (!exists(name)) {
      overwrite(name, data, partitionBy);
      return;
    }
    data.write()
        .format("delta")
        .mode("overwrite")
        .option("replaceWhere", predicate)
        .option("mergeSchema", "true")
        .save(location(name));
    register(name);
  }

  /** Appends rows, creating the table if needed. */
  public void append(String name, Dataset<Row> data, String... partitionBy) {
    var w = data.write().format("delta").mode("append");
    if (!exists(name) && partitionBy.length > 0) w = w.partitionBy(partitionBy);
    w.save(location(name));
    register(name);
  }

  /** Registers one table in the session catalog (idempotent, no metastore lock). */
  public synchronized void register(String name) {
    String[] p = split(name);
    spark.sql("CREATE DATABASE IF NOT EXISTS " + p[0]);
    spark.sql(
        "CREATE TABLE IF NOT EXISTS "
            + p[0]
            + "."
            + p[1]
            + " USING DELTA LOCATION '"
            + location(name).replace("'", "\\'")
            + "'");
  }

  /**
   * Registers every Delta table found in the warehouse whose schema the given profile may see.
   * Returns the registered names.
   */
  public List<String> registerAll(List<String> schemas) {
    List<String> names = new java.util.ArrayList<>();
    for (String name : existing().keySet()) {
      if (schemas.contains(split(name)[0])) {
        register(name);
        names.add(name);
      }
    }
    return names;
  }

  /** Every Delta table under the warehouse, name to location, sorted. */
  public Map<String, String> existing() {
    Map<String, String> out = new TreeMap<>();
    for (String schema : SCHEMAS) {
      try {
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(warehouse, schema);
        var fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(dir)) continue;
        for (var st : fs.listStatus(dir)) {
          if (st.isDirectory()
              && fs.exists(new org.apache.hadoop.fs.Path(st.getPath(), "_delta_log"))) {
            String name = schema + "." + st.getPath().getName();
            out.put(name, location(name));
          }
        }
      } catch (IOException e) {
        throw IctstatException.runFailed(
            "cannot list warehouse " + warehouse + ": " + e.getMessage(),
            "check the path and its permissions");
      }
    }
    return out;
  }

  private static String[] split(String name) {
    String[] p = name.split("\\.");
    if (p.length != 2 || !SCHEMAS.contains(p[0]) || !p[1].matches("[a-z][a-z0-9_]*")) {
      throw IctstatException.usage(
          "invalid table name '" + name + "'",
          "write schema.table with schema one of " + SCHEMAS + ", e.g. core.responses");
    }
    return p;
  }
}
