package kz.stat.ictstat.spark;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

  /**
   * Runs independent steps at the same time (writes of different tables, say, from one cached
   * frame), each under its own job group and with its own progress line when it ends. Most of a
   * write's fixed cost (planning, code generation, the Delta commit) is work of one driver thread;
   * side by side, one step's fixed cost overlaps another's tasks, and the tasks still share the
   * same executor cores. Their lines say "side by side": their times overlap and do not add up.
   * Returns when every step has ended; throws the failure of the first failed step (in map order).
   */
  public void runAll(Map<String, Runnable> steps) {
    String mark = steps.size() > 1 ? " (side by side)" : "";
    List<Runnable> all = new ArrayList<>();
    steps.forEach((what, body) -> all.add(() -> run(what + mark, body)));
    concurrently(all);
  }

  /**
   * Runs the given actions on up to four threads of a pool made for this call (a fresh pool: its
   * threads inherit no Spark job properties of an earlier call) and waits for all of them; the
   * failure of the earliest submitted action that failed is thrown once all have ended, unwrapped,
   * so a user error keeps its message.
   */
  public static void concurrently(List<Runnable> actions) {
    if (actions.size() <= 1) {
      actions.forEach(Runnable::run);
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(actions.size(), 4));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Runnable a : actions) futures.add(pool.submit(a));
      Throwable first = null;
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (first == null) first = e.getCause();
        }
      }
      if (first instanceof RuntimeException r) throw r;
      if (first instanceof Error e) throw e;
      if (first != null) throw new IllegalStateException(first);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for concurrent steps", e);
    } finally {
      pool.shutdown();
    }
  }

  private void progress(String what, long t0) {
    if (out == null) return;
    double s = Duration.ofNanos(System.nanoTime() - t0).toMillis() / 1000.0;
    out.printf(Locale.ROOT, "  %-10s %-52s %7.1f s%n", stage, what, s);
    out.flush();
  }
}
