package kz.stat.ictstat.cli;

import java.io.PrintStream;
import kz.stat.ictstat.config.JobConfig;
import kz.stat.ictstat.spark.SparkSessions;
import kz.stat.ictstat.spark.TableCatalog;
import org.apache.spark.sql.SparkSession;

/** What a command works with: configuration, a lazily started Spark session and the catalog. */
public final class Context implements AutoCloseable {
  private final JobConfig config;
  private final boolean verbose;
  private final PrintStream out;
  private SparkSession spark;
  private TableCatalog catalog;

  Context(JobConfig config, boolean verbose, PrintStream out) {
    this.config = config;
    this.verbose = verbose;
    this.out = out;
  }

  public JobConfig config() {
    return config;
  }

  public PrintStream out() {
    return out;
  }

  public boolean verbose() {
    return verbose;
  }

  public SparkSession spark() {
    if (spark == null) {
      if (verbose) System.setProperty("ictstat.logLevel", "INFO");
      spark = SparkSessions.getOrCreate(config);
    }
    return spark;
  }

  public TableCatalog catalog() {
    if (catalog == null) catalog = new TableCatalog(spark(), config.warehouse());
    return catalog;
  }

  @Override
  public void close() {
    // The session is left to the JVM: a test JVM shares one, and the CLI exits right after.
  }
}
