package kz.stat.ictstat.spark;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a piece of a pipeline stage under a named Spark job group and prints one progress line a
 * person can follow: stage, what, elapsed.
 */
public final class Stage {
  private final SparkSession spark;
  private final String stage;
  private final PrintStream out;

  public Stage(SparkSession spark, String stage, PrintStream out) {
    this.spark = spark;
    this.stage = stage;
    this.out = out;
  }

  public <T> T run(String what, Supplier<T> body) {
    long t0 = System.nanoTime();
    spark.sparkContext().setJobGroup("ictstat:" + stage, stage + ": " + what, false);
    try {
      return body.get();
    } finally {
      spark.sparkContext().clearJobGroup();
      progress(what, t0);
    }
  }

  public void run(String what, Runnable body) {
    run(
        what,
        () -> {
          body.run();
          return null;
        });
  }

  private void progress(String what, long t0) {
    if (out == null) return;
    double s = Duration.ofNanos(System.nanoTime() - t0).toMillis() / 1000.0;
    out.printf(Locale.ROOT, "  %-10s %-52s %7.1f s%n", stage, what, s);
    out.flush();
  }
}
