package kz.stat.ictstat.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import kz.stat.ictstat.config.ConfigLoader;
import kz.stat.ictstat.config.JobConfig;
import kz.stat.ictstat.spark.SparkSessions;
import kz.stat.ictstat.spark.TableCatalog;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One SparkSession per test JVM (local[2], loopback, small shuffles, UI off) and a fresh temporary
 * warehouse per test class. Test methods may take {@link SparkSession}, {@link TableCatalog} or
 * {@link JobConfig} parameters.
 */
public final class SparkExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static SparkSession spark;
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create("ictstat");

  /** The JVM-wide session (also for tests that need it outside the extension). */
  public static synchronized SparkSession session() {
    if (spark == null) {
      System.setProperty("spark.master", "local[2]");
      System.setProperty("spark.driver.host", "127.0.0.1");
      System.setProperty("spark.driver.bindAddress", "127.0.0.1");
      System.setProperty("spark.ui.enabled", "false");
      System.setProperty("spark.sql.shuffle.partitions", "2");
      System.setProperty("spark.default.parallelism", "2");
      System.setProperty("spark.databricks.delta.snapshotPartitions", "2");
      System.setProperty("spark.sql.adaptive.enabled", "false");
      System.setProperty("ictstat.home", Path.of("").toAbsolutePath().toString());
      JobConfig c = config(tmp("ictstat-session"));
      spark = SparkSessions.getOrCreate(c);
    }
    return spark;
  }

  /** A configuration pointing at {@code warehouse}, with the repository's conf/ definitions. */
  public static JobConfig config(Path warehouse) {
    return ConfigLoader.load(null, false, Map.of(), Map.of("warehouse", warehouse.toString()));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    session();
    Path wh = tmp("ictstat-wh");
    context.getStore(NS).put("warehouse", wh);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Path wh = context.getStore(NS).get("warehouse", Path.class);
    // Drop the catalog entries of this class so the next class starts clean.
    for (String schema : TableCatalog.SCHEMAS) {
      spark.sql("DROP DATABASE IF EXISTS " + schema + " CASCADE");
    }
    delete(wh);
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    Class<?> t = p.getParameter().getType();
    return t == SparkSession.class || t == TableCatalog.class || t == JobConfig.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    Path wh = e.getStore(NS).get("warehouse", Path.class);
    Class<?> t = p.getParameter().getType();
    if (t == SparkSession.class) return session();
    if (t == TableCatalog.class) return new TableCatalog(session(), wh);
    return config(wh);
  }

  private static Path tmp(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) return;
    try (var s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: temporary folder
    }
  }
}
