package kz.stat.ictstat.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kz.stat.ictstat.IctstatException;
import kz.stat.ictstat.testing.SparkTest;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

@SparkTest
class StageTest {
  @Test
  void stepsSideBySideRunAtOnceEachUnderItsOwnJobGroupAndSaySo(SparkSession spark)
      throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    Stage stage = new Stage(spark, "demo", new PrintStream(buf, true, StandardCharsets.UTF_8));
    // each step waits for the other: they finish only if they run at the same time
    CountDownLatch both = new CountDownLatch(2);
    Map<String, String> groups = new java.util.concurrent.ConcurrentHashMap<>();
    Map<String, Runnable> steps = new LinkedHashMap<>();
    for (String name : List.of("write a", "write b")) {
      steps.put(
          name,
          () -> {
            both.countDown();
            try {
              assertTrue(both.await(30, TimeUnit.SECONDS), "the other step never started");
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
            groups.put(name, spark.sparkContext().getLocalProperty("spark.job.description"));
            spark.range(10).count();
          });
    }
    stage.runAll(steps);
    assertEquals("demo: write a (side by side)", groups.get("write a"));
    assertEquals("demo: write b (side by side)", groups.get("write b"));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("demo       write a (side by side)"), out);
    assertTrue(out.contains("demo       write b (side by side)"), out);

    // one step alone is an ordinary step
    buf.reset();
    stage.runAll(Map.of("write c", () -> {}));
    assertTrue(buf.toString(StandardCharsets.UTF_8).contains("demo       write c  "));
    // and none is nothing to do
    buf.reset();
    stage.runAll(Map.of());
    assertEquals("", buf.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theFirstFailureIsThrownAsItIsOnceEveryStepHasEnded(SparkSession spark) {
    AtomicInteger finished = new AtomicInteger();
    IctstatException bad = IctstatException.usage("table x is wrong", "fix x");
    Map<String, Runnable> steps = new LinkedHashMap<>();
    steps.put(
        "fails",
        () -> {
          throw bad;
        });
    steps.put(
        "slow",
        () -> {
          try {
            Thread.sleep(300);
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          finished.incrementAndGet();
        });
    steps.put("fast", finished::incrementAndGet);
    var e =
        assertThrows(IctstatException.class, () -> new Stage(spark, "demo", null).runAll(steps));
    assertSame(bad, e);
    assertEquals(2, finished.get());
  }
}
