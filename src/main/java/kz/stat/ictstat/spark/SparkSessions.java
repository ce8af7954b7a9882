package kz.stat.ictstat.spark;

import java.util.Map;
import kz.stat.ictstat.config.JobConfig;
import org.apache.spark.sql.SparkSession;

/**
 * The one place a SparkSession is built: Delta extension and catalog, the warehouse, the
 * pass-through {@code spark.*} settings. It never sets the master: {@code spark-submit}, the
 * launcher ({@code -Dspark.master=local[*]}) or the tests do.
 */
public final class SparkSessions {
  private SparkSessions() {}

  public static SparkSession getOrCreate(JobConfig config) {
    SparkSession.Builder b =
        SparkSession.builder()
            .appName("ictstat")
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config(
                "spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config(
                "spark.sql.warehouse.dir",
                config.warehouse().toAbsolutePath().resolve("_catalog").toString())
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.databricks.delta.schema.autoMerge.enabled", "false")
            .config("spark.sql.adaptive.enabled", "true")
            // Joins are broadcast on sizes measured at run time (adaptive execution: the rows a
            // shuffle wrote), never on the planner's estimate: it sizes a Delta table from its
            // compressed files, which for a table of millions of BINs is a small fraction of the
            // hash table a broadcast builds (at x10 one filled a 2 GB heap). Small reference
            // tables are broadcast by explicit hints.
            .config("spark.sql.autoBroadcastJoinThreshold", "-1")
            .config("spark.sql.adaptive.autoBroadcastJoinThreshold", "10MB")
            // The few cached frames (the ingest's parsed lines, the controls' compact rows) are
            // read a handful of times within one stage; compressing them cost more CPU than it
            // saved (ingest of the scale-1 files: 72-75 s uncompressed, 78-80 s compressed).
            .config("spark.sql.inMemoryColumnarStorage.compressed", "false");
    for (Map.Entry<String, String> e : config.sparkConf().entrySet()) {
      b = b.config(e.getKey(), e.getValue());
    }
    SparkSession spark = b.getOrCreate();
    spark.sparkContext().setLogLevel(System.getProperty("ictstat.logLevel", "WARN"));
    return spark;
  }
}
